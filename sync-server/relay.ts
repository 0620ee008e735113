import type { DatabaseSync } from 'node:sqlite'
import type { Limits } from './limits.ts'
import { startCore } from './relay-core.ts'
import { openSqliteBackend } from './sqlite-backend.ts'
import type { RelayStats } from './stats.ts'
import type { Durability } from './store/db.ts'
import type { Access, TokenInfo } from './store/tokens.ts'
import type { WalSync } from './store/wal-sync.ts'

export interface RelayOptions {
  /** 0 picks a free port; `Relay.port` tells which. */
  port: number
  /** Interface to bind; default 127.0.0.1. Use 0.0.0.0 to serve the local network. */
  host?: string
  /** Directory for relay.sqlite (update log, checkpoints, token hashes) and relay.journal. Created if missing. */
  dataDir: string
  limits?: Partial<Limits>
  /** 'disk' (default) syncs every group commit to the disk; 'process' survives a relay crash only (db.ts). */
  durability?: Durability
  /**
   * How 'disk' durability reaches the disk; default: fdatasync of the WAL (wal-sync.ts). Tests
   * put a slow or failing disk here.
   */
  walSync?: (dataDir: string, db: DatabaseSync) => WalSync
  log?: (line: string) => void
}

export interface Relay {
  port: number
  /** ws://host:port, what y-websocket's WebsocketProvider takes as serverUrl. */
  url: string
  limits: Limits
  /** Flushes pending updates, closes every connection (1001) and the database. */
  close(): Promise<void>
  createToken(args: { workspaceId: string; memberId: string; access: Access }): { id: string; token: string }
  listTokens(workspaceId?: string): TokenInfo[]
  /** Revokes the token and closes its open connections (4401). False when no live token has the id. */
  revokeToken(id: string): boolean
  stats(): RelayStats & {
    loadedDocuments: number
    commits: number
    /** Disk syncs of the journal or the WAL (durability 'disk'), failed ones, and how long the last 1024 took. */
    syncs: number
    syncFailures: number
    syncMs: { p50: number; p99: number; max: number; samples: number } | null
    /** Bytes received and not yet durable now, the most ever, and how often reading was paused. */
    heldBytes: number
    peakHeldBytes: number
    pressureEvents: number
  }
}

/**
 * Start a relay: y-websocket protocol, token auth, durable append-only update log and the trace
 * API, all on one port. The desktop app calls this inside its host process to serve a small team
 * on the local network; `cli.ts` wraps it for a standalone server. The relay core
 * (relay-core.ts) on the SQLite backend (sqlite-backend.ts).
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const core = await startCore(options, (tools) => openSqliteBackend(options, tools))
  const { backend, stats } = core
  const commit = backend.groupCommit
  return {
    port: core.port,
    url: core.url,
    limits: core.limits,
    close: core.close,
    createToken: (args) => {
      const created = backend.tokens.create(args)
      backend.syncNow()
      return created
    },
    listTokens: (workspaceId) => backend.tokens.list(workspaceId),
    revokeToken: (id) => {
      const ok = backend.tokens.revokeToken(id)
      backend.syncNow()
      if (ok) core.closeConnectionsOf(new Set([id]))
      return ok
    },
    stats: () => ({
      ...stats,
      loadedDocuments: backend.loadedCount(),
      commits: commit.commits,
      syncs: commit.syncs,
      syncFailures: commit.syncFailures,
      syncMs: commit.syncTimes.summary(),
      heldBytes: commit.heldBytes,
      peakHeldBytes: commit.peakHeldBytes,
      pressureEvents: commit.pressureEvents,
    }),
  }
}
