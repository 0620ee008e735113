import './board.css'
import { useCallback, useLayoutEffect, useMemo } from 'react'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { Peer } from '../chrome/presence.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { CardThreads } from '../inbox/CardThreads.tsx'
import { CardPublish } from '../publish/CardPublish.tsx'
import { DestinationStrip } from '../publish/DestinationStrip.tsx'
import { useUi } from '../ui/store.ts'
import { BoardDialogs, useDialogState } from './BoardDialogs.tsx'
import { Card, type CardActions } from './Card.tsx'
import { CARD_MIME, Column } from './Column.tsx'
import { Toolbar } from './Toolbar.tsx'
import { useBoardData } from './use-board-data.ts'
import { useCardKeys } from './use-card-keys.ts'
import { useDrag } from './use-drag.ts'
import { useFocusFollow } from './use-focus-follow.ts'
import { useMoves } from './use-moves.ts'

const EMPTY: readonly OutputSummary[] = []
const NO_PEERS: readonly Peer[] = []

/** The board: outputs in columns by review state; drag, keys or the Move… menu to act. */
export function Board({ session, peers }: { session: WorkspaceSession; peers: readonly Peer[] }) {
  const ws = session.workspace
  const notify = useUi((s) => s.notify)
  const show = useUi((s) => s.show)
  const dialogs = useDialogState()
  const { setMenuFor, setPublishing } = dialogs
  const { register, refocus, focusIn, follow } = useFocusFollow()
  const moves = useMoves(session, refocus)
  const { pending, notes, setNote, setAnnouncement, request } = moves
  const data = useBoardData(session, peers, pending)
  const { grouped, visibleColumns, types, members, viewersByOutput, now } = data
  // Arriving on the board with the focus nowhere (back from an output by Escape or "Back to
  // board", a workspace just made): the card last opened takes it, else New output, so the
  // keyboard goes on from there instead of from the top of the page.
  useLayoutEffect(() => {
    if (document.activeElement !== document.body) return
    const last = useUi.getState().lastOutputId
    if (last && ws.summary(last)) refocus(last)
    else document.querySelector<HTMLElement>('[data-new-output]')?.focus()
  }, [ws, refocus])
  useLayoutEffect(() => follow(grouped))
  const drag = useDrag(session, moves)
  const { onDragStart, onDragEnd } = drag

  const onOpen = useCallback((id: string) => show({ name: 'output', outputId: id }), [show])
  const onMenu = useCallback(
    (id: string) => {
      const s = ws.summary(id)
      if (s) setMenuFor(s)
    },
    [ws, setMenuFor],
  )
  const onKey = useCardKeys({
    pending,
    visibleColumns,
    grouped,
    focusIn,
    onOpen,
    onMenu: setMenuFor,
    request,
  })
  const actions: CardActions = useMemo(
    () => ({ onOpen, onMenu, onKey, onDragStart, onDragEnd }),
    [onOpen, onMenu, onKey, onDragStart, onDragEnd],
  )

  const renderCard = useCallback(
    (s: OutputSummary, index: number) => {
      const personId = s.assignees[0] ?? s.authorId
      return (
        <Card
          summary={s}
          index={index}
          type={types.get(s.typeId)}
          personId={personId}
          personName={members.get(personId)?.name ?? 'Unknown member'}
          viewers={viewersByOutput.get(s.id) ?? NO_PEERS}
          note={notes.get(s.id)}
          pending={pending.has(s.id)}
          now={now}
          actions={actions}
          extra={
            <>
              <CardPublish session={session} summary={s} now={now} />
              <CardThreads session={session} outputId={s.id} />
            </>
          }
        />
      )
    },
    [session, types, members, viewersByOutput, notes, pending, now, actions],
  )

  return (
    <main className="board" aria-label="Board">
      <Toolbar
        types={data.typeList}
        members={data.memberList}
        total={data.summaries.length}
        shown={visibleColumns.reduce((n, c) => n + (grouped.get(c.id)?.length ?? 0), 0)}
        tags={data.tags}
      />
      <p className="visually-hidden" role="status" aria-live="polite">
        {moves.announcement}
      </p>
      <div className="columns">
        {visibleColumns.map((c) => (
          <Column
            key={c.id}
            def={c}
            items={grouped.get(c.id) ?? EMPTY}
            renderCard={renderCard}
            feedback={drag.feedbackFor(c.id)}
            onDrop={drag.onDrop}
            register={register}
          />
        ))}
      </div>
      <DestinationStrip
        session={session}
        cardMime={CARD_MIME}
        draggingId={drag.draggingId}
        onRefused={(id, reason) => {
          setNote(id, reason)
          setAnnouncement(`Not published: ${reason}`)
        }}
        onChoose={(outputId, destinationId) => {
          if (outputId && ws.summary(outputId)) setPublishing({ outputId, destinationId })
          else notify('info', 'Focus a card first (Tab to it), then choose a destination.')
        }}
      />
      <p className="board-help">
        Tab to a card, then <kbd>Enter</kbd> opens it, <kbd>M</kbd> opens its Move menu (<kbd>P</kbd> there
        publishes), <kbd>Alt</kbd>+<kbd>←</kbd>/<kbd>→</kbd> moves it a column, <kbd>↑</kbd>/<kbd>↓</kbd>/
        <kbd>←</kbd>/<kbd>→</kbd> move between cards.
      </p>
      <BoardDialogs session={session} dialogs={dialogs} moves={moves} refocus={refocus} />
    </main>
  )
}
