import { useEffect, useState } from 'react'
import type { Action, Check } from '../../../shared/domain/derive.ts'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import { Modal } from '../chrome/Modal.tsx'
import { ACTION_LABEL, columnDef, MENU_MOVES } from './columns.ts'

/**
 * The keyboard and menu equivalent of dragging: every move a drag can make, each enabled or
 * disabled with the rules' reason. Letters in brackets are shortcuts inside the menu.
 */
export function MoveMenu({
  summary,
  loadChecks,
  onChoose,
  onClose,
  onPublish,
}: {
  summary: OutputSummary
  loadChecks: () => Promise<Record<Action, Check>>
  onChoose: (action: Action) => void
  onClose: () => void
  /** Open the publish dialog (destination, now or at a time). */
  onPublish?: () => void
}) {
  const [checks, setChecks] = useState<Record<Action, Check> | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    loadChecks().then(
      (c) => live && setChecks(c),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      live = false
    }
  }, [loadChecks])
  return (
    <Modal title={`Move “${summary.title}”`} onClose={onClose}>
      <div
        className="move-menu"
        role="menu"
        aria-label="Move to"
        tabIndex={-1}
        onKeyDown={(e) => {
          if (e.altKey || e.ctrlKey || e.metaKey) return
          if (onPublish && e.key.toUpperCase() === 'P') {
            e.preventDefault()
            onPublish()
            return
          }
          const move = MENU_MOVES.find((m) => m.key === e.key.toUpperCase())
          if (move && checks?.[move.action].ok) {
            e.preventDefault()
            onChoose(move.action)
            return
          }
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault()
            const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"]')]
            const at = items.indexOf(document.activeElement as HTMLElement)
            const next = items[(at + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]
            next?.focus()
          }
        }}
      >
        {!checks && !error && <p role="status">Checking what you may do…</p>}
        {error && <p role="alert">{error}</p>}
        {checks &&
          MENU_MOVES.map((m, i) => {
            const check = checks[m.action]
            const reasonId = `move-reason-${m.action}`
            return (
              <div key={m.action} className="move-item">
                <button
                  type="button"
                  role="menuitem"
                  aria-disabled={!check.ok || undefined}
                  aria-describedby={check.ok ? undefined : reasonId}
                  aria-keyshortcuts={m.key}
                  // biome-ignore lint/a11y/noAutofocus: the menu opens on its first item
                  autoFocus={i === 0}
                  onClick={() => check.ok && onChoose(m.action)}
                >
                  <span>
                    {ACTION_LABEL[m.action]} <span className="muted">→ {columnDef(m.column).title}</span>
                  </span>
                  <kbd>{m.key}</kbd>
                </button>
                {!check.ok && (
                  <p id={reasonId} className="move-reason">
                    {check.reason}
                  </p>
                )}
              </div>
            )
          })}
        {checks && onPublish && (
          <div className="move-item">
            <button type="button" role="menuitem" aria-keyshortcuts="P" onClick={onPublish}>
              <span>
                Publish to… <span className="muted">→ a destination, now or at a time</span>
              </span>
              <kbd>P</kbd>
            </button>
          </div>
        )}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </Modal>
  )
}
