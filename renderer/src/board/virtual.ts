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

/**
 * Cards grow with their content (a reviewer line, a refusal, tags), so a column's rows have
 * measured heights. `offsets[i]` is the top of row i and `offsets[count]` the total height.
 */
export function rowOffsets(heights: readonly number[]): Float64Array {
  const offsets = new Float64Array(heights.length + 1)
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i]! + Math.max(0, heights[i]!)
  return offsets
}

/** The first row whose bottom is below `y`. */
function rowAt(offsets: Float64Array, y: number): number {
  let lo = 0
  let hi = offsets.length - 2
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (offsets[mid + 1]! <= y) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The rows in view (plus `overscan` either side) for rows of measured heights. */
export function measuredWindow(
  scrollTop: number,
  viewportHeight: number,
  offsets: Float64Array,
  overscan = 3,
): VirtualWindow {
  const count = offsets.length - 1
  const totalHeight = offsets[count] ?? 0
  if (count <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight }
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - viewportHeight))
  const first = rowAt(offsets, top)
  const last = rowAt(offsets, top + Math.max(0, viewportHeight - 1))
  const start = Math.max(0, first - overscan)
  const end = Math.min(count, last + 1 + overscan)
  return { start, end, offsetTop: offsets[start]!, totalHeight }
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function revealMeasured(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  offsets: Float64Array,
): number | null {
  const top = offsets[index] ?? 0
  const bottom = offsets[index + 1] ?? top
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight
  return null
}
