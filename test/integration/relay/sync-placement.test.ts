import { describe, expect, it } from 'vitest'
import { SyncPlacement } from '../../../sync-server/store/wal-sync.ts'

describe('where the relay waits for the disk', () => {
  it('stays on its own thread while syncs are fast, through an occasional slow one', () => {
    const p = new SyncPlacement()
    for (let i = 0; i < 200; i++) p.note(i % 50 === 0 ? 16 : 0.3)
    expect(p.inline).toBe(true)
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
