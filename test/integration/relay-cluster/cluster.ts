import { type ChildProcess, spawn } from 'node:child_process'
import pg from 'pg'
import {
  type Balancer,
  type Postgres,
  type Redis,
  startBalancer,
  startPostgres,
  startRedis,
} from '../../support/services.ts'
import { CLI, NODE, NODE_FLAGS, waitFor } from '../relay/helpers.ts'

/** One relay node as its own process (so that a test can SIGKILL it), started through the CLI. */
export interface NodeProc {
  id: string
  port: number
  url: string
  proc: ChildProcess
  stderr: string[]
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>
  exited: Promise<number | null>
}

export async function startNode(
  database: string,
  fanout: string,
  id: string,
  opts: { fault?: string; args?: string[] } = {},
): Promise<NodeProc> {
  const proc = spawn(
    NODE,
    [
      ...NODE_FLAGS,
      CLI,
      '--database',
      database,
      '--fanout',
      fanout,
      '--port',
      '0',
      '--node-id',
      id,
      ...(opts.args ?? []),
    ],
    {
      env: { ...process.env, ...(opts.fault ? { SIGNOFF_RELAY_FAULT: opts.fault } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const stderr: string[] = []
  proc.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()))
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)))
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on ws:\/\/[^:]+:(\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    void exited.then(() => reject(new Error(`node ${id} exited: ${stderr.join('')}`)))
  })
  const n: NodeProc = {
    id,
    port,
    url: `ws://127.0.0.1:${port}`,
    proc,
    stderr,
    exited,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await exited
    },
  }
  return n
}

export interface Services {
  pg: Postgres
  redis: Redis
  /** A fresh database per test (cheap), on the one server of this file. */
  database(): string
  stop(): Promise<void>
}

let dbCounter = 0

export async function startServices(): Promise<Services> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()])
  return {
    pg: postgres,
    redis,
    database: () => postgres.createDatabase(`t${process.pid}_${++dbCounter}`),
    async stop() {
      await redis.destroy()
      postgres.destroy()
    },
  }
}

export interface Cluster {
  database: string
  nodes: NodeProc[]
  balancer: Balancer
  db: pg.Pool
  token(workspace: string, member: string, access?: 'read' | 'write'): Promise<{ id: string; token: string }>
  /** Every row of a document's log, in order. */
  rows(doc: string): Promise<{ seq: number; member: string; node: string; data: Uint8Array; time: number }[]>
  stop(): Promise<void>
}

export async function startCluster(
  s: Services,
  n: number,
  opts: { faults?: (string | undefined)[]; args?: string[] } = {},
): Promise<Cluster> {
  const database = s.database()
  // The first node creates the tables; the others start alongside.
  const nodes = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      startNode(database, s.redis.url, `n${i + 1}`, {
        ...(opts.faults?.[i] ? { fault: opts.faults[i] } : {}),
        ...(opts.args ? { args: opts.args } : {}),
      }),
    ),
  )
  const balancer = await startBalancer(nodes.map((x) => x.port))
  const db = new pg.Pool({ connectionString: database, max: 2 })
  db.on('error', () => {})
  return {
    database,
    nodes,
    balancer,
    db,
    async token(workspace, member, access = 'write') {
      const { PgStore } = await import('../../../sync-server/cluster/pg-store.ts')
      return new PgStore(db, 'test').createToken({ workspaceId: workspace, memberId: member, access })
    },
    async rows(doc) {
      const r = await db.query(
        'SELECT seq, member, node, data, time FROM updates WHERE doc = $1 ORDER BY seq',
        [doc],
      )
      return r.rows.map((x) => ({
        seq: Number(x.seq),
        member: x.member,
        node: x.node,
        data: new Uint8Array(x.data),
        time: Number(x.time),
      }))
    },
    async stop() {
      await balancer.close()
      await Promise.all(nodes.map((x) => x.stop()))
      await db.end()
    },
  }
}

export { waitFor }
