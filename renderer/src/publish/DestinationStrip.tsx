import './publish.css'
import { type DragEvent, useEffect, useRef, useState } from 'react'
import type { Destination } from '../../../shared/domain/types.ts'
import { kindSpec } from '../../../shared/publish/kinds/index.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { useUi } from '../ui/store.ts'
import { checkPublishTo, publishOutput } from './flow.ts'
import { localDestinations } from './local.ts'

type Verdict = { ok: true } | { ok: false; reason: string }

/**
 * The workspace's destinations as drop targets under the board. While an approved card is
 * dragged each target says whether it may go there, and why not; a drop publishes it. Each
 * target is also a button: it opens the publish dialog for the card that last had focus.
 */
export function DestinationStrip({
  session,
  cardMime,
  draggingId,
  onRefused,
  onChoose,
}: {
  session: WorkspaceSession
  /** The drag data type the board puts a card's id under. */
  cardMime: string
  /** The card being dragged, if any. */
  draggingId: string | null
  /** A drop was refused: show the reason on the card. */
  onRefused: (outputId: string, reason: string) => void
  /** Publish by keyboard or click: open the dialog for this card and destination. */
  onChoose: (outputId: string | null, destinationId: string) => void
}) {
  const ws = session.workspace
  const destinations = useObserved(session, () =>
    ws.destinations.all().sort((a, b) => a.name.localeCompare(b.name)),
  )
  const local = localDestinations(session.entry.id)
  useObserved(local, () => local.all)
  const notify = useUi((s) => s.notify)
  const [verdicts, setVerdicts] = useState<ReadonlyMap<string, Verdict>>(new Map())
  const [over, setOver] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const lastCard = useRef<string | null>(null)

  // Remember the card that last had focus, for the targets' button.
  useEffect(() => {
    const onFocus = (e: FocusEvent) => {
      const el = (e.target as HTMLElement | null)?.closest?.('[data-output-id]')
      const id = el?.getAttribute('data-output-id')
      if (id) lastCard.current = id
    }
    document.addEventListener('focusin', onFocus)
    return () => document.removeEventListener('focusin', onFocus)
  }, [])

  // While a card is dragged, ask the rules about every target.
  useEffect(() => {
    setVerdicts(new Map())
    if (!draggingId) return
    let live = true
    void Promise.all(
      destinations.map(async (d) => [d.id, await checkPublishTo(session, draggingId, d.id)] as const),
    ).then(
      (list) => live && setVerdicts(new Map(list)),
      () => {},
    )
    return () => {
      live = false
    }
  }, [draggingId, destinations, session])

  if (destinations.length === 0) return null

  const isCard = (e: DragEvent) => e.dataTransfer.types.includes(cardMime)
  const dragOver = (e: DragEvent, id: string) => {
    if (!isCard(e)) return
    e.preventDefault()
    // The board allows 'move' only; a different effect would cancel the drop.
    e.dataTransfer.dropEffect = 'move'
    if (over !== id) setOver(id)
  }
  const drop = async (e: DragEvent, d: Destination) => {
    if (!isCard(e)) return
    e.preventDefault()
    e.stopPropagation()
    setOver(null)
    const outputId = e.dataTransfer.getData(cardMime)
    const title = ws.summary(outputId)?.title ?? 'The output'
    if (!outputId) return
    const check = await checkPublishTo(session, outputId, d.id)
    if (!check.ok) {
      onRefused(outputId, check.reason)
      notify('error', `“${title}” was not published to ${d.name}: ${check.reason}`)
      return
    }
    setBusy(d.id)
    const r = await publishOutput(session, outputId, d.id)
    setBusy(null)
    if (r.ok) {
      const where = typeof r.receipt.path === 'string' ? ` (${r.receipt.path})` : ''
      notify('info', `Published “${title}” to ${d.name}${where}.`)
    } else {
      if (!r.recorded) onRefused(outputId, r.reason)
      notify('error', `“${title}” was not published to ${d.name}: ${r.reason}`)
    }
  }

  return (
    <nav aria-label="Destinations">
      <p className="pub-strip-label" id="pub-strip-label">
        Publish: drag an approved card onto a destination, or focus a card and choose one.
      </p>
      <ul className="pub-strip" aria-labelledby="pub-strip-label">
        {destinations.map((d) => {
          const v = verdicts.get(d.id)
          const cls = ['pub-target']
          if (draggingId && v) cls.push(v.ok ? 'pub-ok' : 'pub-refused')
          if (over === d.id) cls.push('pub-over')
          const hint =
            busy === d.id
              ? 'Publishing…'
              : draggingId
                ? v
                  ? v.ok
                    ? 'Drop to publish'
                    : `Not allowed: ${v.reason}`
                  : 'Checking the rules…'
                : local.configured(d.id)
                  ? 'Set up on this machine'
                  : 'Not set up on this machine'
          return (
            <li
              key={d.id}
              className={cls.join(' ')}
              data-destination-id={d.id}
              onDragOver={(e) => dragOver(e, d.id)}
              onDragEnter={(e) => dragOver(e, d.id)}
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(null)
              }}
              onDrop={(e) => void drop(e, d)}
            >
              <button type="button" onClick={() => onChoose(lastCard.current, d.id)}>
                {d.name}
              </button>
              <span className="pub-kind">{kindSpec(d.kind).label}</span>
              <span className="pub-hint" role={draggingId && v && !v.ok ? 'note' : undefined}>
                {hint}
              </span>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
