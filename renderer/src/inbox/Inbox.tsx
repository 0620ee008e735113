import './inbox.css'
import { useModel } from '../app/context.tsx'
import { useAfterFirstPaint } from '../state/after-paint.ts'
import { useUi } from '../ui/store.ts'
import { useInbox } from './use-inbox.ts'
import { useMentionNotices } from './use-mention-notices.ts'

const KIND = { review: 'Review', mention: 'Mention', changes_requested: 'Changes requested' } as const

/** "For me": reviews waiting, mentions and send-backs of my outputs, in every workspace. */
export function Inbox() {
  const model = useModel()
  const { items } = useInbox(model)
  const show = useUi((s) => s.show)
  const setActive = useUi((s) => s.setActiveWorkspace)
  return (
    <main className="inbox" aria-labelledby="inbox-heading">
      <h1 id="inbox-heading">For me</h1>
      {items.length === 0 ? (
        <p>Nothing waits for you. Reviews, mentions and changes requested on your outputs show here.</p>
      ) : (
        <ul aria-label="Waiting for me" className="inbox-list">
          {items.map((i) => (
            <li
              key={`${i.workspaceId}-${i.kind}-${i.outputId}-${i.at}`}
              className={`inbox-item inbox-item-${i.kind}`}
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
              <p className="inbox-text">{i.text}</p>
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}

/** The header's "For me" button, with how many items wait. */
export function InboxButton({ current, onOpen }: { current: boolean; onOpen: () => void }) {
  // Counted once the first frame is drawn: ten thousand rows need not hold up the board.
  const drawn = useAfterFirstPaint()
  const { items } = useInbox(useModel(), drawn)
  // The header is always there: it announces new mentions for every workspace on this device
  // (from the first count on: what waited before it is in "For me" and is not news).
  useMentionNotices(drawn ? items : null)
  return (
    <button type="button" aria-current={current ? 'page' : undefined} onClick={onOpen}>
      For me
      {items.length > 0 && (
        <span className="count-badge">
          {' '}
          <span className="visually-hidden">(</span>
          {items.length}
          <span className="visually-hidden">)</span>
        </span>
      )}
    </button>
  )
}
