import { useCallback, useRef } from 'react'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { ColumnHandle } from './Column.tsx'
import type { ColumnId } from './columns.ts'

/**
 * Keyboard focus follows the card a person acted on: after Alt+←/→, a Move-menu choice, the
 * reason dialog or the publish dialog, the card (re-mounted in its new column, or where it
 * stayed) gets focus back, so the keyboard workflow goes on from it instead of from <body>.
 */
export function useFocusFollow() {
  const handles = useRef(new Map<string, ColumnHandle>())
  const register = useCallback((id: string, h: ColumnHandle | null) => {
    if (h) handles.current.set(id, h)
    else handles.current.delete(id)
  }, [])
  const focusAfter = useRef<string | null>(null)
  const refocus = useCallback((id: string) => {
    focusAfter.current = id
  }, [])
  /** Call after each render (in a layout effect), with the cards as they now stand. */
  const follow = useCallback((grouped: ReadonlyMap<ColumnId, readonly OutputSummary[]>) => {
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
  }, [])
  const focusIn = useCallback((column: string, index: number) => {
    handles.current.get(column)?.focusIndex(index)
  }, [])
  return { register, refocus, focusIn, follow }
}
