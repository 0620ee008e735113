/**
 * Where Signoff's relay's slow edits spend their time (`BENCH_RELAY_PHASES=1 npm run
 * bench:relay`). Inside the relay's process it records, for each update message: its arrival, the
 * start of its commit, the end of the check and apply, the journal write (with durability disk,
 * the disk sync) and the broadcast; the process's CPU time at arrival and after the apply; and,
 * around them, garbage collections, SQLite row writes, WAL checkpoints and journal resets. With
 * BENCH_RELAY_PHASES=profile, a CPU profile sampled every 100 µs runs beside it (it slows the
 * relays down: every part of an edit takes longer).
 *
 * The report answers one question: when an edit takes long in the relay outside the journal write,
 * is the relay's thread working (its code, a GC, a row write) or is it not running at all? The
 * kernel says which for the main thread alone (/proc/thread-self/schedstat: time on a CPU, time
 * runnable but waiting for one), read at arrival, after the apply and around the journal write.
 * The process's CPU time (all threads) beside it says whether the relay's other threads (V8's
 * helpers, the checkpointer) ran meanwhile. A process that runs is also sampled by the profiler
 * at a steady rate (the report prints it for the edits that did not stall); one that the machine
 * has taken the CPU from is not.
 */
import { openSync, readSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { PerformanceObserver } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { WebSocket } from 'ws'
import { GroupCommit } from '../../sync-server/group-commit.ts'
import { Room } from '../../sync-server/room.ts'
import { Journal } from '../../sync-server/store/journal.ts'
import { monotonicMs, quantile } from './timing.ts'

/** One update message's way through the relay, in performance.now() ms. */
interface Edit {
  arrive: number
  cpuAtArrive: number
  /** The relay's main thread at arrival: [ms on a CPU, ms runnable but waiting for one] (schedstat). */
  threadAtArrive: [number, number]
  threadAtApplied?: [number, number]
  threadAtJournalStart?: [number, number]
  threadAtJournalEnd?: [number, number]
  commit?: number
  applied?: number
  cpuAtApplied?: number
  journalStart?: number
  journalEnd?: number
  broadcast?: number
}

type Span = [start: number, end: number]

/** Longer than this in the relay outside the journal write, an edit stalled. */
const STALL_MS = 0.5
const SAMPLE_US = 100

const isUpdate = (m: Uint8Array): boolean => m[0] === 0 && m[1] === 2
const now = () => performance.now()
/** The process's CPU time, all threads, in ms. */
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/**
 * The main thread's time on a CPU and waiting in the run queue, in ms, from the kernel's
 * /proc/thread-self/schedstat: unlike the process's CPU time it leaves out the relay's other
 * threads (V8's compiler and GC helpers, the thread pool, the checkpointer), and a thread that
 * was runnable while another task held the CPU shows as waiting. [0, 0] where there is none.
 */
const schedstat = (() => {
  let fd = -1
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r')
  } catch {
    return (): [number, number] => [0, 0]
  }
  const buf = Buffer.alloc(96)
  return (): [number, number] => {
    const n = readSync(fd, buf, 0, buf.length, 0)
    const [run, wait] = buf.toString('latin1', 0, n).split(' ')
    return [Number(run) / 1e6, Number(wait) / 1e6]
  }
})()

export interface PhaseTrace {
  start(): Promise<void>
  /** The report over the last `counted` edits traced since `start`; `dump`: also write the raw record there. */
  report(counted: number, dump?: string): Promise<string>
}

