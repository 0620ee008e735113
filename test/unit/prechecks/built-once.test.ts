import { describe, expect, it } from 'vitest'
import { builtOnce } from '../../../shared/prechecks/text.ts'

describe('patterns built on first use', () => {
  it('builds once, on the first call, and hands out the same value after', () => {
    let built = 0
    const pattern = builtOnce(() => {
      built++
      return /x/gu
    })
    expect(built).toBe(0)
    const first = pattern()
    expect(pattern()).toBe(first)
    expect(built).toBe(1)
  })
})
