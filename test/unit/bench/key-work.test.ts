import { describe, expect, it } from 'vitest'
import { keyWork } from '../../bench/key-work.ts'

const MAIN = { pid: 1, tid: 7 }
const task = (ts: number, dur: number) => ({ name: 'RunTask', ph: 'X', ts, dur, ...MAIN })
const slice = (name: string, ts: number, dur: number, type?: string) => ({
  name,
  ph: 'X',
  ts,
  dur,
  ...MAIN,
  ...(type ? { args: { data: { type } } } : {}),
})

describe('keyWork', () => {
  it('sums a key’s task and its frame, leaving out the idle wait for the display', () => {
    const trace = [
      task(1000, 8000),
      slice('EventDispatch', 1100, 7000, 'keydown'),
      // idle from 9,000 to 16,800: waiting for the next vsync
      task(16_800, 5500),
      slice('FireAnimationFrame', 16_900, 2000),
      slice('Paint', 20_000, 1000),
      task(22_400, 300), // after the frame: not the key's
    ]
    expect(keyWork({ traceEvents: trace })).toEqual([13.5])
  })

  it('counts what ran between the key and its frame, and a forced layout does not end the key', () => {
    const trace = [
      task(0, 4000),
      slice('EventDispatch', 10, 3000, 'keydown'),
      slice('Layout', 2000, 500),
      task(5000, 1000), // a socket message before the frame
      task(9000, 3000),
      slice('Commit', 11_000, 500),
    ]
    expect(keyWork(trace)).toEqual([8])
  })

  it('leaves out a key whose frame never came before the next key, and other threads', () => {
    const trace = [
      task(0, 2000),
      slice('EventDispatch', 10, 1000, 'keydown'),
      task(3000, 2000),
      slice('EventDispatch', 3010, 1000, 'keydown'),
      task(6000, 1000),
      slice('Paint', 6100, 200),
      { name: 'RunTask', ph: 'X', ts: 5500, dur: 400, pid: 2, tid: 1 },
    ]
    expect(keyWork(trace)).toEqual([3])
  })

  it('finds nothing in a trace without keys, or without events at all', () => {
    expect(keyWork({ traceEvents: [task(0, 1000), slice('Paint', 10, 100)] })).toEqual([])
    expect(keyWork({})).toEqual([])
    expect(keyWork([])).toEqual([])
  })
})
