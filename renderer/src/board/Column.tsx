import {
  type DragEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { ColumnDef } from './columns.ts'
import { useMeasuredRows } from './use-measured-rows.ts'
import { measuredWindow, revealMeasured } from './virtual.ts'

/**
 * The height a card slot (card plus gap) is taken to have until it has been measured. Cards grow
 * with their content; the column measures each rendered slot and places rows by those heights.
 */
export const ROW_HEIGHT = 140

/** The drag data type of a card, so columns can tell a card from a dropped file. */
export const CARD_MIME = 'application/x-signoff-output'

export interface DropFeedback {
  kind: 'ok' | 'refused' | 'checking' | 'same'
  reason?: string
}

export interface ColumnHandle {
  focusIndex: (index: number) => void
}

export function Column({
  def,
  items,
  renderCard,
  feedback,
  onDrop,
  register,
}: {
  def: ColumnDef
  items: readonly OutputSummary[]
  renderCard: (summary: OutputSummary, index: number) => ReactNode
  /** Set while a card is dragged: may it land here? */
  feedback: DropFeedback | null
  onDrop: (column: ColumnDef, outputId: string) => void
  register: (id: string, handle: ColumnHandle | null) => void
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  // The window's height until the column's own is known: enough rows for the first paint,
  // which then needs no second render of every column before it is drawn.
  const [height, setHeight] = useState(() => window.innerHeight || 800)
  const [over, setOver] = useState(false)
  const wantFocus = useRef<number | null>(null)

  useEffect(() => {
    const el = scroller.current
    if (!el) return
    // Its first notice gives the column's height.
    const ro = new ResizeObserver(() => setHeight(el.clientHeight))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  const { offsets, observe } = useMeasuredRows(items)
  const win = measuredWindow(scrollTop, height, offsets)

  const focusIndex = useCallback(
    (index: number) => {
      const el = scroller.current
      if (!el || items.length === 0) return
      const i = Math.max(0, Math.min(items.length - 1, index))
      const top = revealMeasured(i, el.scrollTop, el.clientHeight, offsets)
      wantFocus.current = i
      if (top !== null) {
        el.scrollTop = top
        setScrollTop(top)
      }
      const card = el.querySelector<HTMLElement>(`[data-index="${i}"] .card-open`)
      if (card) {
        card.focus({ preventScroll: true })
        wantFocus.current = null
      }
    },
    [items.length, offsets],
  )

  // The board asks for a card in its own layout effect, right after a render that may have added
  // it (a draft just made): the handle it calls must already see this render's cards, so it reads
  // the newest focusIndex, set in a layout effect (children's run before the board's).
  const latest = useRef(focusIndex)
  useLayoutEffect(() => {
    latest.current = focusIndex
  })
  // Registered in a layout effect too, so that on the board's first render (back from an output)
  // the board's own layout effect finds the columns.
  useLayoutEffect(() => {
    register(def.id, { focusIndex: (index) => latest.current(index) })
    return () => register(def.id, null)
  }, [def.id, register])

  // After a scroll brought the wanted card into the DOM, focus it.
  useLayoutEffect(() => {
    const i = wantFocus.current
    if (i === null) return
    const card = scroller.current?.querySelector<HTMLElement>(`[data-index="${i}"] .card-open`)
    if (card) {
      card.focus({ preventScroll: true })
      wantFocus.current = null
    }
  })

  // Accept by the drag's type, not by React state: the first dragover can come before the
  // render that follows dragstart. A refused drop is still taken, to say why on the card.
  const isCard = (e: DragEvent) => e.dataTransfer.types.includes(CARD_MIME)
  const dragOver = (e: DragEvent) => {
    if (!isCard(e)) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'move'
    if (!over) setOver(true)
  }
  const drop = (e: DragEvent) => {
    if (!isCard(e)) return
    e.preventDefault()
    setOver(false)
    const id = e.dataTransfer.getData(CARD_MIME)
    if (id) onDrop(def, id)
  }
  const headingId = `column-${def.id}`
  const cls = ['column']
  if (feedback && feedback.kind !== 'same') cls.push(`drop-${feedback.kind}`)
  if (over) cls.push('drop-over')
  return (
    <section
      className={cls.join(' ')}
      aria-labelledby={headingId}
      data-column={def.id}
      onDragOver={dragOver}
      onDragEnter={dragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false)
      }}
      onDrop={drop}
    >
      <header className="column-head">
        <h2 id={headingId}>{def.title}</h2>
        <span className="column-count">
          {items.length.toLocaleString()}
          <span className="visually-hidden"> outputs</span>
        </span>
      </header>
      {feedback && feedback.kind !== 'same' && (
        <p className={`drop-hint drop-hint-${feedback.kind}`}>
          {feedback.kind === 'ok'
            ? 'Drop to move here'
            : feedback.kind === 'checking'
              ? 'Checking the rules…'
              : `Not allowed: ${feedback.reason ?? ''}`}
        </p>
      )}
      <div ref={scroller} className="column-scroll" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: win.totalHeight, position: 'relative' }}>
          <ul
            className="card-list"
            aria-labelledby={headingId}
            style={{ transform: `translateY(${win.offsetTop}px)` }}
          >
            {items.slice(win.start, win.end).map((s, k) => (
              <li
                key={s.id}
                ref={observe}
                data-slot-id={s.id}
                className="card-slot"
                aria-setsize={items.length}
                aria-posinset={win.start + k + 1}
              >
                {renderCard(s, win.start + k)}
              </li>
            ))}
          </ul>
        </div>
        {items.length === 0 && <p className="column-empty">Nothing here</p>}
      </div>
    </section>
  )
}
