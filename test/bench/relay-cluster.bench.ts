/**
 * npm run bench:relay-cluster — the relay as a cluster (PostgreSQL + Redis, issue 18) against the
 * embedded SQLite relay, in one run, printed side by side. PostgreSQL and Redis are started from
 * the system packages on free ports in temp folders (test/support/services.ts); every server is its
 * own process (relay-cluster-node.ts) so its CPU time and memory are its own.
 *
 *  - latency: edit-to-remote-apply with stock WebsocketProvider clients: writer and reader on the
 *    same node, on different nodes (through PostgreSQL's COMMIT and a Redis notice), and on the
 *    SQLite relay (fdatasync of its WAL);
 *  - deliveries/s with 1, 2 and 3 nodes, with affinity (all clients of a document on one node, as
 *    a load balancer hashing the workspace does) and without (clients of a document spread over
 *    the nodes): DOCS documents × PER_DOC raw protocol clients, closed loop;
 *  - cost: CPU-ms per 1,000 deliveries per node (the process's user+system time over the run),
 *    PostgreSQL time per group commit, Redis time per notice;
 *  - memory of a node per idle connection and per loaded document.
 * Two cores cannot show scaling by throughput (every node, PostgreSQL and Redis share them): the
 * figure that shows it is cost per delivery staying flat as nodes are added, with affinity.
 */
import { type ChildProcess, fork } from 'node:child_process'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { startPostgres, startRedis } from '../support/services.ts'

process.setMaxListeners(0)
const SERVER = new URL('./relay-cluster-node.ts', import.meta.url).pathname
const LAT_EDITS = Number(process.env.BENCH_CLUSTER_EDITS ?? 300)
const WARM_UP = 100
const DOCS = 24
const PER_DOC = 6
const THROUGHPUT_MS = Number(process.env.BENCH_CLUSTER_MS ?? 2500)
const IDLE_CONNS = 500
const LOADED_DOCS = 200

interface Server {
  child: ChildProcess
  url: string
  ask<T>(msg: string): Promise<T>
}

/** BENCH_CPU_PROF=DIR writes a V8 CPU profile of every server process there (open in DevTools). */
const CPU_PROF = process.env.BENCH_CPU_PROF

