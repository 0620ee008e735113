/**
 * What relay.bench.ts and relay-cluster.bench.ts both do to a relay: start it as a child process
 * (relay-child.ts answers), drive it with stock WebsocketProvider clients (latency) and raw
 * protocol clients in closed loops (throughput), and read its memory after GC.
 */
import { type ChildProcess, fork } from 'node:child_process'
import * as decoding from 'lib0/decoding'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { encodeUpdate } from '../../sync-server/messages.ts'
import { monotonicMs, quantile } from './timing.ts'

process.setMaxListeners(0) // every WebsocketProvider registers an exit hook

/** A relay in its own process: its WebSocket address and a way to ask it (see relay-child.ts). */
export interface BenchServer {
  child: ChildProcess
  url: string
  ask<T>(msg: string): Promise<T>
}

/** Fork `script` with `args`; resolves once it listens. */
export async function forkServer(
  script: string,
  args: string[],
  execArgv: string[] = [],
): Promise<BenchServer> {
  const child = fork(script, args, {
    execArgv: [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      '--expose-gc',
      ...execArgv,
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const next = <T>() => new Promise<T>((r) => child.once('message', (m) => r(m as T)))
  const { port } = await next<{ port: number }>()
  const ask = <T>(msg: string) => {
    const p = next<T>()
    child.send(msg)
    return p
  }
  return { child, url: `ws://127.0.0.1:${port}`, ask }
}

export async function stopServer(s: BenchServer): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r))
  s.child.send('stop')
  await Promise.race([exited, sleep(5000)])
  s.child.kill()
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const start = Date.now()
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`bench timed out: ${what}`)
    await sleep(2)
  }
}

/** The `p`th percentile of `samples`. */
export const pct = (samples: number[], p: number): number => quantile(samples, p / 100)

export const step = (what: string) => process.stderr.write(`${what}\n`)

// ---- latency with stock providers ---------------------------------------------------------

function provider(url: string, room: string, token: string): { doc: Y.Doc; p: WebsocketProvider } {
  const doc = new Y.Doc()
  const p = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  })
  return { doc, p }
}

export interface LatencyRig {
  /** ms from each edit to each reader's observer, the edit's readers one after another. */
  samples: number[]
  /** When each edit was made, on CLOCK_MONOTONIC (timing.ts), in ms. */
  sent: number[]
  edit(): Promise<void>
  destroy(): void
}

/** One writer on `writerUrl` and `readers` readers on `readerUrl`, all synced on `room`. */
export async function latencyRig(
  writerUrl: string,
  readerUrl: string,
  room: string,
  token: string,
  readers: number,
): Promise<LatencyRig> {
  const w = provider(writerUrl, room, token)
  const rs = Array.from({ length: readers }, () => provider(readerUrl, room, token))
  await until(() => w.p.synced && rs.every((r) => r.p.synced), 'providers synced')
  const samples: number[] = []
  const sent: number[] = []
  let t0 = 0
  let got = 0
  let delivered: () => void = () => {}
  for (const r of rs) {
    r.doc.getText('t').observe(() => {
      samples.push(performance.now() - t0)
      if (++got === readers) delivered()
    })
  }
  const text = w.doc.getText('t')
  return {
    samples,
    sent,
    // Waits for the last reader's observer without polling: a client spinning on setImmediate
    // would keep one of the machine's two cores busy and leave the servers the other.
    async edit() {
      got = 0
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('bench timed out: edit delivered')), 30_000)
        delivered = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      sent.push(monotonicMs())
      t0 = performance.now()
      text.insert(text.length, 'x')
      await done
    },
    destroy() {
      for (const x of [w, ...rs]) {
        x.p.destroy()
        x.doc.destroy()
      }
    },
  }
}

// ---- raw protocol clients ----------------------------------------------------------------

export interface Raw {
  ws: WebSocket
  synced: boolean
  onUpdate: ((u: Uint8Array) => void) | null
}

function raw(url: string, room: string, token: string): Raw {
  const ws = new WebSocket(`${url}/${room}?token=${token}`, { perMessageDeflate: false })
  const c: Raw = { ws, synced: false, onUpdate: null }
  ws.on('open', () => ws.send(new Uint8Array([0, 0, 1, 0]))) // sync step 1, empty state vector
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(data)
    if (decoding.readVarUint(d) !== 0) return
    const step = decoding.readVarUint(d)
    if (step === 1) c.synced = true
    else if (step === 2) c.onUpdate?.(decoding.readVarUint8Array(d))
  })
  ws.on('error', () => {})
  return c
}

