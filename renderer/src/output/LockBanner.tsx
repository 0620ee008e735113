import { useState } from 'react'
import { type ContentLock, newVersionWarning } from '../../../shared/domain/locks.ts'
import { Modal } from '../chrome/Modal.tsx'
import { ErrorMessage } from './ErrorMessage.tsx'

/**
 * Approved content is locked: editing needs "Start a new version", confirmed with the approvals
 * it will void named, and recorded in the trail. A change that arrived without one (a teammate's
 * offline edit) is shown here as unapproved: keep it as a new version, or restore the approved one.
 */
export function LockBanner({
  lock,
  onUnlock,
  onRestore,
}: {
  lock: ContentLock
  onUnlock: () => Promise<{ ok: true } | { ok: false; reason: string }>
  onRestore: () => Promise<{ ok: true } | { ok: false; reason: string }>
}) {
  const [asking, setAsking] = useState(false)
  const [error, setError] = useState<string | null>(null)
  /** What is being done right now (the host signs it), said until it is done. */
  const [busy, setBusy] = useState<string | null>(null)
  const changed = !!lock.changed
  const run = async (doing: string, command: () => Promise<{ ok: true } | { ok: false; reason: string }>) => {
    setBusy(doing)
    try {
      const r = await command()
      setError(r.ok ? null : r.reason)
    } finally {
      setBusy(null)
    }
  }
  return (
    <section className={changed ? 'ov-lock ov-lock-changed' : 'ov-lock'} aria-label="Locked">
      <p>
        <strong>
          <LockMark changed={changed} />
          {lock.reason}
        </strong>{' '}
        {changed
          ? 'Keep the change as a new version, or go back to the approved one.'
          : 'Editing it starts a new version.'}
      </p>
      <button type="button" onClick={() => setAsking(true)} disabled={busy !== null}>
        Start a new version
      </button>
      {changed && (
        <button
          type="button"
          onClick={() => void run('Restoring the approved version…', onRestore)}
          disabled={busy !== null}
        >
          Restore the approved version
        </button>
      )}
      {busy && (
        <span className="ov-lock-busy" role="status">
          {busy}
        </span>
      )}
      <ErrorMessage error={error} />
      {asking && (
        <Modal title="Start a new version?" onClose={() => setAsking(false)}>
          <p>{newVersionWarning(lock)}</p>
          <div className="ov-row">
            <button
              type="button"
              className="ov-primary"
              onClick={() => {
                setAsking(false)
                void run('Starting a new version…', onUnlock)
              }}
            >
              {changed ? 'Start a new version with this change' : 'Start a new version and edit'}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Keep it locked
            </button>
          </div>
        </Modal>
      )}
    </section>
  )
}

/**
 * The banner's mark, drawn rather than an emoji (which shows as an empty box on a system without
 * an emoji font): a padlock, or a warning triangle when the approved content has changed.
 */
function LockMark({ changed }: { changed: boolean }) {
  return (
    <svg className="ov-lock-mark" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      {changed ? (
        <path d="M8 1.5 15 14.5H1L8 1.5Zm-.8 4.5v4.2h1.6V6H7.2Zm0 5.4V13h1.6v-1.6H7.2Z" fill="currentColor" />
      ) : (
        <path
          d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2H13v7.5H3V7h1.5Zm1.6 0h3.8V5a1.9 1.9 0 0 0-3.8 0v2Z"
          fill="currentColor"
          fillRule="evenodd"
        />
      )}
    </svg>
  )
}
