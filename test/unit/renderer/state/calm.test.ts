import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CalmText } from '../../../../renderer/src/state/calm.ts'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

function calm(initial: string) {
  let text = initial
  const c = new CalmText(
    () => text,
    (t) => t === 'Saving…' || t.endsWith('waiting'),
    600,
  )
  const seen: string[] = []
  c.subscribe(() => seen.push(c.shown))
  const set = (t: string) => {
    text = t
    c.update()
  }
  return { c, seen, set }
}

describe('a status text that does not flicker', () => {
  it('never shows a keystroke’s short trip to the log', () => {
    const { c, seen, set } = calm('Saved')
    for (let i = 0; i < 30; i++) {
      set('Saving…')
      vi.advanceTimersByTime(5)
      set('Saved')
      vi.advanceTimersByTime(35)
    }
    expect(c.shown).toBe('Saved')
    expect(seen).toEqual([])
  })

  it('shows a passing state that lasts, and the settled one the moment it comes', () => {
    const { c, seen, set } = calm('Synced')
    set('1 change waiting')
    vi.advanceTimersByTime(599)
    expect(c.shown).toBe('Synced')
    vi.advanceTimersByTime(1)
    expect(c.shown).toBe('1 change waiting')
    // Already showing a passing state: the next one at once.
    set('2 changes waiting')
    expect(c.shown).toBe('2 changes waiting')
    set('Synced')
    expect(seen).toEqual(['1 change waiting', '2 changes waiting', 'Synced'])
  })

  it('shows a settled change (an error, offline) at once', () => {
    const { c, set } = calm('Saved')
    set('Not saved')
    expect(c.shown).toBe('Not saved')
    set('Saving…')
    vi.advanceTimersByTime(600)
    expect(c.shown).toBe('Saving…')
    c.destroy()
  })
})
