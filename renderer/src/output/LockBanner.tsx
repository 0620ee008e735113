import { useState } from 'react'
import { type ContentLock, newVersionWarning } from '../../../shared/domain/locks.ts'
import { Modal } from '../chrome/Modal.tsx'

/**
 * Approved content is locked: editing needs "Start a new version", confirmed with the approvals
 * it will void named. Confirming unlocks the editor here; the first edit makes the approvals stale.
 */
export function LockBanner({ lock, onUnlock }: { lock: ContentLock; onUnlock: () => void }) {
  const [asking, setAsking] = useState(false)
  return (
    <section className="ov-lock" aria-label="Locked">
      <p>
        <strong>🔒 {lock.reason}</strong> Editing it starts a new version.
      </p>
      <button type="button" onClick={() => setAsking(true)}>
        Start a new version
      </button>
      {asking && (
        <Modal title="Start a new version?" onClose={() => setAsking(false)}>
          <p>{newVersionWarning(lock)}</p>
          <div className="ov-row">
            <button
              type="button"
              className="ov-primary"
              onClick={() => {
                setAsking(false)
                onUnlock()
              }}
            >
              Start a new version and edit
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
