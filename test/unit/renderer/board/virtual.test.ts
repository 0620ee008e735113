import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { scrollToReveal, virtualWindow } from '../../../../renderer/src/board/virtual.ts'

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
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 3_000_000 }),
        fc.integer({ min: 100, max: 2000 }),
        (count, scrollTop, viewport) => {
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
        },
      ),
    )
  })

  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(0, 0, 700, 140)).toBeNull()
    expect(scrollToReveal(10, 0, 700, 140)).toBe(11 * 140 - 700)
    expect(scrollToReveal(2, 1000, 700, 140)).toBe(280)
  })
})
