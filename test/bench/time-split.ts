/**
 * Where an edit's time goes (relay.bench.ts): before the server has it, in the server, and after,
 * until the last reader's observer ran. The server process and the bench read one clock,
 * CLOCK_MONOTONIC (process.hrtime), so their instants compare across processes.
 */
import { WebSocket } from 'ws'
import { Room } from '../../sync-server/room.ts'
import { monotonicMs, quantile } from './timing.ts'

/** A y-sync update message ([0 sync, 2 update, …]), as a server receives or broadcasts one. */
const isUpdate = (m: Uint8Array): boolean => m[0] === 0 && m[1] === 2

/**
 * In a server process: when each update message arrived, when the server began sending it to the
 * readers, and when it was done. Began: its first `send` for the reference, the start of the
 * broadcast for Signoff's relay (one frame written to every socket, send.ts). Done: when the
 * message's handler returned, or for Signoff's relay, if it broadcast later in the turn (after a
 * commit), when the broadcast returned. Records only between `start` and `take`.
 */
export function traceServerShare(server: 'reference' | 'signoff'): { start(): void; take(): number[][] } {
  let arrived: number[] | null = null
  let began: number[] = []
  let finished: number[] = []
  /** In the handler of an update message. */
  let handling = false
  const emit = WebSocket.prototype.emit
  WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]) {
    if (arrived === null || event !== 'message') return emit.call(this, event, ...args)
    const data = args[0] as ArrayBuffer | Uint8Array
    if (!isUpdate(data instanceof Uint8Array ? data : new Uint8Array(data)))
      return emit.call(this, event, ...args)
    arrived.push(monotonicMs())
    handling = true
    try {
      return emit.call(this, event, ...args)
    } finally {
      handling = false
      // Sent inside the handler (the reference always is): done when it returns.
      if (began.length === arrived.length && finished.length < began.length) finished.push(monotonicMs())
    }
  } as typeof emit
  const begin = () => {
    if (arrived !== null && began.length < arrived.length) began.push(monotonicMs())
  }
  if (server === 'reference') {
    const send = WebSocket.prototype.send
    WebSocket.prototype.send = function (this: WebSocket, ...args: Parameters<typeof send>) {
      if (handling) begin()
      return send.apply(this, args)
    } as typeof send
  } else {
    const broadcast = Room.prototype.broadcast
    Room.prototype.broadcast = function (this: Room, message, except) {
      const update = isUpdate(message)
      if (update) begin()
      broadcast.call(this, message, except)
      // Broadcast after its handler returned (a commit at the end of the turn): done now.
      if (update && !handling && arrived !== null && finished.length < began.length)
        finished.push(monotonicMs())
    }
  }
  return {
    start() {
      arrived = []
      began = []
      finished = []
    },
    take() {
      const out = [arrived ?? [], began, finished]
      arrived = []
      began = []
      finished = []
      return out
    },
  }
}

export interface Split {
  before: number[]
  /** From its arrival to the server's first send of it. */
  toFirst: number[]
  server: number[]
  after: number[]
}

/**
 * Each edit sent at `sent[i]` (monotonic ms) matched with the first update the server received
 * at or after it (`trace`: arrived, began sending, done, from traceServerShare), and the last of
 * its `per` readers' samples (ms after sending): how long before the server had it, how long the
 * server took to its first send and in all, and how long after until the last reader's observer
 * ran. Edits the trace does not hold are left out.
 */
export function splitEdits(sent: number[], samples: number[], per: number, trace: number[][]): Split {
  const [arrived = [], began = [], finished = []] = trace
  const out: Split = { before: [], toFirst: [], server: [], after: [] }
  let j = 0
  for (let i = 0; i < sent.length; i++) {
    const t0 = sent[i]!
    while (j < arrived.length && arrived[j]! < t0) j++
    if (j >= arrived.length || j >= began.length || j >= finished.length) break
    let last = Number.NEGATIVE_INFINITY
    for (let k = i * per; k < (i + 1) * per; k++) last = Math.max(last, samples[k] ?? Number.NaN)
    if (!Number.isFinite(last)) break
    out.before.push(arrived[j]! - t0)
    out.toFirst.push(began[j]! - arrived[j]!)
    out.server.push(finished[j]! - arrived[j]!)
    out.after.push(t0 + last - finished[j]!)
    j++
  }
  return out
}

/** "p50 / p99" of each part, in ms (the first send is within the server's part). */
export function describeSplit(s: Split): string {
  const part = (xs: number[]) => `${quantile(xs, 0.5).toFixed(2)} / ${quantile(xs, 0.99).toFixed(2)}`
  return `${part(s.before)} | ${part(s.toFirst)} | ${part(s.server)} | ${part(s.after)}`
}
