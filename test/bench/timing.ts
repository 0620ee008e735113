/** Timing helpers the benches share. */

/** The value at quantile `q` (0 to 1) of `xs`: the sample at floor(q × n), the largest at most. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN
}

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
