import { useId, useRef, useState } from 'react'
import { useModel } from '../app/context.tsx'
import { describeSync } from '../chrome/SyncStatus.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { useUi } from '../ui/store.ts'
import { leaveRisk } from './leave.ts'

/**
 * Settings → Sync & hosting → Leave: take this workspace off this device. The app stops opening
 * and syncing it (the host forgets its membership); the trace it logged here is not rewritten.
 * Asks first, and asks for the name where leaving would lose work.
 */
export function LeaveWorkspace({ session }: { session: WorkspaceSession }) {
  const model = useModel()
  const notify = useUi((u) => u.notify)
  const id = useId()
  // The name the workspace has now (a joined one's entry starts as "Joining…").
  const name =
    useObserved(session, () => session.workspace.name) || session.entry.name || 'Untitled workspace'
  const hasRelay = Boolean(session.entry.relayUrl)
  const sync = useObserved(session, () => describeSync(session))
  const risk = leaveRisk(name, sync, hasRelay)
  const [confirming, setConfirming] = useState(false)
  const [typed, setTyped] = useState('')
  const [refused, setRefused] = useState(false)
  const typedRef = useRef<HTMLInputElement>(null)
  const startRef = useRef<HTMLButtonElement>(null)

  const leave = () => {
    if (!risk.safe && typed.trim() !== name.trim()) {
      setRefused(true)
      typedRef.current?.focus()
      return
    }
    void model
      .leave(session.entry.id)
      .then((told) =>
        told
          ? notify('info', `You left “${name}” on this device.`)
          : notify(
              'error',
              `You left “${name}” in this window, but the app’s host did not answer: it is told again when Signoff next starts, and until then it may go on syncing “${name}”.`,
            ),
      )
  }

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Leave this workspace</h2>
      <p className="hint">
        Takes “{name}” off this device: the app stops opening and syncing it.
        {hasRelay && ' It does not revoke your invite; an admin does that.'}
      </p>
      {!confirming ? (
        <button
          type="button"
          ref={startRef}
          onClick={() => {
            setConfirming(true)
            setTyped('')
            setRefused(false)
          }}
        >
          Leave “{name}”…
        </button>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            leave()
          }}
        >
          <p
            id={`${id}-risk`}
            role={risk.safe ? undefined : 'alert'}
            className={risk.safe ? 'hint' : 'field-error'}
          >
            {risk.text}
          </p>
          {!risk.safe && (
            <label className="field">
              Type “{name}” to leave anyway
              <input
                ref={typedRef}
                // biome-ignore lint/a11y/noAutofocus: the field the confirmation asks for
                autoFocus
                value={typed}
                onChange={(e) => {
                  setTyped(e.target.value)
                  setRefused(false)
                }}
                aria-invalid={refused || undefined}
                aria-describedby={refused ? `${id}-refused` : `${id}-risk`}
                autoComplete="off"
                spellCheck={false}
              />
            </label>
          )}
          {refused && (
            <p id={`${id}-refused`} role="alert" className="field-error">
              That is not the workspace’s name: type “{name}” exactly, or choose Stay.
            </p>
          )}
          <div className="st-row">
            {/* biome-ignore lint/a11y/noAutofocus: the confirmation's own button, where nothing is typed */}
            <button type="submit" aria-describedby={`${id}-risk`} autoFocus={risk.safe}>
              Leave “{name}”
            </button>
            <button
              type="button"
              onClick={() => {
                setConfirming(false)
                requestAnimationFrame(() => startRef.current?.focus())
              }}
            >
              Stay
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