export function tracePhases(profiling: boolean): PhaseTrace {
  let edits: Edit[] | null = null
  let current: Edit | null = null
  const spans = { gc: [] as Span[], rows: [] as Span[], checkpoints: [] as Span[], resets: [] as Span[] }
  let session: Session | null = null

  const emit = WebSocket.prototype.emit
  WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]) {
    if (edits !== null && event === 'message') {
      const data = args[0] as ArrayBuffer | Uint8Array
      if (isUpdate(data instanceof Uint8Array ? data : new Uint8Array(data))) {
        current = { arrive: now(), cpuAtArrive: cpuMs(), threadAtArrive: schedstat() }
        edits.push(current)
      }
    }
    return emit.call(this, event, ...args)
  } as typeof emit

  const commitProto = GroupCommit.prototype as unknown as Record<string, (...a: unknown[]) => unknown>
  const around = (name: string, before: () => void, after: () => void) => {
    const original = commitProto[name]!
    commitProto[name] = function (this: unknown, ...a: unknown[]) {
      before()
      try {
        return original.apply(this, a)
      } finally {
        after()
      }
    }
  }
  around(
    'integrateBatch',
    () => {
      if (current && current.commit === undefined) current.commit = now()
    },
    () => {
      if (current && current.applied === undefined) {
        current.applied = now()
        current.cpuAtApplied = cpuMs()
        current.threadAtApplied = schedstat()
      }
    },
  )
  const timed = (list: Span[]) => {
    let started = 0
    return [() => (started = now()), () => edits !== null && list.push([started, now()])] as const
  }
  around('writeRows', ...timed(spans.rows))

  const append = Journal.prototype.append
  Journal.prototype.append = function (this: Journal, entries) {
    if (current) {
      current.journalStart = now()
      current.threadAtJournalStart = schedstat()
    }
    try {
      append.call(this, entries)
    } finally {
      if (current) {
        current.journalEnd = now()
        current.threadAtJournalEnd = schedstat()
      }
    }
  }
  const reset = Journal.prototype.reset
  const [resetStart, resetEnd] = timed(spans.resets)
  Journal.prototype.reset = function (this: Journal) {
    resetStart()
    try {
      reset.call(this)
    } finally {
      resetEnd()
    }
  }
  const broadcast = Room.prototype.broadcast
  Room.prototype.broadcast = function (this: Room, message, except) {
    if (current && isUpdate(message) && current.broadcast === undefined) current.broadcast = now()
    broadcast.call(this, message, except)
  }
  // The WAL checkpointer (checkpointer.ts) is the relay's one worker: each request to its answer.
  const post = Worker.prototype.postMessage
  const [checkpointStart, checkpointEnd] = timed(spans.checkpoints)
  Worker.prototype.postMessage = function (this: Worker, ...a: Parameters<Worker['postMessage']>) {
    checkpointStart()
    return post.apply(this, a)
  }
  const workerEmit = Worker.prototype.emit
  Worker.prototype.emit = function (this: Worker, event: string | symbol, ...a: unknown[]) {
    if (event === 'message') checkpointEnd()
    return workerEmit.call(this, event, ...a)
  } as typeof workerEmit
  new PerformanceObserver((list) => {
    if (edits === null) return
    for (const e of list.getEntries()) spans.gc.push([e.startTime, e.startTime + e.duration])
  }).observe({ entryTypes: ['gc'] })

  return {
    async start() {
      edits = []
      for (const list of Object.values(spans)) list.length = 0
      if (!profiling) return
      session = new Session()
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: SAMPLE_US })
      await session.post('Profiler.start')
    },
    async report(counted, dump) {
      const traced = edits ?? []
      edits = null
      const samples: number[] | null = session ? [] : null
      if (session && samples) {
        const { profile } = (await session.post('Profiler.stop')) as { profile: Profile }
        session.disconnect()
        session = null
        // Profile times are µs of CLOCK_MONOTONIC; performance.now() counts ms on it from timeOrigin.
        const originUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000
        let t = profile.startTime
        for (const dt of profile.timeDeltas) {
          t += dt
          samples.push((t - originUs) / 1000)
        }
      }
      const done = traced
        .filter((e) => e.broadcast !== undefined && e.journalEnd !== undefined)
        .slice(-counted)
      // CLOCK_MONOTONIC ms at performance.now() 0, and the main thread's id, to line the record up
      // with the kernel's scheduler trace (trace_clock mono) of the same run.
      const monotonicAtZero = monotonicMs() - performance.now()
      if (dump)
        writeFileSync(dump, JSON.stringify({ pid: process.pid, monotonicAtZero, done, spans, samples }))
      return phaseReport(done, spans, samples)
    },
  }
}

interface Profile {
  startTime: number
  timeDeltas: number[]
}

