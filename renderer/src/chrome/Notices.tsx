import { useUi } from '../ui/store.ts'

/**
 * Errors and confirmations, announced politely; every notice fades (see `notify` in ui/store.ts).
 * They sit at the bottom right, except on an open output, where the review's decisions (Approve,
 * Request changes, Reject) are: there they sit at the bottom left, so that a mention or a
 * published notice arriving mid-review never covers the button the reviewer is reaching for; in a
 * narrow window, where the decisions' bar spans the bottom, they stand on top of it.
 */
export function Notices() {
  const notices = useUi((s) => s.notices)
  const dismiss = useUi((s) => s.dismiss)
  const onOutput = useUi((s) => s.view.name === 'output')
  return (
    <section
      className={onOutput ? 'notices notices-left' : 'notices'}
      aria-live="polite"
      aria-label="Notices"
    >
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`}>
          <span>
            <span className="visually-hidden">{n.kind === 'error' ? 'Error: ' : ''}</span>
            {n.text}
          </span>
          <button type="button" className="link" onClick={() => dismiss(n.id)} aria-label="Dismiss notice">
            ×
          </button>
        </div>
      ))}
    </section>
  )
}