/** A raw client per [server url, room], connected a hundred at a time; resolves once all synced. */
export async function rawMany(targets: [string, string][], token: string): Promise<Raw[]> {
  const out: Raw[] = []
  for (let i = 0; i < targets.length; i += 100) {
    const batch = targets.slice(i, i + 100).map(([u, r]) => raw(u, r, token))
    await until(() => batch.every((c) => c.synced), 'raw clients synced')
    out.push(...batch)
  }
  return out
}

/**
 * A closed loop per document over `clients` (`perDoc` consecutive clients a document): the next
 * edit on a document goes out, from the next client in turn, once the others received the
 * previous one, and with `paceMs` no sooner than that after the previous edit (a fixed load while
 * the servers keep up). `start()` fires the first edit of every loop; `stop()` lets no more go out.
 */
export function closedLoops(clients: Raw[], docs: number, perDoc: number, paceMs = 0) {
  let deliveries = 0
  let running = true
  const loops = Array.from({ length: docs }, (_, d) => {
    const members = clients.slice(d * perDoc, (d + 1) * perDoc)
    const gen = new Y.Doc()
    let current: Uint8Array | null = null
    let waiting = 0
    let sender = 0
    let edit = 0
    let firedAt = 0
    const fire = () => {
      if (!running) return
      const wait = firedAt + paceMs - performance.now()
      if (paceMs > 0 && wait > 0) {
        setTimeout(fire, wait)
        return
      }
      firedAt = performance.now()
      sender = edit++ % perDoc
      gen.getText('t').insert(0, 'x')
    }
    gen.on('update', (u: Uint8Array) => {
      current = u
      waiting = perDoc - 1
      members[sender]!.ws.send(encodeUpdate(u))
    })
    members.forEach((m, i) => {
      m.onUpdate = (u) => {
        if (i === sender || !current || u.length !== current.length || !Buffer.from(u).equals(current)) return
        deliveries++
        if (--waiting === 0) fire()
      }
    })
    return fire
  })
  return {
    start() {
      for (const fire of loops) fire()
    },
    stop() {
      running = false
    },
    get deliveries() {
      return deliveries
    },
  }
}

// ---- memory ------------------------------------------------------------------------------

type Mem = { heapUsed: number; external: number }
const used = (m: Mem) => m.heapUsed + m.external
const mem = async (s: BenchServer) => (await s.ask<{ mem: Mem }>('mem')).mem

/**
 * Heap+external of the server process after GC, per idle connection (`idle` connections on one
 * document) and per loaded document (`docs` documents with one connection and one edit, given
 * `settleMs` to arrive).
 */
export async function memory(
  s: BenchServer,
  token: string,
  sizes: { idle: number; docs: number; settleMs: number },
): Promise<{ perConn: number; perDoc: number }> {
  // One loaded document first, so the idle-connection figure does not include loading it.
  const seed = await rawMany([[s.url, 'B/idle']], token)
  const base = await mem(s)
  const idle = await rawMany(Array(sizes.idle).fill([s.url, 'B/idle']), token)
  await sleep(200)
  const perConn = (used(await mem(s)) - used(base)) / sizes.idle
  for (const c of [...idle, ...seed]) c.ws.close()
  // Long enough for a server that unloads a document a second after its last client left (the
  // cluster benchmark's nodes) to have done so before the next baseline, as well as for one that
  // keeps it loaded for longer (the default 10 s) to still hold it after.
  await sleep(2000)

  const base2 = await mem(s)
  const docs = await rawMany(
    Array.from({ length: sizes.docs }, (_, i) => [s.url, `B/doc${i}`] as [string, string]),
    token,
  )
  docs.forEach((c, i) => {
    const d = new Y.Doc()
    d.getText('t').insert(0, `document ${i}: a short paragraph of text to keep it realistic.`)
    c.ws.send(encodeUpdate(Y.encodeStateAsUpdate(d)))
  })
  await sleep(sizes.settleMs)
  const perDoc = (used(await mem(s)) - used(base2)) / sizes.docs - perConn
  for (const c of docs) c.ws.close()
  await sleep(300)
  return { perConn, perDoc }
}
