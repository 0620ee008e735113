import { rmSync } from 'node:fs'
import type { ClusterNode } from '../../../sync-server/cluster/node.ts'
import type { Limits } from '../../../sync-server/limits.ts'
import { type Relay, startRelay } from '../../../sync-server/relay.ts'
import type { Postgres, Redis } from '../../support/services.ts'
import { tempDir } from './helpers.ts'

/**
 * The relay's tests run against both stores: the embedded relay on SQLite, and a cluster node on
 * PostgreSQL and Redis (started once per test file, a fresh database per relay).
 * SIGNOFF_RELAY_STORES=sqlite runs only the first.
 */
export type StoreKind = 'sqlite' | 'postgres'
export const STORES = (process.env.SIGNOFF_RELAY_STORES?.split(',') ?? ['sqlite', 'postgres']) as StoreKind[]

export interface StoreRelay {
  store: StoreKind
  relay: Relay | ClusterNode
  writer(workspaceId: string, memberId?: string): Promise<string>
  reader(workspaceId: string, memberId?: string): Promise<string>
  /** What the CLI's token commands take to reach this relay's store. */
  cliArgs: string[]
  /** The PostgreSQL database of a cluster node (postgres only). */
  database?: string
  stop(): Promise<void>
}

let services: Promise<{ pg: Postgres; redis: Redis }> | null = null
let databases = 0

/** Stop the PostgreSQL and Redis this file started (call in afterAll). */
export async function stopStoreServices(): Promise<void> {
  if (!services) return
  const s = await services
  services = null
  await s.redis.destroy()
  s.pg.destroy()
}

/**
 * `at` reopens the data of an earlier relay (its `cliArgs`' data directory or `database`), which
 * its stop() then leaves in place; without it every relay starts on fresh data.
 */
export async function startStoreRelay(
  store: StoreKind,
  limits: Partial<Limits> = {},
  log?: (line: string) => void,
  at?: { dataDir?: string; database?: string },
): Promise<StoreRelay> {
  if (store === 'sqlite') {
    const dataDir = at?.dataDir ?? tempDir()
    const relay = await startRelay({ port: 0, dataDir, limits, ...(log ? { log } : {}) })
    return {
      store,
      relay,
      writer: async (w, m = 'alice') =>
        relay.createToken({ workspaceId: w, memberId: m, access: 'write' }).token,
      reader: async (w, m = 'rita') =>
        relay.createToken({ workspaceId: w, memberId: m, access: 'read' }).token,
      cliArgs: ['--data', dataDir],
      async stop() {
        await relay.close()
        if (!at?.dataDir) rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  services ??= (async () => {
    const { startPostgres, startRedis } = await import('../../support/services.ts')
    const [pg, redis] = await Promise.all([startPostgres(), startRedis()])
    return { pg, redis }
  })()
  const s = await services
  const database = at?.database ?? s.pg.createDatabase(`r${process.pid}_${++databases}`)
  const { startClusterNode } = await import('../../../sync-server/cluster/node.ts')
  const relay = await startClusterNode({
    port: 0,
    database,
    fanout: s.redis.url,
    limits,
    ...(log ? { log } : {}),
  })
  return {
    store,
    relay,
    writer: async (w, m = 'alice') =>
      (await relay.createToken({ workspaceId: w, memberId: m, access: 'write' })).token,
    reader: async (w, m = 'rita') =>
      (await relay.createToken({ workspaceId: w, memberId: m, access: 'read' })).token,
    cliArgs: ['--database', database, '--fanout', s.redis.url],
    database,
    stop: () => relay.close(),
  }
}