async function startServer(args: string[]): Promise<Server> {
  const child = fork(SERVER, args, {
    execArgv: [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      '--expose-gc',
      ...(CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`, `--cpu-prof-name=${args[3] ?? args[0]}.cpuprofile`]
        : []),
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const start = Date.now()
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`bench timed out: ${what}`)
    await sleep(2)
  }
}
function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN
}

// ---- latency ----

function provider(url: string, room: string, token: string) {
  const doc = new Y.Doc()
  const p = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  })
  return { doc, p }
}

/** Writer on `w`, reader on `r`: ms from the edit to the reader's observer, per edit. */
async function latency(w: string, r: string, room: string, token: string): Promise<number[]> {
  const a = provider(w, room, token)
  const b = provider(r, room, token)
  await until(() => a.p.synced && b.p.synced, 'providers synced')
  const samples: number[] = []
  let t0 = 0
  let delivered: () => void = () => {}
  b.doc.getText('t').observe(() => {
    samples.push(performance.now() - t0)
    delivered()
  })
  const text = a.doc.getText('t')
  for (let i = 0; i < LAT_EDITS + WARM_UP; i++) {
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench timed out: edit delivered')), 30_000)
      delivered = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    t0 = performance.now()
    text.insert(text.length, 'x')
    await done
    await sleep(1)
    if (i === WARM_UP - 1) samples.length = 0
  }
  for (const x of [a, b]) {
    x.p.destroy()
    x.doc.destroy()
  }
  return samples
}

// ---- raw protocol clients ----

interface Raw {
  ws: WebSocket
  synced: boolean
  onUpdate: ((u: Uint8Array) => void) | null
}
function raw(url: string, room: string, token: string): Raw {
  const ws = new WebSocket(`${url}/${room}?token=${token}`, { perMessageDeflate: false })
  const c: Raw = { ws, synced: false, onUpdate: null }
  ws.on('open', () => ws.send(new Uint8Array([0, 0, 1, 0])))
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
async function rawMany(targets: [string, string][], token: string): Promise<Raw[]> {
  const out: Raw[] = []
  for (let i = 0; i < targets.length; i += 100) {
    const batch = targets.slice(i, i + 100).map(([u, r]) => raw(u, r, token))
    await until(() => batch.every((c) => c.synced), 'raw clients synced')
    out.push(...batch)
  }
  return out
}
function updateMessage(u: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 2)
  encoding.writeVarUint8Array(e, u)
  return encoding.toUint8Array(e)
}

interface Sample {
  stats: {
    deliveries?: number
    pgCommitMs?: { p50: number } | null
    notices?: number
    noticeMs?: number
    commits: number
  }
  cpu: { user: number; system: number }
}

interface Tput {
  perSec: number
  /** CPU-ms per 1,000 deliveries, per node. */
  cpuPer1000: number[]
  pgCommitP50: number
  redisPerNotice: number
}

let round = 0
async function throughput(
  nodes: Server[],
  affinity: boolean,
  token: string,
  ms = THROUGHPUT_MS,
): Promise<Tput> {
  round++
  const targets: [string, string][] = []
  for (let d = 0; d < DOCS; d++)
    for (let k = 0; k < PER_DOC; k++) {
      const node = affinity ? d % nodes.length : (d + k) % nodes.length
      targets.push([nodes[node]!.url, `B/tp${round}-${d}`])
    }
  const clients = await rawMany(targets, token)
  let deliveries = 0
  let running = true
  const loops = Array.from({ length: DOCS }, (_, d) => {
    const members = clients.slice(d * PER_DOC, (d + 1) * PER_DOC)
    const gen = new Y.Doc()
    let current: Uint8Array | null = null
    let waiting = 0
    let sender = 0
    let edit = 0
    const fire = () => {
      if (!running) return
      sender = edit++ % PER_DOC
      gen.getText('t').insert(0, 'x')
    }
    gen.on('update', (u: Uint8Array) => {
      current = u
      waiting = PER_DOC - 1
      members[sender]!.ws.send(updateMessage(u))
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
  const before = await Promise.all(nodes.map((n) => n.ask<Sample>('stats')))
  const start = performance.now()
  for (const fire of loops) fire()
  await sleep(ms)
  running = false
  const elapsed = (performance.now() - start) / 1000
  const after = await Promise.all(nodes.map((n) => n.ask<Sample>('stats')))
  for (const c of clients) c.ws.close()
  await sleep(300)
  const cpuPer1000 = nodes.map((_, i) => {
    const cpuMs =
      (after[i]!.cpu.user + after[i]!.cpu.system - before[i]!.cpu.user - before[i]!.cpu.system) / 1000
    // The embedded relay does not count what it sends: there the clients' count is the node's.
    const sent =
      after[i]!.stats.deliveries === undefined
        ? deliveries
        : after[i]!.stats.deliveries - (before[i]!.stats.deliveries ?? 0)
    return sent > 0 ? (cpuMs / sent) * 1000 : Number.NaN
  })
  const notices = after.reduce((n, s, i) => n + (s.stats.notices ?? 0) - (before[i]!.stats.notices ?? 0), 0)
  const noticeMs = after.reduce(
    (n, s, i) => n + (s.stats.noticeMs ?? 0) - (before[i]!.stats.noticeMs ?? 0),
    0,
  )
  return {
    perSec: deliveries / elapsed,
    cpuPer1000,
    pgCommitP50: after[0]!.stats.pgCommitMs?.p50 ?? Number.NaN,
    redisPerNotice: notices > 0 ? noticeMs / notices : Number.NaN,
  }
}

// ---- memory ----

type Mem = { heapUsed: number; external: number }
const used = (m: Mem) => m.heapUsed + m.external
async function memory(s: Server, token: string): Promise<{ perConn: number; perDoc: number }> {
  const seed = await rawMany([[s.url, 'B/idle']], token)
  const base = (await s.ask<{ mem: Mem }>('mem')).mem
  const idle = await rawMany(Array(IDLE_CONNS).fill([s.url, 'B/idle']), token)
  await sleep(200)
  const withConns = (await s.ask<{ mem: Mem }>('mem')).mem
  const perConn = (used(withConns) - used(base)) / IDLE_CONNS
  for (const c of [...idle, ...seed]) c.ws.close()
  await sleep(500)
  const base2 = (await s.ask<{ mem: Mem }>('mem')).mem
  const docs = await rawMany(
    Array.from({ length: LOADED_DOCS }, (_, i) => [s.url, `B/doc${i}`] as [string, string]),
    token,
  )
  docs.forEach((c, i) => {
    const d = new Y.Doc()
    d.getText('t').insert(0, `document ${i}: a short paragraph of text to keep it realistic.`)
    c.ws.send(updateMessage(Y.encodeStateAsUpdate(d)))
  })
  await sleep(1000)
  const withDocs = (await s.ask<{ mem: Mem }>('mem')).mem
  const perDoc = (used(withDocs) - used(base2)) / LOADED_DOCS - perConn
  for (const c of docs) c.ws.close()
  await sleep(300)
  return { perConn, perDoc }
}

// ---- run ----

const step = (what: string) => process.stderr.write(`${what}\n`)
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–')
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–')

async function stop(s: Server): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r))
  s.child.send('stop')
  await Promise.race([exited, sleep(5000)])
  s.child.kill()
}

async function main(): Promise<void> {
  step('starting PostgreSQL and Redis')
  const pg = await startPostgres()
  const redis = await startRedis()
  const servers: Server[] = []
  try {
    const database = pg.createDatabase('bench')
    step('starting the SQLite relay and three cluster nodes')
    const sqlite = await startServer(['sqlite'])
    servers.push(sqlite)
    const nodes: Server[] = []
    for (let i = 1; i <= 3; i++) {
      const n = await startServer(['cluster', database, redis.url, `n${i}`])
      nodes.push(n)
      servers.push(n)
    }
    const token = (await nodes[0]!.ask<{ token: string }>('token')).token
    const sqliteToken = (await sqlite.ask<{ token: string }>('token')).token

    step(`latency: ${LAT_EDITS} edits each`)
    const same = await latency(nodes[0]!.url, nodes[0]!.url, 'B/lat-same', token)
    const cross = await latency(nodes[0]!.url, nodes[1]!.url, 'B/lat-cross', token)
    const single = await latency(sqlite.url, sqlite.url, 'B/lat', sqliteToken)

    const runs: [string, Server[], boolean][] = [
      ['1 node', nodes.slice(0, 1), true],
      ['2 nodes, affinity', nodes.slice(0, 2), true],
      ['2 nodes, no affinity', nodes.slice(0, 2), false],
      ['3 nodes, affinity', nodes, true],
      ['3 nodes, no affinity', nodes, false],
    ]
    // Every node warmed up first (JIT, first-use allocations): otherwise the node a run uses for
    // the first time pays its warm-up in that run's cost per delivery, which read as cost growing
    // with the number of nodes.
    step('warm-up: every node, discarded')
    await throughput(nodes, true, token, 1500)
    await throughput([sqlite], true, sqliteToken, 1500)
    const tputs: [string, Tput][] = []
    for (const [name, ns, aff] of runs) {
      step(`throughput: ${name}`)
      tputs.push([name, await throughput(ns, aff, token)])
    }
    step('throughput: SQLite relay')
    const sqliteT = await throughput([sqlite], true, sqliteToken)

    step('memory of one node')
    const mem = await memory(nodes[2]!, token)
    const sqliteMem = await memory(sqlite, sqliteToken)

    const lines = [
      '',
      `relay cluster (PostgreSQL 15 + Redis, ${DOCS} documents × ${PER_DOC} clients, ${THROUGHPUT_MS} ms per run)`,
      '',
      'edit → remote apply (ms)           p50      p99',
      `  cluster, same node           ${f2(pct(same, 50)).padStart(7)}  ${f2(pct(same, 99)).padStart(7)}`,
      `  cluster, cross-node          ${f2(pct(cross, 50)).padStart(7)}  ${f2(pct(cross, 99)).padStart(7)}`,
      `  single SQLite relay          ${f2(pct(single, 50)).padStart(7)}  ${f2(pct(single, 99)).padStart(7)}`,
      '',
      'throughput                   deliveries/s   CPU-ms per 1,000 deliveries, per node   PG ms/commit p50   Redis ms/notice',
      ...tputs.map(
        ([name, t]) =>
          `  ${name.padEnd(24)} ${f1(t.perSec).padStart(10)}     ${t.cpuPer1000.map(f1).join(' / ').padEnd(36)}  ${f2(t.pgCommitP50).padStart(8)}         ${f2(t.redisPerNotice).padStart(6)}`,
      ),
      `  ${'single SQLite relay'.padEnd(24)} ${f1(sqliteT.perSec).padStart(10)}     ${sqliteT.cpuPer1000.map(f1).join(' / ')}`,
      '',
      'memory (heap + external)     per idle connection   per loaded document',
      `  cluster node               ${(mem.perConn / 1024).toFixed(1).padStart(8)} KiB        ${(mem.perDoc / 1024).toFixed(1).padStart(8)} KiB`,
      `  single SQLite relay        ${(sqliteMem.perConn / 1024).toFixed(1).padStart(8)} KiB        ${(sqliteMem.perDoc / 1024).toFixed(1).padStart(8)} KiB`,
      '',
    ]
    process.stdout.write(lines.join('\n'))
  } finally {
    for (const s of servers) await stop(s).catch(() => {})
    await redis.destroy()
    pg.destroy()
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
