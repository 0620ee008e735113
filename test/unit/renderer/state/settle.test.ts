/** Waiting for a pause at the cost of one timer per pause, not one per event. */
import { describe, expect, it } from 'vitest'
import { Settle } from '../../../../renderer/src/state/settle.ts'

describe('Settle', () => {
  it('runs once pokes pause, with one timer however many pokes', () => {
    let now = 0
    const timers: { fn: () => void; at: number }[] = []
    let sets = 0
    const clock = {
      set: (fn: () => void, ms: number) => {
        sets++
        const t = { fn, at: now + ms }
        timers.push(t)
        return t
      },
      clear: (h: unknown) => {
        timers.splice(timers.indexOf(h as (typeof timers)[number]), 1)
      },
      now: () => now,
    }
    const advance = (ms: number) => {
      now += ms
      for (const t of [...timers].sort((a, b) => a.at - b.at))
        if (t.at <= now) {
          timers.splice(timers.indexOf(t), 1)
          t.fn()
        }
    }
    let ran = 0
    const s = new Settle(() => ran++, 100, clock)
    for (let i = 0; i < 10; i++) {
      s.poke()
      advance(30)
    }
    // Ten pokes 30 ms apart: still waiting, on the one timer (re-armed once when it fired early).
    expect(ran).toBe(0)
    expect(s.pending).toBe(true)
    advance(100)
    expect(ran).toBe(1)
    expect(sets).toBeLessThanOrEqual(5)
    expect(s.pending).toBe(false)
    s.poke()
    s.cancel()
    advance(500)
    expect(ran).toBe(1)
  })
})
