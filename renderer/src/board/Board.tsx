import {
  type DragEvent,
  type KeyboardEvent,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import type { Action, Check } from '../../../shared/domain/derive.ts'
import { OPEN_TO_APPROVE } from '../../../shared/domain/locks.ts'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { Peer } from '../chrome/presence.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { CardThreads } from '../inbox/CardThreads.tsx'
import { CardPublish } from '../publish/CardPublish.tsx'
import { DestinationStrip } from '../publish/DestinationStrip.tsx'
import { PublishDialog } from '../publish/PublishDialog.tsx'
import { PublishStyles } from '../publish/styles.tsx'
import { useObserved } from '../state/observable.ts'
import { useUi } from '../ui/store.ts'
import { act, checksFor } from './act.ts'
import { useBoardUi } from './board-store.ts'
import { Card } from './Card.tsx'
import { CARD_MIME, Column, type ColumnHandle, type DropFeedback } from './Column.tsx'
import {
  ACTION_LABEL,
  COLUMNS,
  type ColumnDef,
  type ColumnId,
  columnDef,
  columnOf,
  dropAction,
  MAIN_COLUMNS,
  NEEDS_REASON,
  neighbourColumn,
} from './columns.ts'
import { allTags, groupSummaries } from './filters.ts'
import { MoveMenu } from './MoveMenu.tsx'
import { NewOutputDialog } from './NewOutputDialog.tsx'
import { ReasonDialog } from './ReasonDialog.tsx'
import { readSummaries } from './summaries.ts'
import { Toolbar } from './Toolbar.tsx'

const EMPTY: readonly OutputSummary[] = []
const NO_PEERS: readonly Peer[] = []

interface DragState {
  id: string
  from: ColumnId
  state: OutputSummary['state']
  checks: Record<Action, Check> | null
}

interface Asking {
  summary: OutputSummary
  action: Action
}

/** The board: outputs in columns by review state; drag, keys or the Move… menu to act. */
export function Board({ session, peers }: { session: WorkspaceSession; peers: readonly Peer[] }) {
  const ws = session.workspace
  const summaries = useObserved(session, () => readSummaries(ws))
  const typeList = useObserved(session, () => ws.types.all())
  const memberList = useObserved(session, () => ws.members.all())
  const types = useMemo(() => new Map(typeList.map((t) => [t.id, t])), [typeList])
  const members = useMemo(() => new Map(memberList.map((m) => [m.id, m])), [memberList])
  const me = members.get(session.memberId)
  const filters = useUi((s) => s.filters)
  const notify = useUi((s) => s.notify)
  const show = useUi((s) => s.show)
  const search = useBoardUi((s) => s.search)
  const newOutput = useBoardUi((s) => s.newOutput)
  const closeNewOutput = useBoardUi((s) => s.closeNewOutput)

  const [pending, setPending] = useState<ReadonlyMap<string, ColumnId>>(new Map())
  const [notes, setNotes] = useState<ReadonlyMap<string, string>>(new Map())
  const [drag, setDrag] = useState<DragState | null>(null)
  const [menuFor, setMenuFor] = useState<OutputSummary | null>(null)
  const [asking, setAsking] = useState<Asking | null>(null)
  const [publishing, setPublishing] = useState<{ outputId: string; destinationId?: string } | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(t)
  }, [])

  const grouped = useMemo(() => {
    const q = search.trim().toLowerCase()
    const base = q ? summaries.filter((s) => s.title.toLowerCase().includes(q)) : summaries
    const g = groupSummaries(base, filters, { me, types })
    // Cards being moved show in their target column straight away; the rules confirm or undo it.
    if (pending.size > 0) {
      for (const [id, to] of pending) {
        const s = summaries.find((x) => x.id === id)
        if (!s) continue
        const from = columnOf(s.state)
        if (from === to) continue
        g.set(
          from,
          (g.get(from) ?? []).filter((x) => x.id !== id),
        )
        g.set(to, [s, ...(g.get(to) ?? [])])
      }
    }
    return g
  }, [summaries, filters, me, types, search, pending])

  const tags = useMemo(() => allTags(summaries), [summaries])
  const showClosed = (filters.states ?? []).some((s) => s === 'rejected' || s === 'archived')
  const visibleColumns: readonly ColumnDef[] = COLUMNS.filter(
    (c) => MAIN_COLUMNS.includes(c.id) || (c.id === 'closed' && showClosed),
  )

  const viewersByOutput = useMemo(() => {
    const m = new Map<string, Peer[]>()
    for (const p of peers) {
      if (!p.viewing) continue
      const list = m.get(p.viewing) ?? []
      list.push(p)
      m.set(p.viewing, list)
    }
    return m
  }, [peers])

  const handles = useRef(new Map<string, ColumnHandle>())
  const register = useCallback((id: string, h: ColumnHandle | null) => {
    if (h) handles.current.set(id, h)
    else handles.current.delete(id)
  }, [])

  // Keyboard focus follows the card a person acted on: after Alt+←/→, a Move-menu choice, the
  // reason dialog or the publish dialog, the card (re-mounted in its new column, or where it
  // stayed) gets focus back, so the keyboard workflow goes on from it instead of from <body>.
  const focusAfter = useRef<string | null>(null)
  const refocus = useCallback((id: string) => {
    focusAfter.current = id
  }, [])
  useLayoutEffect(() => {
    const id = focusAfter.current
    if (!id) return
    const active = document.activeElement
    // Focus went somewhere on purpose (a dialog, the search box): leave it there for now.
    if (active && active !== document.body && !active.closest('.columns')) return
    for (const [column, list] of grouped) {
      const index = list.findIndex((x) => x.id === id)
      if (index >= 0) {
        focusAfter.current = null
        handles.current.get(column)?.focusIndex(index)
        return
      }
    }
  })

  const setNote = useCallback((id: string, note: string | null) => {
    setNotes((prev) => {
      if (!note && !prev.has(id)) return prev
      const next = new Map(prev)
      if (note) next.set(id, note)
      else next.delete(id)
      return next
    })
  }, [])

  const move = useCallback(
    async (summary: OutputSummary, action: Action, reason = '') => {
      const target = (
        {
          submit: 'in_review',
          approve: 'approved',
          request_changes: 'changes_requested',
          reopen: 'draft',
          reject: 'closed',
          archive: 'closed',
        } as Partial<Record<Action, ColumnId>>
      )[action]
      if (target) setPending((p) => new Map(p).set(summary.id, target))
      refocus(summary.id)
      const result = await act(session, summary.id, action, reason)
      refocus(summary.id)
      setPending((p) => {
        const next = new Map(p)
        next.delete(summary.id)
        return next
      })
      if (result.ok) {
        setNote(summary.id, null)
        const landed = ws.summary(summary.id)
        const where = landed ? columnDef(columnOf(landed.state)).title : ''
        setAnnouncement(
          `${ACTION_LABEL[action].replace('…', '')}: “${summary.title}”${where ? ` is now in ${where}` : ''}.`,
        )
      } else if (result.reason.startsWith(OPEN_TO_APPROVE)) {
        // A high-risk output is approved only by someone who read it: open it instead.
        notify('info', `“${summary.title}” opens: ${result.reason.slice(OPEN_TO_APPROVE.length).trim()}`)
        show({ name: 'output', outputId: summary.id })
      } else {
        setNote(summary.id, result.reason)
        setAnnouncement(`Not moved: ${result.reason}`)
        notify('error', `“${summary.title}” was not moved: ${result.reason}`)
      }
    },
    [session, ws, notify, setNote, refocus, show],
  )

  const request = useCallback(
    (summary: OutputSummary, action: Action) => {
      if (NEEDS_REASON.has(action)) setAsking({ summary, action })
      else void move(summary, action)
    },
    [move],
  )

  const onOpen = useCallback((id: string) => show({ name: 'output', outputId: id }), [show])
  const onMenu = useCallback(
    (id: string) => {
      const s = ws.summary(id)
      if (s) setMenuFor(s)
    },
    [ws],
  )

  const onKey = useCallback(
    (e: KeyboardEvent<HTMLElement>, s: OutputSummary, index: number) => {
      if (e.target !== e.currentTarget) return
      const column = pending.get(s.id) ?? columnOf(s.state)
      const cols = visibleColumns.map((c) => c.id)
      if (e.key === 'Enter') {
        e.preventDefault()
        onOpen(s.id)
      } else if (
        e.key === 'ContextMenu' ||
        (e.key === 'F10' && e.shiftKey) ||
        e.key === 'm' ||
        e.key === 'M'
      ) {
        e.preventDefault()
        setMenuFor(s)
      } else if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
        e.preventDefault()
        const to = neighbourColumn(s.state, e.key === 'ArrowLeft' ? -1 : 1)
        const action = to ? dropAction(s.state, to) : null
        if (action) request(s, action)
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault()
        handles.current.get(column)?.focusIndex(index + (e.key === 'ArrowDown' ? 1 : -1))
      } else if (e.key === 'Home' || e.key === 'End') {
        e.preventDefault()
        handles.current.get(column)?.focusIndex(e.key === 'Home' ? 0 : Number.MAX_SAFE_INTEGER)
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault()
        const step = e.key === 'ArrowLeft' ? -1 : 1
        for (let i = cols.indexOf(column) + step; i >= 0 && i < cols.length; i += step) {
          const id = cols[i]!
          if ((grouped.get(id) ?? EMPTY).length > 0) {
            handles.current.get(id)?.focusIndex(index)
            break
          }
        }
      }
    },
    [pending, visibleColumns, onOpen, request, grouped],
  )

  const onDragStart = useCallback(
    (e: DragEvent<HTMLElement>, s: OutputSummary) => {
      e.dataTransfer.setData(CARD_MIME, s.id)
      e.dataTransfer.setData('text/plain', s.title)
      e.dataTransfer.effectAllowed = 'move'
      setDrag({ id: s.id, from: columnOf(s.state), state: s.state, checks: null })
      checksFor(session, s.id).then(
        (checks) => setDrag((d) => (d && d.id === s.id ? { ...d, checks } : d)),
        () => {},
      )
    },
    [session],
  )
  const onDragEnd = useCallback(() => setDrag(null), [])

  const feedbackFor = (column: ColumnId): DropFeedback | null => {
    if (!drag) return null
    const action = dropAction(drag.state, column)
    if (!action) return { kind: 'same' }
    if (!drag.checks) return { kind: 'checking' }
    const check = drag.checks[action]
    return check.ok ? { kind: 'ok' } : { kind: 'refused', reason: check.reason }
  }

  const onDrop = useCallback(
    (column: ColumnDef, outputId: string) => {
      const d = drag?.id === outputId ? drag : null
      setDrag(null)
      const s = ws.summary(outputId)
      if (!s) return
      const action = dropAction(s.state, column.id)
      if (!action) {
        if (columnOf(s.state) !== column.id) {
          const reason =
            column.id === 'published'
              ? 'Publishing needs a destination: drop it on one below the board, or use Move… → Publish to….'
              : `No single action moves it to ${column.title}; open it to do that.`
          setNote(s.id, reason)
          notify('error', `“${s.title}” was not moved: ${reason}`)
        }
        return
      }
      const check = d?.checks?.[action]
      if (check && !check.ok) {
        // The rules refuse: the card stays where it was and says why.
        setNote(s.id, check.reason)
        setAnnouncement(`Not moved: ${check.reason}`)
        notify('error', `“${s.title}” was not moved: ${check.reason}`)
        return
      }
      // Not checked yet (a fast drop): perform checks the same rules and refuses the same way.
      request(s, action)
    },
    [drag, ws, notify, request, setNote],
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
          onOpen={onOpen}
          onMenu={onMenu}
          onKey={onKey}
          onDragStart={onDragStart}
          onDragEnd={onDragEnd}
          extra={
            <>
              <CardPublish session={session} summary={s} />
              <CardThreads session={session} outputId={s.id} />
            </>
          }
        />
      )
    },
    [
      session,
      types,
      members,
      viewersByOutput,
      notes,
      pending,
      now,
      onOpen,
      onMenu,
      onKey,
      onDragStart,
      onDragEnd,
    ],
  )

  const loadChecks = useCallback(() => checksFor(session, menuFor?.id ?? ''), [session, menuFor])

  return (
    <main className="board" aria-label="Board">
      <Toolbar
        types={typeList}
        members={memberList}
        total={summaries.length}
        shown={visibleColumns.reduce((n, c) => n + (grouped.get(c.id)?.length ?? 0), 0)}
        tags={tags}
      />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <div className="columns">
        {visibleColumns.map((c) => (
          <Column
            key={c.id}
            def={c}
            items={grouped.get(c.id) ?? EMPTY}
            renderCard={renderCard}
            feedback={feedbackFor(c.id)}
            onDrop={onDrop}
            register={register}
          />
        ))}
      </div>
      <PublishStyles />
      <DestinationStrip
        session={session}
        cardMime={CARD_MIME}
        draggingId={drag?.id ?? null}
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
      {menuFor && (
        <MoveMenu
          summary={menuFor}
          loadChecks={loadChecks}
          onClose={() => {
            refocus(menuFor.id)
            setMenuFor(null)
          }}
          onPublish={() => {
            const s = menuFor
            setMenuFor(null)
            setPublishing({ outputId: s.id })
          }}
          onChoose={(action) => {
            const s = menuFor
            refocus(s.id)
            setMenuFor(null)
            request(s, action)
          }}
        />
      )}
      {publishing && (
        <PublishDialog
          session={session}
          outputId={publishing.outputId}
          {...(publishing.destinationId ? { destinationId: publishing.destinationId } : {})}
          onClose={() => {
            refocus(publishing.outputId)
            setPublishing(null)
          }}
        />
      )}
      {asking && (
        <ReasonDialog
          action={asking.action}
          title={asking.summary.title}
          onCancel={() => {
            refocus(asking.summary.id)
            setAsking(null)
          }}
          onConfirm={(reason) => {
            const a = asking
            refocus(a.summary.id)
            setAsking(null)
            void move(a.summary, a.action, reason)
          }}
        />
      )}
      {newOutput && (
        <NewOutputDialog
          session={session}
          initial={newOutput}
          onClose={closeNewOutput}
          onCreated={(_id, title) => {
            closeNewOutput()
            notify('info', `Created the draft “${title}”.`)
          }}
        />
      )}
    </main>
  )
}
