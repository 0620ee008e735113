import { describe, expect, it } from 'vitest'
import { quantile, quantileDiffInterval } from '../../bench/timing.ts'

/** `n` samples from a fixed spread: mostly near `base`, with a slow 2% tail. */
function spread(n: number, base: number, seed: number): number[] {
  let a = seed
  const next = () => {
    a = (a * 1103515245 + 12345) % 2147483648
    return a / 2147483648
  }
  return Array.from({ length: n }, () => base + next() + (next() < 0.02 ? 2 + 3 * next() : 0))
}

describe('quantileDiffInterval', () => {
  it('holds 0 when both series come from the same spread', () => {
    const [lo, hi] = quantileDiffInterval(
      { samples: spread(3000, 1, 7), per: 1 },
      [{ samples: spread(3000, 1, 11), per: 1 }],
      0.99,
    )
    expect(lo).toBeLessThan(0)
    expect(hi).toBeGreaterThan(0)
  })

  it('lies above 0 when ours is slower by more than the noise, and below when faster', () => {
    const ref = { samples: spread(3000, 1, 11), per: 1 }
    const [lo] = quantileDiffInterval({ samples: spread(3000, 3, 7), per: 1 }, [ref], 0.99)
    expect(lo).toBeGreaterThan(0)
    const [, hi] = quantileDiffInterval({ samples: spread(3000, 0, 7), per: 1 }, [ref], 0.99)
    expect(hi).toBeLessThan(0)
  })

  it('subtracts the sum of the others’ quantiles, and resamples whole groups', () => {
    // Groups of 4 equal samples: any resample of whole groups keeps its quantile on a group value.
    const grouped = Array.from({ length: 400 }, (_, g) => Array(4).fill(g % 10)).flat()
    const [lo, hi] = quantileDiffInterval({ samples: grouped, per: 4 }, [{ samples: [1, 1, 1], per: 1 }], 0.5)
    expect(Number.isInteger(lo) && Number.isInteger(hi)).toBe(true)
    expect(lo).toBeLessThanOrEqual(quantile(grouped, 0.5) - 1)
    expect(hi).toBeGreaterThanOrEqual(quantile(grouped, 0.5) - 1)
  })

  it('gives the same interval on every call (a fixed seed)', () => {
    const ours = { samples: spread(500, 1, 3), per: 1 }
    const ref = [{ samples: spread(500, 1, 5), per: 1 }]
    expect(quantileDiffInterval(ours, ref, 0.99)).toEqual(quantileDiffInterval(ours, ref, 0.99))
  })
})
