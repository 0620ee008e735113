import { useUi } from '../ui/store.ts'

/** Errors and confirmations, announced politely; every notice fades (see `notify` in ui/store.ts). */
export function Notices() {
  const notices = useUi((s) => s.notices)
  const dismiss = useUi((s) => s.dismiss)
  return (
    <section className="notices" aria-live="polite" aria-label="Notices">
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
