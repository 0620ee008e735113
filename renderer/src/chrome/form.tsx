import { useCallback, useState } from 'react'

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

/** A relay's address and a token on it: what joining a workspace and connecting one both ask. */
export function RelayFields({
  id,
  url,
  onUrl,
  token,
  onToken,
  tokenLabel,
  urlPlaceholder,
}: {
  id: string
  url: string
  onUrl: (url: string) => void
  token: string
  onToken: (token: string) => void
  tokenLabel: string
  urlPlaceholder?: string
}) {
  return (
    <>
      <label htmlFor={`${id}-url`}>Relay address</label>
      <input
        id={`${id}-url`}
        value={url}
        onChange={(e) => onUrl(e.target.value)}
        placeholder={urlPlaceholder}
        inputMode="url"
        spellCheck={false}
      />
      <label htmlFor={`${id}-token`}>{tokenLabel}</label>
      <input
        id={`${id}-token`}
        value={token}
        onChange={(e) => onToken(e.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
    </>
  )
}
