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
 *  - cost: CPU-ms per 1,000 deliveries per node (the process's user+system time over the run,
 *    also split into user and system), PostgreSQL time per group commit, Redis time per notice;
 *    and the same cost with 1, 2 and 3 nodes each carrying the same fixed load, with affinity;
 *  - memory of a node per idle connection and per loaded document.
 * Two cores cannot show scaling by throughput (every node, PostgreSQL and Redis share them): the
 * figure that shows it is cost per delivery staying flat as nodes are added, with affinity, at the
 * same load per node.
 */
import { join } from 'node:path'
import { RELAY_V8_FLAGS } from '../../sync-server/node-flags.ts'
import { startPostgres, startRedis } from '../support/services.ts'
import {
  closedLoops,
  forkServer,
  latencyRig,
  memory,
  pct,
  rawMany,
  type BenchServer as Server,
  sleep,
  step,
  stopServer,
} from './relay-load.ts'

const SERVER = new URL('./relay-cluster-node.ts', import.meta.url).pathname
const LAT_EDITS = Number(process.env.BENCH_CLUSTER_EDITS ?? 300)
const WARM_UP = 100
const DOCS = 24
const PER_DOC = 6
const THROUGHPUT_MS = Number(process.env.BENCH_CLUSTER_MS ?? 2500)
const WARM_UP_MS = 3000
/** The fixed load per node: documents (× PER_DOC clients) and ms between a document's edits. */
const FIXED_DOCS = 10
const FIXED_PACE_MS = 25
/** Longer than the closed-loop runs: at this load a node's CPU over 2.5 s is a few hundred ms. */
const FIXED_MS = 6000
const IDLE_CONNS = 500
const LOADED_DOCS = 200

/**
 * BENCH_CPU_PROF=DIR writes a V8 CPU profile of every server process there (open in DevTools);
 * with BENCH_CPU_PROF_RUN=NAME ("3 nodes, affinity") only of that throughput run, one per node.
 */
const CPU_PROF = process.env.BENCH_CPU_PROF
const PROF_RUN = process.env.BENCH_CPU_PROF_RUN

