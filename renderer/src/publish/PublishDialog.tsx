import './publish.css'
import { useEffect, useId, useRef, useState } from 'react'
import { NamedOptions } from '../chrome/form.tsx'
import { Modal } from '../chrome/Modal.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { useUi } from '../ui/store.ts'
import { checkPublishTo, publishOutput, scheduleOutput } from './flow.ts'
import { PublishHistory } from './PublishHistory.tsx'

/** A local date-time for <input type="datetime-local">, a minute from now. */
function soon(): string {
  const d = new Date(Date.now() + 60_000)
  d.setMilliseconds(0)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/**
 * The keyboard and menu way to publish: choose a destination, now or at a time. The same rules
 * as a drop decide, and a refusal says why.
 */
export function PublishDialog({
  session,
  outputId,
  destinationId,
  onClose,
}: {
  session: WorkspaceSession
  outputId: string
  destinationId?: string
  onClose: () => void
}) {
  const ws = session.workspace
  const title = useObserved(session, () => ws.summary(outputId)?.title ?? 'Output', [outputId])
  const destinations = useObserved(session, () =>
    ws.destinations.all().sort((a, b) => a.name.localeCompare(b.name)),
  )
  const notify = useUi((s) => s.notify)
  const [dest, setDest] = useState(destinationId ?? destinations[0]?.id ?? '')
  const [when, setWhen] = useState<'now' | 'later'>('now')
  const [at, setAt] = useState(soon)
  const [check, setCheck] = useState<{ ok: true } | { ok: false; reason: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  /** The refusal was about the time asked for: that field is marked and takes the focus. */
  const [timeRefused, setTimeRefused] = useState(false)
  const [busy, setBusy] = useState(false)
  const destId = useId()
  const atId = useId()
  const errorId = useId()
  const atField = useRef<HTMLInputElement>(null)
  const refuseTime = (reason: string) => {
    setError(reason)
    setTimeRefused(true)
    requestAnimationFrame(() => atField.current?.focus())
  }

  useEffect(() => {
    setCheck(null)
    if (!dest) return
    let live = true
    // A schedule may be performed by any member whose machine has the destination set up.
    checkPublishTo(session, outputId, dest, { needLocal: when === 'now' }).then(
      (c) => live && setCheck(c),
      (e: unknown) => live && setCheck({ ok: false, reason: e instanceof Error ? e.message : String(e) }),
    )
    return () => {
      live = false
    }
  }, [session, outputId, dest, when])

  const name = ws.destinations.get(dest)?.name ?? 'the destination'
  const submit = async () => {
    if (busy) return
    setError(null)
    setTimeRefused(false)
    setBusy(true)
    try {
      if (when === 'now') {
        const r = await publishOutput(session, outputId, dest)
        if (r.ok) {
          notify('info', `Published “${title}” to ${name}.`)
          onClose()
        } else setError(r.reason)
      } else {
        const runAt = new Date(at).getTime()
        if (!Number.isFinite(runAt)) {
          refuseTime('Choose a date and time.')
          return
        }
        const r = await scheduleOutput(session, outputId, dest, runAt)
        if (r.ok) {
          notify('info', `Scheduled “${title}” for ${name} at ${new Date(runAt).toLocaleString()}.`)
          onClose()
        } else if (check?.ok)
          refuseTime(r.reason) // the destination was allowed: the time was not
        else setError(r.reason)
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal title={`Publish “${title}”`} onClose={onClose}>
      <form
        className="pub-dialog"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
        // Ctrl+Enter publishes (or schedules) from any field, as it creates from New output: Enter
        // on the destination list opens the list instead.
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return
          e.preventDefault()
          if (dest && check?.ok) void submit()
        }}
      >
        {destinations.length === 0 ? (
          <p>There are no destinations yet; an admin adds them in Settings → Destinations.</p>
        ) : (
          <label htmlFor={destId}>
            Destination
            <select id={destId} value={dest} onChange={(e) => setDest(e.target.value)}>
              <NamedOptions of={destinations} />
            </select>
          </label>
        )}
        <fieldset className="pub-when">
          <legend className="visually-hidden">When</legend>
          <label>
            <input type="radio" name="when" checked={when === 'now'} onChange={() => setWhen('now')} /> Now
          </label>
          <label>
            <input type="radio" name="when" checked={when === 'later'} onChange={() => setWhen('later')} /> At
            a time
          </label>
        </fieldset>
        {when === 'later' && (
          <label htmlFor={atId}>
            Publish at
            <input
              id={atId}
              ref={atField}
              type="datetime-local"
              step={1}
              value={at}
              aria-invalid={(timeRefused && !!error) || undefined}
              aria-describedby={timeRefused && error ? errorId : undefined}
              onChange={(e) => setAt(e.target.value)}
            />
          </label>
        )}
        {check && !check.ok && (
          <p className="pub-error" role="alert">
            {check.reason}
          </p>
        )}
        {error && (
          <p id={errorId} className="pub-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {/* Busy is aria-disabled, not disabled: a failed publish leaves the focus on the button. */}
          <button
            type="submit"
            className="primary"
            disabled={!dest || !check?.ok}
            aria-disabled={busy || undefined}
            aria-keyshortcuts="Control+Enter"
          >
            {busy
              ? when === 'now'
                ? 'Publishing…'
                : 'Scheduling…'
              : when === 'now'
                ? 'Publish now'
                : 'Schedule'}
          </button>
        </div>
      </form>
      <PublishHistory session={session} outputId={outputId} />
    </Modal>
  )
}