function phaseReport(done: Edit[], spans: Record<string, Span[]>, samples: number[] | null): string {
  if (done.length === 0) return 'phases: no edits traced'
  const sync = (e: Edit) => e.journalEnd! - e.journalStart!
  const outside = (e: Edit) => e.broadcast! - e.arrive - sync(e)
  const ms = (x: number) => x.toFixed(2)
  const pct = (n: number) => `${((100 * n) / done.length).toFixed(2)}%`
  const overlaps = (list: Span[], a: number, b: number) => list.some(([s, e]) => s < b && e > a)
  const samplesIn = (a: number, b: number) => {
    let n = 0
    for (const s of samples ?? []) if (s >= a && s < b) n++
    return n
  }
  const stalls = done.filter((e) => outside(e) > STALL_MS)
  const stalledMs = stalls.reduce((sum, e) => sum + outside(e), 0)
  const stalledSamples = stalls.reduce((sum, e) => sum + samplesIn(e.arrive, e.broadcast! - sync(e)), 0)
  const quick = done.filter((e) => outside(e) <= STALL_MS)
  const quickMs = quick.reduce((sum, e) => sum + outside(e), 0)
  const quickSamples = quick.reduce((sum, e) => sum + samplesIn(e.arrive, e.broadcast! - sync(e)), 0)
  const cpuShare =
    stalls.reduce((sum, e) => sum + (e.cpuAtApplied! - e.cpuAtArrive), 0) /
    Math.max(
      1e-9,
      stalls.reduce((sum, e) => sum + (e.applied! - e.arrive), 0),
    )
  const stalledApply = stalls.filter((e) => e.applied! - e.arrive > STALL_MS)
  const applyWall = stalledApply.reduce((sum, e) => sum + (e.applied! - e.arrive), 0)
  const threadShare = (i: 0 | 1) =>
    stalledApply.reduce((sum, e) => sum + (e.threadAtApplied![i] - e.threadAtArrive[i]), 0) /
    Math.max(1e-9, applyWall)
  const by = (list: Span[]) => stalls.filter((e) => overlaps(list, e.arrive, e.broadcast!)).length
  const syncs = done.map(sync)
  const lines = [
    `last ${done.length} edits: journal write (with durability disk, the sync) p50 ${ms(quantile(syncs, 0.5))} / p99 ${ms(quantile(syncs, 0.99))} ms; the rest in the relay p50 ${ms(quantile(done.map(outside), 0.5))} / p99 ${ms(quantile(done.map(outside), 0.99))} ms`,
    `  stalls (over ${STALL_MS} ms in the relay outside the journal write): ${stalls.length} (${pct(stalls.length)}), ${ms(stalledMs)} ms in all; beside a GC ${by(spans.gc!)}, a row write ${by(spans.rows!)}, a WAL checkpoint ${by(spans.checkpoints!)}, a journal reset ${by(spans.resets!)}`,
    `  of them before the journal write (arrival to applied, ${ms(
      quantile(
        done.map((e) => e.applied! - e.arrive),
        0.5,
      ),
    )} ms at p50): ${pct(done.filter((e) => e.applied! - e.arrive > STALL_MS).length)}; CPU time / wall time until the apply in the stalls ${cpuShare.toFixed(2)}`,
    `  in the stalls before the journal write, the relay's main thread was on a CPU ${threadShare(0).toFixed(2)} and waiting for one ${threadShare(1).toFixed(2)} of the wall time (the kernel's schedstat)`,
  ]
  // A synced write sleeps for the disk (on this kind of disk: the data, then a cache flush); when
  // the disk is done, the thread may still wait for a CPU before it runs again.
  const writeWait = (e: Edit) => e.threadAtJournalEnd![1] - e.threadAtJournalStart![1]
  const waits = done.map(writeWait)
  const slowest = [...done]
    .sort((a, b) => sync(b) - sync(a))
    .slice(0, Math.max(1, Math.ceil(done.length / 100)))
  lines.push(
    `  during the journal write the main thread waited for a CPU p50 ${ms(quantile(waits, 0.5))} / p99 ${ms(quantile(waits, 0.99))} ms, over 0.2 ms in ${pct(waits.filter((w) => w > 0.2).length)} of the edits; in the slowest 1% of writes, ${(
      (100 * slowest.reduce((sum, e) => sum + writeWait(e), 0)) /
        Math.max(
          1e-9,
          slowest.reduce((sum, e) => sum + sync(e), 0),
        )
    ).toFixed(0)}% of their time`,
  )
  if (samples)
    lines.push(
      `  profiler samples per ms: ${(stalledSamples / Math.max(stalledMs, 1e-9)).toFixed(1)} in the stalls against ${(quickSamples / Math.max(quickMs, 1e-9)).toFixed(1)} in the other edits (one every ${SAMPLE_US} µs asked for)`,
    )
  return lines.join('\n')
}
