/**
 * Window math for a column of fixed-height cards: only the cards in view (plus a few either
 * side) are in the DOM, so ten thousand outputs cost the same as twenty.
 */
export interface VirtualWindow {
  start: number
  /** Exclusive. */
  end: number
  /** Space above the first rendered card. */
  offsetTop: number
  totalHeight: number
}

export function virtualWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 3,
): VirtualWindow {
  const totalHeight = Math.max(0, count * rowHeight)
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight }
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - viewportHeight))
  const first = Math.floor(top / rowHeight)
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1
  const start = Math.max(0, first - overscan)
  const end = Math.min(count, first + visible + overscan)
  return { start, end, offsetTop: start * rowHeight, totalHeight }
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function scrollToReveal(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number | null {
  const top = index * rowHeight
  const bottom = top + rowHeight
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight
  return null
}
