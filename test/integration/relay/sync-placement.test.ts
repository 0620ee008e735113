import { describe, expect, it } from 'vitest'
import { SyncPlacement } from '../../../sync-server/store/wal-sync.ts'

describe('where the relay waits for the disk', () => {
  it('stays on its own thread while syncs are fast, through an occasional slow one', () => {
    const p = new SyncPlacement()
    for (let i = 0; i < 200; i++) p.note(i % 50 === 0 ? 16 : 0.3)
    expect(p.inline).toBe(true)
  })

  it('pays a lone stall of the disk once, however long, instead of moving the next syncs to the pool', () => {
    // Seen on this machine's virtual disk during bench:relay: single syncs of 19, 21 and 209 ms
    // between syncs of half a millisecond. Each used to move the next dozen syncs to the pool.
    const p = new SyncPlacement()
    for (let i = 0; i < 300; i++) {
      p.note([19, 21, 209].includes(i) ? i : 0.5)
      expect(p.inline).toBe(true)
    }
    // A stall over three syncs in a row (seen: 11.5 then 9.2 ms): still on the relay's thread.
    p.note(0.7)
    for (const ms of [50, 11.5, 9.2]) p.note(ms)
    expect(p.inline).toBe(true)
  })

  it('moves after a run of stalls, and within a dozen syncs of a disk that stays a little slow', () => {
    const stalls = new SyncPlacement()
    for (let i = 0; i < 20; i++) stalls.note(0.5)
    let n = 0
    for (; stalls.inline && n < 10; n++) stalls.note(40)
    expect(stalls.inline).toBe(false)
    expect(n).toBe(4)
    const slow = new SyncPlacement()
    for (let i = 0; i < 20; i++) slow.note(0.5)
    for (n = 0; slow.inline && n < 50; n++) slow.note(3.5)
    expect(slow.inline).toBe(false)
    expect(n).toBeLessThanOrEqual(12)
  })

  it('moves to the thread pool when the disk is slow, and back once it is fast again', () => {
    const lines: string[] = []
    const p = new SyncPlacement((l) => lines.push(l))
    for (let i = 0; i < 20; i++) p.note(0.3)
    for (let i = 0; i < 30 && p.inline; i++) p.note(9)
    expect(p.inline).toBe(false)
    expect(lines[0]).toMatch(/^disk syncs average \d+\.\d ms: waiting for them on the thread pool$/)
    // Between the thresholds it stays where it is (no flapping).
    for (let i = 0; i < 100; i++) p.note(1.5)
    expect(p.inline).toBe(false)
    for (let i = 0; i < 100 && !p.inline; i++) p.note(0.3)
    expect(p.inline).toBe(true)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/on the relay's thread$/)
  })
})
