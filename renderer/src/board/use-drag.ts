import { type DragEvent, useCallback, useState } from 'react'
import type { Action, Check } from '../../../shared/domain/derive.ts'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useUi } from '../ui/store.ts'
import { checksFor } from './act.ts'
import { CARD_MIME, type DropFeedback } from './Column.tsx'
import { type ColumnDef, type ColumnId, columnOf, dropAction } from './columns.ts'

interface DragState {
  id: string
  from: ColumnId
  state: OutputSummary['state']
  checks: Record<Action, Check> | null
}

/**
 * Dragging a card between columns: while it is dragged each column says whether the rules let it
 * land there; a drop the rules refuse leaves the card where it was, saying why.
 */
export function useDrag(
  session: WorkspaceSession,
  moves: {
    setNote: (id: string, note: string | null) => void
    refuse: (summary: OutputSummary, reason: string) => void
    request: (summary: OutputSummary, action: Action) => void
  },
) {
  const ws = session.workspace
  const notify = useUi((s) => s.notify)
  const [drag, setDrag] = useState<DragState | null>(null)
  const { setNote, refuse, request } = moves

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
      if (check && !check.ok) return refuse(s, check.reason)
      // Not checked yet (a fast drop): perform checks the same rules and refuses the same way.
      request(s, action)
    },
    [drag, ws, notify, request, setNote, refuse],
  )

  return { draggingId: drag?.id ?? null, onDragStart, onDragEnd, feedbackFor, onDrop }
}
