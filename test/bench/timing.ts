/** Timing helpers the benches share. */

/** The value at quantile `q` (0 to 1) of `xs`: the sample at floor(q × n), the largest at most. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN
}

/** CLOCK_MONOTONIC in ms (process.hrtime): the same clock in every process on this machine. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6

/** Runs `fn` `warmup` times untimed, then `runs` times: ms each. */
export function timeRuns(fn: () => void, runs: number, warmup = 0): number[] {
  for (let i = 0; i < warmup; i++) fn()
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    fn()
    out.push(performance.now() - t0)
  }
  return out
}

/** Samples in groups of `per` that belong together (one edit's deliveries to each of its readers). */
export interface Series {
  samples: number[]
  per: number
}

/**
 * How far one run can be trusted to tell two quantiles apart: the quantile `q` of `ours` minus the
 * sum of the quantile `q` of each of `others`, recomputed over `rounds` bootstrap resamples, each
 * series resampled by whole groups (one edit's samples share its stalls, so they are not drawn
 * apart), with a fixed seed. Returns the 2.5th and 97.5th percentiles of the differences: when the
 * interval holds 0, the run cannot say which side is larger.
 */
export function quantileDiffInterval(
  ours: Series,
  others: Series[],
  q: number,
  rounds = 300,
  seed = 1,
): [number, number] {
  const random = mulberry32(seed)
  const resampledQuantile = ({ samples, per }: Series): number => {
    const groups = Math.floor(samples.length / per)
    const out = new Float64Array(groups * per)
    for (let g = 0; g < groups; g++) {
      const from = Math.floor(random() * groups) * per
      for (let k = 0; k < per; k++) out[g * per + k] = samples[from + k]!
    }
    out.sort()
    return out[Math.min(out.length - 1, Math.floor(q * out.length))]!
  }
  const diffs = new Float64Array(rounds)
  for (let r = 0; r < rounds; r++) {
    let d = resampledQuantile(ours)
    for (const s of others) d -= resampledQuantile(s)
    diffs[r] = d
  }
  diffs.sort()
  return [diffs[Math.floor(0.025 * rounds)]!, diffs[Math.min(rounds - 1, Math.floor(0.975 * rounds))]!]
}

/** A small seeded generator (mulberry32): the same resamples on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
