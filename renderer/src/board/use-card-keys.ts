import { type KeyboardEvent, useCallback } from 'react'
import type { Action } from '../../../shared/domain/derive.ts'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import {
  type ColumnDef,
  type ColumnId,
  columnOf,
  dropAction,
  neighbourColumn,
  shownState,
} from './columns.ts'

interface CardKeys {
  pending: ReadonlyMap<string, ColumnId>
  visibleColumns: readonly ColumnDef[]
  grouped: ReadonlyMap<ColumnId, readonly OutputSummary[]>
  focusIn: (column: string, index: number) => void
  onOpen: (id: string) => void
  onMenu: (summary: OutputSummary) => void
  request: (summary: OutputSummary, action: Action) => void
}

const opensMenu = (e: KeyboardEvent) =>
  e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey) || e.key === 'm' || e.key === 'M'

/**
 * A focused card's keys: Enter opens it, M (or the context-menu key) its Move menu, Alt+←/→
 * moves it a column, arrows, Home and End move between cards.
 */
export function useCardKeys({
  pending,
  visibleColumns,
  grouped,
  focusIn,
  onOpen,
  onMenu,
  request,
}: CardKeys) {
  return useCallback(
    (e: KeyboardEvent<HTMLElement>, s: OutputSummary, index: number) => {
      if (e.target !== e.currentTarget) return
      const column = pending.get(s.id) ?? columnOf(s.state)
      const horizontal = e.key === 'ArrowLeft' || e.key === 'ArrowRight'
      const step = e.key === 'ArrowLeft' ? -1 : 1
      let handled = true
      if (e.key === 'Enter') onOpen(s.id)
      else if (opensMenu(e)) onMenu(s)
      else if (e.altKey && horizontal) {
        // Alt+→ then Alt+← at once: the second starts from where the first is taking the card.
        const from = shownState(s.state, pending.get(s.id))
        const to = neighbourColumn(from, step)
        const action = to ? dropAction(from, to) : null
        if (action) request(s, action)
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp')
        focusIn(column, index + (e.key === 'ArrowDown' ? 1 : -1))
      else if (e.key === 'Home' || e.key === 'End')
        focusIn(column, e.key === 'Home' ? 0 : Number.MAX_SAFE_INTEGER)
      else if (horizontal) {
        const cols = visibleColumns.map((c) => c.id)
        for (let i = cols.indexOf(column) + step; i >= 0 && i < cols.length; i += step) {
          const id = cols[i]!
          if ((grouped.get(id)?.length ?? 0) > 0) {
            focusIn(id, index)
            break
          }
        }
      } else handled = false
      if (handled) e.preventDefault()
    },
    [pending, visibleColumns, grouped, focusIn, onOpen, onMenu, request],
  )
}
