import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  measuredWindow,
  revealMeasured,
  rowOffsets,
  scrollToReveal,
  virtualWindow,
} from '../../../../renderer/src/board/virtual.ts'

/** Checks a column of up to `maxCount` rows, scrolled anywhere up to `maxScroll`, in a 100–2000 px viewport. */
function forAnyWindow(
  maxCount: number,
  maxScroll: number,
  check: (count: number, scrollTop: number, viewport: number) => void,
): void {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: maxCount }),
      fc.integer({ min: 0, max: maxScroll }),
      fc.integer({ min: 100, max: 2000 }),
      check,
    ),
  )
}

describe('virtual window', () => {
  it('renders only the rows in view plus the overscan', () => {
    const w = virtualWindow(0, 700, 140, 10_000, 3)
    expect(w).toEqual({ start: 0, end: 9, offsetTop: 0, totalHeight: 1_400_000 })
    const mid = virtualWindow(140 * 500, 700, 140, 10_000, 3)
    expect(mid.start).toBe(497)
    expect(mid.end).toBe(509)
    expect(mid.offsetTop).toBe(497 * 140)
  })

  it('clamps past the end and handles empty columns', () => {
    const w = virtualWindow(1e9, 700, 140, 100, 3)
    expect(w.end).toBe(100)
    expect(w.start).toBeGreaterThan(85)
    expect(virtualWindow(0, 700, 140, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 })
  })

  it('always covers the viewport and stays small', () => {
    forAnyWindow(20_000, 3_000_000, (count, scrollTop, viewport) => {
      const row = 140
      const w = virtualWindow(scrollTop, viewport, row, count, 3)
      expect(w.start).toBeGreaterThanOrEqual(0)
      expect(w.end).toBeLessThanOrEqual(count)
      expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(viewport / row) + 1 + 6)
      const top = Math.min(scrollTop, Math.max(0, count * row - viewport))
      const firstVisible = Math.floor(top / row)
      const lastVisible = Math.min(count - 1, Math.floor((top + viewport - 1) / row))
      if (count > 0) {
        expect(w.start).toBeLessThanOrEqual(firstVisible)
        expect(w.end).toBeGreaterThan(lastVisible)
      }
    })
  })

  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(0, 0, 700, 140)).toBeNull()
    expect(scrollToReveal(10, 0, 700, 140)).toBe(11 * 140 - 700)
    expect(scrollToReveal(2, 1000, 700, 140)).toBe(280)
  })
})

describe('virtual window over measured heights (cards grow with their content, issue 12 #4)', () => {
  it('is the fixed-height window (without its spare row) when every row has the same height', () => {
    forAnyWindow(3000, 500_000, (count, scrollTop, viewport) => {
      const offsets = rowOffsets(Array.from({ length: count }, () => 140))
      const measured = measuredWindow(scrollTop, viewport, offsets, 3)
      const fixed = virtualWindow(scrollTop, viewport, 140, count, 3)
      // The same rows, less the fixed window's spare row past the viewport.
      expect(measured.start).toBe(fixed.start)
      expect(measured.offsetTop).toBe(fixed.offsetTop)
      expect(measured.totalHeight).toBe(fixed.totalHeight)
      expect(fixed.end - measured.end).toBeGreaterThanOrEqual(0)
      expect(fixed.end - measured.end).toBeLessThanOrEqual(1)
    })
  })

  it('covers the viewport whatever the heights, and reveals a row', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 40, max: 400 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 100, max: 1500 }),
        (heights, scrollTop, viewport) => {
          const offsets = rowOffsets(heights)
          const w = measuredWindow(scrollTop, viewport, offsets, 0)
          const total = offsets[heights.length]!
          expect(w.totalHeight).toBe(total)
          if (heights.length === 0) return
          const top = Math.min(scrollTop, Math.max(0, total - viewport))
          // Every row that intersects [top, top + viewport) is rendered.
          for (let i = 0; i < heights.length; i++) {
            const visible = offsets[i + 1]! > top && offsets[i]! < top + viewport
            if (visible) expect(i >= w.start && i < w.end, `row ${i}`).toBe(true)
          }
          expect(w.offsetTop).toBe(offsets[w.start])
        },
      ),
    )
    const offsets = rowOffsets([100, 300, 50, 200])
    expect(revealMeasured(1, 0, 200, offsets)).toBe(200)
    expect(revealMeasured(0, 150, 200, offsets)).toBe(0)
    expect(revealMeasured(2, 350, 200, offsets)).toBeNull()
  })
})
