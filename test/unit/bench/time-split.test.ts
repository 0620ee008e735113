import { describe, expect, it } from 'vitest'
import { splitEdits } from '../../bench/time-split.ts'

describe('splitEdits', () => {
  it('matches each edit with the first update the server received after it was sent', () => {
    // Two edits at 100 and 200 ms, two readers each; the server also took an update at 50 ms,
    // before the first edit (a warm-up edit), which must not be matched.
    const sent = [100, 200]
    const samples = [3, 5, 4, 2] // edit 0: last reader at +5; edit 1: at +4
    const trace = [
      [50, 100.5, 201],
      [50.5, 101, 201.5],
      [51, 101.5, 202.5],
    ]
    const split = splitEdits(sent, samples, 2, trace)
    expect(split.before).toEqual([0.5, 1])
    expect(split.toFirst).toEqual([0.5, 0.5])
    expect(split.server).toEqual([1, 1.5])
    expect(split.after).toEqual([3.5, 1.5])
  })

  it('leaves out edits the trace does not hold, and stops at missing samples', () => {
    expect(splitEdits([100, 200], [3, 4], 1, [[101], [101.5], [102]]).server).toEqual([1])
    expect(
      splitEdits([100, 200], [3], 1, [
        [101, 201],
        [101.5, 201.5],
        [102, 202],
      ]).server,
    ).toEqual([1])
  })
})