// Each node runs as `npm run relay` starts it (node-flags.ts).
const startServer = (args: string[]): Promise<Server> =>
  forkServer(SERVER, args, [
    ...RELAY_V8_FLAGS,
    ...(CPU_PROF && !PROF_RUN
      ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`, `--cpu-prof-name=${args[3] ?? args[0]}.cpuprofile`]
      : []),
  ])

// ---- latency ----

/** Writer on `w`, reader on `r`: ms from the edit to the reader's observer, per edit. */
async function latency(w: string, r: string, room: string, token: string): Promise<number[]> {
  const rig = await latencyRig(w, r, room, token, 1)
  for (let i = 0; i < LAT_EDITS + WARM_UP; i++) {
    await rig.edit()
    await sleep(1)
    if (i === WARM_UP - 1) rig.samples.length = 0
  }
  rig.destroy()
  return rig.samples
}

// ---- throughput ----

interface Sample {
  stats: {
    deliveries?: number
    pgCommitMs?: { p50: number } | null
    notices?: number
    noticeMs?: number
    commits: number
    behind?: number
    remoteRows?: number
  }
  cpu: { user: number; system: number }
}

interface Tput {
  perSec: number
  /** CPU-ms per 1,000 deliveries, per node. */
  cpuPer1000: number[]
  /** The same, as user + system, per node. */
  split: string[]
  /** The same above what the node spends idle (timers, heads checks, sweeps) over the run's time. */
  marginalPer1000: number[]
  /** Every node's CPU over every node's deliveries: the cluster's cost per delivery. */
  clusterPer1000: number
  pgCommitP50: number
  redisPerNotice: number
  /** Per node: deliveries, and deliveries per group commit (how much each commit carried). */
  sent: number[]
  perCommit: number[]
  /** Per node: rounds that found a head moved on, and rows read from other nodes. */
  behind: number[]
  remoteRows: number[]
}

let round = 0
/** CPU-ms per second each node spends with no clients at all (measured once, before the runs). */
const idleCpuMsPerSec = new Map<Server, number>()

async function measureIdle(nodes: Server[], ms = 3000): Promise<void> {
  const before = await Promise.all(nodes.map((n) => n.ask<Sample>('stats')))
  await sleep(ms)
  const after = await Promise.all(nodes.map((n) => n.ask<Sample>('stats')))
  nodes.forEach((n, i) => {
    const cpuMs =
      (after[i]!.cpu.user + after[i]!.cpu.system - before[i]!.cpu.user - before[i]!.cpu.system) / 1000
    idleCpuMsPerSec.set(n, cpuMs / (ms / 1000))
  })
}

/** The load of a run: `docs` documents, and with `paceMs` one edit per document at most that often. */
interface Load {
  docs: number
  paceMs: number
}
const CLOSED: Load = { docs: DOCS, paceMs: 0 }

async function throughput(
  nodes: Server[],
  affinity: boolean,
  token: string,
  ms = THROUGHPUT_MS,
  name?: string,
  load: Load = CLOSED,
): Promise<Tput> {
  round++
  const targets: [string, string][] = []
  for (let d = 0; d < load.docs; d++)
    for (let k = 0; k < PER_DOC; k++) {
      const node = affinity ? d % nodes.length : (d + k) % nodes.length
      targets.push([nodes[node]!.url, `B/tp${round}-${d}`])
    }
  const clients = await rawMany(targets, token)
  const loops = closedLoops(clients, load.docs, PER_DOC, load.paceMs)
  const profile = CPU_PROF && name !== undefined && name === PROF_RUN
  if (profile) await Promise.all(nodes.map((n) => n.ask('prof-start')))
  const before = await Promise.all(nodes.map((n) => n.ask<Sample>('stats')))
  const start = performance.now()
  loops.start()
  await sleep(ms)
  loops.stop()
  const elapsed = (performance.now() - start) / 1000
  const after = await Promise.all(nodes.map((n) => n.ask<Sample>('stats')))
  if (profile)
    await Promise.all(
      nodes.map((n, i) => n.ask(`prof-stop:${join(CPU_PROF, `run-node${i + 1}.cpuprofile`)}`)),
    )
  for (const c of clients) c.ws.close()
  // The run's documents unload (relay-cluster-node.ts: a second after the last client) before the next run.
  await sleep(2000)
  const deliveries = loops.deliveries
  const cpuMsOf = (i: number) =>
    (after[i]!.cpu.user + after[i]!.cpu.system - before[i]!.cpu.user - before[i]!.cpu.system) / 1000
  // The embedded relay does not count what it sends: there the clients' count is the node's.
  const sentBy = (i: number) =>
    after[i]!.stats.deliveries === undefined
      ? deliveries
      : after[i]!.stats.deliveries - (before[i]!.stats.deliveries ?? 0)
  const per1000 = (cpuMs: number, sent: number) => (sent > 0 ? (cpuMs / sent) * 1000 : Number.NaN)
  const cpuPer1000 = nodes.map((_, i) => per1000(cpuMsOf(i), sentBy(i)))
  // User (the relay's JavaScript, V8) against system (the kernel: socket writes, wake-ups).
  const split = nodes.map((_, i) => {
    const user = (after[i]!.cpu.user - before[i]!.cpu.user) / 1000
    const system = (after[i]!.cpu.system - before[i]!.cpu.system) / 1000
    return `${f1(per1000(user, sentBy(i)))}+${f1(per1000(system, sentBy(i)))}`
  })
  const marginalPer1000 = nodes.map((n, i) =>
    per1000(cpuMsOf(i) - (idleCpuMsPerSec.get(n) ?? 0) * elapsed, sentBy(i)),
  )
  const clusterPer1000 = per1000(
    nodes.reduce((sum, _, i) => sum + cpuMsOf(i), 0),
    nodes.reduce((sum, _, i) => sum + sentBy(i), 0),
  )
  const notices = after.reduce((n, s, i) => n + (s.stats.notices ?? 0) - (before[i]!.stats.notices ?? 0), 0)
  const noticeMs = after.reduce(
    (n, s, i) => n + (s.stats.noticeMs ?? 0) - (before[i]!.stats.noticeMs ?? 0),
    0,
  )
  const commitsOf = (i: number) => (after[i]!.stats.commits ?? 0) - (before[i]!.stats.commits ?? 0)
  return {
    sent: nodes.map((_, i) => sentBy(i)),
    behind: nodes.map((_, i) => (after[i]!.stats.behind ?? 0) - (before[i]!.stats.behind ?? 0)),
    remoteRows: nodes.map((_, i) => (after[i]!.stats.remoteRows ?? 0) - (before[i]!.stats.remoteRows ?? 0)),
    perCommit: nodes.map((_, i) => (commitsOf(i) > 0 ? sentBy(i) / commitsOf(i) : Number.NaN)),
    perSec: deliveries / elapsed,
    cpuPer1000,
    split,
    marginalPer1000,
    clusterPer1000,
    pgCommitP50: after[0]!.stats.pgCommitMs?.p50 ?? Number.NaN,
    redisPerNotice: notices > 0 ? noticeMs / notices : Number.NaN,
  }
}

// ---- run ----

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–')
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–')

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
    // Every node warmed up first, alone (the whole machine its own) and then all together without
    // affinity (the paths that read other nodes' rows): V8 compiles a function to its fastest tier
    // only after many calls. With 1.5 s of all three at once, the node a run used for the first
    // time (always the last of the run) spent about twice the CPU per delivery of the others,
    // in Yjs functions running in a slower tier (seen in per-run profiles, BENCH_CPU_PROF_RUN).
    step('warm-up: every node alone, then all together without affinity, discarded')
    for (const n of nodes) await throughput([n], true, token, WARM_UP_MS)
    await throughput(nodes, false, token, WARM_UP_MS)
    await throughput([sqlite], true, sqliteToken, WARM_UP_MS)
    step('idle cost of every node')
    await measureIdle([...nodes, sqlite])
    const tputs: [string, Tput][] = []
    for (const [name, ns, aff] of runs) {
      step(`throughput: ${name}`)
      tputs.push([name, await throughput(ns, aff, token, THROUGHPUT_MS, name)])
    }
    // The same load on every node however many there are: the closed loop above drives each node
    // as hard as it goes, so with more nodes sharing two cores each one's group commits get
    // smaller and its fixed costs (a PostgreSQL round trip, a Redis publish) are shared by fewer
    // deliveries. Here each node carries FIXED_DOCS documents at one edit per FIXED_PACE_MS each.
    const fixed: [string, Tput][] = []
    for (const n of [1, 2, 3]) {
      const name = `${n} node${n > 1 ? 's' : ''}, affinity`
      step(`fixed load per node: ${name}`)
      const load = { docs: FIXED_DOCS * n, paceMs: FIXED_PACE_MS }
      fixed.push([name, await throughput(nodes.slice(0, n), true, token, FIXED_MS, undefined, load)])
    }
    step('throughput: SQLite relay')
    const sqliteT = await throughput([sqlite], true, sqliteToken)

    step('memory of one node')
    const sizes = { idle: IDLE_CONNS, docs: LOADED_DOCS, settleMs: 1000 }
    const mem = await memory(nodes[2]!, token, sizes)
    const sqliteMem = await memory(sqlite, sqliteToken, sizes)

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
      `cost per delivery as nodes are added (CPU-ms per 1,000 deliveries; idle CPU per node: ${[...idleCpuMsPerSec.values()].map(f1).join(' / ')} ms/s)`,
      '                             whole cluster   per node, above its idle cost',
      ...tputs.map(
        ([name, t]) =>
          `  ${name.padEnd(24)} ${f1(t.clusterPer1000).padStart(10)}      ${t.marginalPer1000.map(f1).join(' / ')}`,
      ),
      `  ${'single SQLite relay'.padEnd(24)} ${f1(sqliteT.clusterPer1000).padStart(10)}      ${sqliteT.marginalPer1000.map(f1).join(' / ')}`,
      '',
      `cost per delivery at a fixed load per node (${FIXED_DOCS} documents × ${PER_DOC} clients per node, an edit per document every ${FIXED_PACE_MS} ms)`,
      '                           deliveries/s   CPU-ms per 1,000 deliveries: whole cluster   per node',
      ...fixed.map(
        ([name, t]) =>
          `  ${name.padEnd(24)} ${f1(t.perSec).padStart(10)}     ${f1(t.clusterPer1000).padStart(10)}                          ${t.cpuPer1000.map(f1).join(' / ')}`,
      ),
      '',
      'CPU-ms per 1,000 deliveries, user + system, per node',
      ...tputs.map(([name, t]) => `  ${name.padEnd(24)} ${t.split.join(' / ')}`),
      `  ${'single SQLite relay'.padEnd(24)} ${sqliteT.split.join(' / ')}`,
      '',
      'what each node carried        deliveries, per node   per group commit     behind rounds   rows from other nodes',
      ...tputs.map(([name, t]) =>
        [
          `  ${name.padEnd(24)}`,
          t.sent.map(String).join(' / ').padEnd(22),
          t.perCommit.map(f1).join(' / ').padEnd(20),
          t.behind.map(String).join(' / ').padEnd(15),
          t.remoteRows.map(String).join(' / '),
        ].join(' '),
      ),
      '',
      'memory (heap + external)     per idle connection   per loaded document',
      `  cluster node               ${(mem.perConn / 1024).toFixed(1).padStart(8)} KiB        ${(mem.perDoc / 1024).toFixed(1).padStart(8)} KiB`,
      `  single SQLite relay        ${(sqliteMem.perConn / 1024).toFixed(1).padStart(8)} KiB        ${(sqliteMem.perDoc / 1024).toFixed(1).padStart(8)} KiB`,
      '',
    ]
    process.stdout.write(lines.join('\n'))
  } finally {
    for (const s of servers) await stopServer(s).catch(() => {})
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
