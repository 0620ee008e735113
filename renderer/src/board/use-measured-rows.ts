import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import { ROW_HEIGHT } from './Column.tsx'
import { rowOffsets } from './virtual.ts'

/**
 * A column's row offsets from measured card heights: `observe` is the ref for each rendered slot;
 * a slot whose height changes re-places the rows. Unmeasured slots count as ROW_HEIGHT.
 */
export function useMeasuredRows(items: readonly OutputSummary[]) {
  // Measured slot heights by output id; a change re-places the rows.
  const heights = useRef(new Map<string, number>())
  const [measured, setMeasured] = useState(0)
  const [observer] = useState(() =>
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((entries) => {
          let changed = false
          for (const entry of entries) {
            const id = (entry.target as HTMLElement).dataset.slotId
            const h = Math.ceil(entry.borderBoxSize?.[0]?.blockSize ?? entry.contentRect.height)
            if (id && h > 0 && heights.current.get(id) !== h) {
              heights.current.set(id, h)
              changed = true
            }
          }
          if (changed) setMeasured((n) => n + 1)
        }),
  )
  useEffect(() => () => observer?.disconnect(), [observer])
  const observe = useCallback(
    (el: HTMLLIElement | null) => {
      if (!el || !observer) return
      observer.observe(el)
      return () => observer.unobserve(el)
    },
    [observer],
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: `measured` is the signal that heights changed
  const offsets = useMemo(
    () => rowOffsets(items.map((s) => heights.current.get(s.id) ?? ROW_HEIGHT)),
    [items, measured],
  )
  return { offsets, observe }
}
