import { useCallback, useEffect, useRef, useState } from 'react'
import { relayAddressProblem } from '../data/app-model.ts'

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * A form action that may take a while: `busy` while it runs, and its error as a sentence for the
 * person instead of an exception. `fail` reports a check that failed before anything ran.
 */
export function useFormAction() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(async (action: () => Promise<void>) => {
    setError(null)
    setBusy(true)
    try {
      await action()
    } catch (err) {
      setError(message(err))
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, fail: setError, run }
}

export function FormError({ error, id }: { error: string | null; id?: string }) {
  if (!error) return null
  return (
    <p id={id} className="field-error" role="alert">
      {error}
    </p>
  )
}

/** The end of a one-action form: its error, if any, and its submit button (`busyLabel` while busy). */
export function FormSubmit({
  error,
  errorId,
  label,
  busy = false,
  busyLabel = label,
}: {
  error: string | null
  errorId?: string
  label: string
  busy?: boolean
  busyLabel?: string
}) {
  return (
    <>
      <FormError error={error} {...(errorId ? { id: errorId } : {})} />
      <div className="form-actions">
        {/* Not `disabled` while busy: that drops the keyboard focus to the page. The form ignores
            a submit while busy. */}
        <button type="submit" className="primary" aria-disabled={busy || undefined}>
          {busy ? busyLabel : label}
        </button>
      </div>
    </>
  )
}

/** A relay's address and a token on it, as a form holds them. */
export interface RelayCredentials {
  url: string
  token: string
}

/**
 * Which of the relay fields a form refused, and the message's element: that field is marked and
 * takes the focus. `seq` counts refusals, so the same one twice moves the focus again.
 */
export interface RelayRefusal {
  field: keyof RelayCredentials
  errorId: string
  seq: number
}

/**
 * A relay form's own check before anything is asked of the relay: the address, then the token
 * (`noToken` says what to paste). `check` returns the problem, or null, and marks the field.
 */
export function useRelayCheck(errorId: string, noToken: string) {
  const [refused, setRefused] = useState<RelayRefusal | null>(null)
  const check = useCallback(
    ({ url, token }: RelayCredentials): string | null => {
      const addressProblem = relayAddressProblem(url)
      const problem = addressProblem ?? (token.trim() ? null : noToken)
      setRefused((r) =>
        problem ? { field: addressProblem ? 'url' : 'token', errorId, seq: (r?.seq ?? 0) + 1 } : null,
      )
      return problem
    },
    [errorId, noToken],
  )
  return { refused, check }
}

/** The relay's address and a token on it: what joining a workspace and connecting one both ask. */
export function RelayFields({
  id,
  value,
  onChange,
  tokenLabel,
  refused = null,
}: {
  id: string
  value: RelayCredentials
  onChange: (value: RelayCredentials) => void
  tokenLabel: string
  refused?: RelayRefusal | null
}) {
  const url = useRef<HTMLInputElement>(null)
  const token = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (refused) (refused.field === 'url' ? url : token).current?.focus()
  }, [refused])
  const marks = (field: keyof RelayCredentials) =>
    refused?.field === field ? { 'aria-invalid': true, 'aria-describedby': refused.errorId } : {}
  return (
    <>
      <label htmlFor={`${id}-url`}>Relay address</label>
      <input
        id={`${id}-url`}
        ref={url}
        {...marks('url')}
        value={value.url}
        onChange={(e) => onChange({ ...value, url: e.target.value })}
        placeholder="ws://192.168.1.20:4455"
        inputMode="url"
        spellCheck={false}
      />
      <label htmlFor={`${id}-token`}>{tokenLabel}</label>
      <input
        id={`${id}-token`}
        ref={token}
        {...marks('token')}
        value={value.token}
        onChange={(e) => onChange({ ...value, token: e.target.value })}
        spellCheck={false}
        autoComplete="off"
      />
    </>
  )
}

/** A select's options for named things (types, destinations, members), in the order given. */
export function NamedOptions({ of }: { of: readonly { id: string; name: string }[] }) {
  return of.map((item) => (
    <option key={item.id} value={item.id}>
      {item.name}
    </option>
  ))
}
