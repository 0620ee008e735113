import { useCallback, useRef, useState } from 'react'
import type { Action } from '../../../shared/domain/derive.ts'
import { OPEN_TO_APPROVE } from '../../../shared/domain/locks.ts'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useUi } from '../ui/store.ts'
import { act } from './act.ts'
import { ACTION_LABEL, type ColumnId, columnDef, columnOf, NEEDS_REASON } from './columns.ts'

/** Where a card shows while an action on it runs. */
const TARGET: Partial<Record<Action, ColumnId>> = {
  submit: 'in_review',
  approve: 'approved',
  request_changes: 'changes_requested',
  reopen: 'draft',
  reject: 'closed',
  archive: 'closed',
}

/**
 * Moving cards: the column a card shows in while its action runs, the note it carries when the
 * rules refuse, what screen readers hear, and the reason dialog for actions that need one.
 */
export function useMoves(session: WorkspaceSession, refocus: (id: string) => void) {
  const ws = session.workspace
  const notify = useUi((s) => s.notify)
  const show = useUi((s) => s.show)
  const [pending, setPending] = useState<ReadonlyMap<string, ColumnId>>(new Map())
  const [notes, setNotes] = useState<ReadonlyMap<string, string>>(new Map())
  const [announcement, setAnnouncement] = useState('')
  const [asking, setAsking] = useState<{ summary: OutputSummary; action: Action } | null>(null)

  const setNote = useCallback((id: string, note: string | null) => {
    setNotes((prev) => {
      if (!note && !prev.has(id)) return prev
      const next = new Map(prev)
      if (note) next.set(id, note)
      else next.delete(id)
      return next
    })
  }, [])

  /** The rules refused: the card stays where it was and says why. */
  const refuse = useCallback(
    (summary: OutputSummary, reason: string) => {
      if (reason.startsWith(OPEN_TO_APPROVE)) {
        // A high-risk output is approved only by someone who read it: open it instead.
        notify('info', `“${summary.title}” opens: ${reason.slice(OPEN_TO_APPROVE.length).trim()}`)
        show({ name: 'output', outputId: summary.id })
        return
      }
      setNote(summary.id, reason)
      setAnnouncement(`Not moved: ${reason}`)
      notify('error', `“${summary.title}” was not moved: ${reason}`)
    },
    [setNote, notify, show],
  )

  /** Each card's moves run one after another: a second starts from where the first took it. */
  const queues = useRef(new Map<string, Promise<unknown>>())

  const move = useCallback(
    async (summary: OutputSummary, action: Action, reason = '') => {
      const target = TARGET[action]
      if (target) setPending((p) => new Map(p).set(summary.id, target))
      refocus(summary.id)
      const before = queues.current.get(summary.id)
      const running = (before ?? Promise.resolve())
        .catch(() => {})
        .then(() => act(session, summary.id, action, reason))
      queues.current.set(summary.id, running)
      let result: Awaited<typeof running>
      try {
        result = await running
      } finally {
        if (queues.current.get(summary.id) === running) queues.current.delete(summary.id)
      }
      refocus(summary.id)
      setPending((p) => {
        // A later move of the same card keeps showing where it goes.
        if (p.get(summary.id) !== target || queues.current.has(summary.id)) return p
        const next = new Map(p)
        next.delete(summary.id)
        return next
      })
      if (!result.ok) return refuse(summary, result.reason)
      setNote(summary.id, null)
      const landed = ws.summary(summary.id)
      const where = landed ? columnDef(columnOf(landed.state)).title : ''
      setAnnouncement(
        `${ACTION_LABEL[action].replace('…', '')}: “${summary.title}”${where ? ` is now in ${where}` : ''}.`,
      )
    },
    [session, ws, setNote, refocus, refuse],
  )

  const request = useCallback(
    (summary: OutputSummary, action: Action) => {
      if (NEEDS_REASON.has(action)) setAsking({ summary, action })
      else void move(summary, action)
    },
    [move],
  )

  return { pending, notes, setNote, announcement, setAnnouncement, refuse, move, request, asking, setAsking }
}
