import type { Backend, BackendTools } from '../backend.ts'
import type { Room } from '../room.ts'
import { type Grant, grantOf, parseToken, type TokenRow } from '../store/tokens.ts'
import { ClusterRooms } from './cluster-rooms.ts'
import { CommitLoop, type FaultPoint } from './commit-loop.ts'
import { connectFanout, type Fanout } from './fanout.ts'
import { PgStore } from './pg-store.ts'
import { postgresError } from './service-errors.ts'

export interface ClusterBackendOptions {
  database: string
  fanout: string
  nodeId: string
  /** Milliseconds between heads checks: what repairs lost notices. */
  headsCheckMs: number
  fault: FaultPoint | undefined
}

export interface ClusterBackend extends Backend {
  readonly store: PgStore
  readonly fanout: Fanout
  readonly loop: CommitLoop
  readonly loadedCount: () => number
  /** Revoke a token: in PostgreSQL, on this node and (through Redis) on the others. */
  revokeToken(id: string): Promise<boolean>
}

const REVOCATION_SWEEP_MS = 1_000

/**
 * A cluster node's store: PostgreSQL holds the log and the tokens (cluster/pg-store.ts), Redis
 * pub/sub carries notices between nodes (cluster/fanout.ts), the commit loop (commit-loop.ts)
 * appends and catches up. `pg` and `ioredis` are loaded here, in cluster mode only, so the desktop
 * app never bundles them.
 */
export async function openClusterBackend(
  options: ClusterBackendOptions,
  tools: BackendTools,
): Promise<ClusterBackend> {
  const { logLine, limits } = tools
  const pgModule = await import('pg')
  const pg = (pgModule as unknown as { default?: typeof pgModule }).default ?? pgModule
  const pool = new pg.Pool({
    connectionString: options.database,
    max: 8,
    connectionTimeoutMillis: 5000,
    // Acknowledged means on PostgreSQL's disk, whatever the server's default says.
    options: '-c synchronous_commit=on',
  })
  pool.on('error', (err) => logLine(`postgres: idle connection lost: ${err.message}`))
  const store = new PgStore(pool, options.nodeId)
  try {
    await store.migrate()
  } catch (err) {
    await pool.end().catch(() => {})
    throw postgresError(options.database, err)
  }

  const loop = new CommitLoop(store, tools, options.nodeId, options.fault)
  const rooms = new ClusterRooms({
    store,
    limits,
    send: tools.send,
    logLine,
    nodeId: options.nodeId,
    kick: loop.kick,
    release: loop.release,
  })
  loop.rooms = rooms

  // Tokens: PostgreSQL behind a per-node cache, emptied by revocation notices and the sweep.
  const tokenCache = new Map<string, TokenRow>()
  const forget = (ids: string[]) => {
    for (const id of ids) tokenCache.delete(id)
  }
  let fanout: Fanout
  try {
    fanout = await connectFanout(
      options.fanout,
      options.nodeId,
      {
        notice: (n) => rooms.onNotice(n),
        awareness: (doc, from, update) => rooms.onRemoteAwareness(doc, from, update),
        revoked(id) {
          forget([id])
          tools.closeConnectionsOf(new Set([id]))
        },
      },
      logLine,
    )
  } catch (err) {
    await pool.end().catch(() => {})
    throw err
  }
  rooms.fanout = fanout
  loop.fanout = fanout

  async function verify(token: string | null): Promise<Grant | null> {
    const t = parseToken(token)
    if (!t) return null
    let row = tokenCache.get(t.id)
    if (!row) {
      row = await store.tokenRow(t.id)
      if (!row || row.revoked_at !== null) return null
      tokenCache.set(t.id, row)
    }
    return grantOf(row, t.secret)
  }

  // The heads check: what repairs lost notices (Redis down or restarted).
  const headsCheck = setInterval(() => {
    if (rooms.rooms.size === 0) return
    store.heads([...rooms.rooms.keys()]).then(
      (heads) => {
        let behind = false
        for (const [doc, head] of heads) {
          const room = rooms.rooms.get(doc)
          const s = room && rooms.states.get(room)
          if (room && s && head > room.seq && head > s.target) {
            s.target = head
            behind = true
          }
        }
        if (behind) loop.kick()
      },
      (err: Error) => logLine(`heads check failed: ${err.message}`),
    )
  }, options.headsCheckMs)
  headsCheck.unref()

  const drain = async () => {
    loop.kick()
    await loop.whenIdle()
  }
  return {
    store,
    fanout,
    loop,
    loadedCount: () => rooms.rooms.size,
    verify,
    open: (name) => rooms.open(name),
    loaded: (name) => rooms.rooms.get(name),
    rooms: () => rooms.rooms.values() as Iterable<Room>,
    released: (room) => rooms.released(room),
    commit: loop,
    pressured: () => loop.pressured,
    trace: {
      verify,
      update: (doc, seq) => store.update(doc, seq),
      list: (doc, q) => store.list(doc, q),
      head: (doc) => store.head(doc),
      checkpoint: (doc) => store.checkpoint(doc),
      updates: (doc, after, upto) => store.updates(doc, after, upto),
    },
    // What PostgreSQL holds is committed and durable; nothing is shown before that.
    durable: async () => true,
    async revokedAmong(live) {
      const revoked = await store.revokedAmong([...new Set([...live, ...tokenCache.keys()])])
      forget(revoked)
      return revoked
    },
    revocationSweepMs: REVOCATION_SWEEP_MS,
    drain,
    async close() {
      clearInterval(headsCheck)
      await rooms.unloadAll()
      await fanout.close()
      await pool.end()
    },
    async revokeToken(id) {
      const ok = await store.revokeToken(id)
      if (ok) {
        forget([id])
        fanout.revoked(id)
        tools.closeConnectionsOf(new Set([id]))
      }
      return ok
    },
  }
}
