/**
 * What a keystroke costs the page's main thread, read from a Chromium trace: for each keydown,
 * the tasks from the one that handled it through the first frame drawn after it (the frame that
 * shows the key), summed, with the idle time between them left out.
 *
 * Why a trace: a task posted from the keydown handler to mark "the key is handled" does not run
 * when the key's task ends. After input Chromium runs the next frame first, and that frame waits
 * for the display's next vsync, so such a mark counts up to a frame (16.7 ms) of idle waiting as
 * work (seen in a trace: input 8.0 ms, idle 7.8 ms, frame 5.5 ms, measured as 21.4 ms).
 */

interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  args?: { name?: string; data?: { type?: string } }
}

/** Main-thread tasks whose slices mark a frame's rendering (never part of an input task). */
const FRAME_SLICES = new Set(['PrePaint', 'Paint', 'Commit', 'Layerize'])

export function keyWork(trace: { traceEvents?: TraceEvent[] } | TraceEvent[]): number[] {
  const events = Array.isArray(trace) ? trace : (trace.traceEvents ?? [])
  const thread = (e: TraceEvent) => `${e.pid}:${e.tid}`
  const keydowns = events.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown')
  if (keydowns.length === 0) return []
  // The renderer main thread is the one that dispatched the keys.
  const main = thread(keydowns[0]!)
  const slices = events
    .filter((e) => e.ph === 'X' && e.dur !== undefined && thread(e) === main)
    .sort((a, b) => a.ts - b.ts)
  // Top-level tasks only (a task can run a nested one).
  const tasks: { ts: number; end: number; frame: boolean }[] = []
  for (const e of slices) {
    if (e.name !== 'RunTask') continue
    const last = tasks[tasks.length - 1]
    if (last && e.ts < last.end) continue
    tasks.push({ ts: e.ts, end: e.ts + (e.dur ?? 0), frame: false })
  }
  let i = 0
  for (const e of slices) {
    if (!FRAME_SLICES.has(e.name)) continue
    while (i < tasks.length && tasks[i]!.end < e.ts) i++
    const t = tasks[i]
    if (t && t.ts <= e.ts) t.frame = true
  }
  const keys = keydowns.map((k) => k.ts).sort((a, b) => a - b)
  const out: number[] = []
  let at = 0
  keys.forEach((key, n) => {
    const next = keys[n + 1] ?? Number.POSITIVE_INFINITY
    while (at < tasks.length && tasks[at]!.end <= key) at++
    let busy = 0
    let drawn = false
    for (let j = at; j < tasks.length && tasks[j]!.ts < next; j++) {
      busy += tasks[j]!.end - tasks[j]!.ts
      if (tasks[j]!.frame) {
        drawn = true
        break
      }
    }
    if (drawn) out.push(busy / 1000)
  })
  return out
}
