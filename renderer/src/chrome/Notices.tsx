import { useEffect } from 'react'
import { useUi } from '../ui/store.ts'

/** Errors and confirmations, announced politely; info notices fade after a while, errors stay. */
export function Notices() {
  const notices = useUi((s) => s.notices)
  const dismiss = useUi((s) => s.dismiss)
  useEffect(() => {
    const timers = notices.filter((n) => n.kind === 'info').map((n) => setTimeout(() => dismiss(n.id), 6000))
    return () => {
      for (const t of timers) clearTimeout(t)
    }
  }, [notices, dismiss])
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
