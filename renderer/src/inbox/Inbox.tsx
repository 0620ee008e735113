import { useModel } from '../app/context.tsx'
import { useUi } from '../ui/store.ts'
import { useInbox } from './use-inbox.ts'

const KIND = { review: 'Review', mention: 'Mention', changes_requested: 'Changes requested' } as const

/** "For me": reviews waiting, mentions and send-backs of my outputs, in every workspace. */
export function Inbox() {
  const model = useModel()
  const { items } = useInbox(model)
  const show = useUi((s) => s.show)
  const setActive = useUi((s) => s.setActiveWorkspace)
  return (
    <main className="inbox" aria-labelledby="inbox-heading" style={{ padding: '16px 20px', maxWidth: 900 }}>
      <h1 id="inbox-heading" style={{ fontSize: '1.3rem', margin: '0 0 8px' }}>
        For me
      </h1>
      {items.length === 0 ? (
        <p>Nothing waits for you. Reviews, mentions and changes requested on your outputs show here.</p>
      ) : (
        <ul aria-label="Waiting for me" style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 8 }}>
          {items.map((i) => (
            <li
              key={`${i.workspaceId}-${i.kind}-${i.outputId}-${i.at}`}
              style={{
                background: '#fff',
                border: '1px solid #d8dee4',
                borderRadius: 8,
                padding: '8px 12px',
              }}
            >
              <button
                type="button"
                className="inbox-open"
                onClick={() => {
                  setActive(i.workspaceId)
                  show({ name: 'output', outputId: i.outputId })
                }}
              >
                {i.title}
              </button>{' '}
              <span className="inbox-kind">
                {KIND[i.kind]}
                {i.by ? ` from ${i.by}` : ''} · {i.workspaceName} · {new Date(i.at).toLocaleString()}
              </span>
              <p style={{ margin: '4px 0 0' }}>{i.text}</p>
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}

/** The header's "For me" button, with how many items wait. */
export function InboxButton({ current, onOpen }: { current: boolean; onOpen: () => void }) {
  const { items } = useInbox(useModel())
  return (
    <button type="button" aria-current={current ? 'page' : undefined} onClick={onOpen}>
      For me{items.length > 0 ? ` (${items.length})` : ''}
    </button>
  )
}
