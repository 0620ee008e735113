import { useCallback, useRef, useState } from 'react'
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
  // A refocus asked from a dialog that closes without the board rendering again (its state is in
  // another store) must still be carried out: asking renders the board, whose layout effect follows.
  const [, render] = useState(0)
  const refocus = useCallback((id: string) => {
    focusAfter.current = id
    render((n) => n + 1)
  }, [])
  /** Call after each render (in a layout effect), with the cards as they now stand. */
  const follow = useCallback((grouped: ReadonlyMap<ColumnId, readonly OutputSummary[]>) => {
    const id = focusAfter.current
    if (!id) return
    const active = document.activeElement
    // Focus went somewhere on purpose: leave it there. While a dialog holds it the card waits
    // for the dialog to close; anywhere else (the search box, the button a dialog gave the focus
    // back to) the card gives up, rather than taking the focus later from whatever is focused.
    if (active && active !== document.body && !active.closest('.columns')) {
      if (!active.closest('dialog')) focusAfter.current = null
      return
    }
    for (const [column, list] of grouped) {
      const index = list.findIndex((x) => x.id === id)
      if (index >= 0) {
        const handle = handles.current.get(column)
        // A column not there yet: the card waits for the next render.
        if (!handle) return
        focusAfter.current = null
        handle.focusIndex(index)
        return
      }
    }
  }, [])
  const focusIn = useCallback((column: string, index: number) => {
    handles.current.get(column)?.focusIndex(index)
  }, [])
  return { register, refocus, focusIn, follow }
}
