import type { Conn } from './connection.ts'
import type { Pending } from './group-commit.ts'
import type { TraceStore } from './http-api.ts'
import type { Limits } from './limits.ts'
import type { CommitQueue } from './protocol.ts'
import type { Room } from './room.ts'
import type { Send } from './send.ts'
import type { RelayStats } from './stats.ts'
import type { Grant } from './store/tokens.ts'
import type { Refused } from './update-check.ts'

type Maybe<T> = T | Promise<T>

/**
 * What the relay core (relay-core.ts) needs from a store: the embedded relay's SQLite log with
 * its group commit and local fan-out (sqlite-backend.ts), or a cluster node's PostgreSQL log with
 * Redis fan-out between nodes (cluster/backend.ts). Everything a client can reach (the upgrade,
 * auth, limits, the protocol, awareness, the trace API) lives once in the core; a backend only
 * stores, loads and fans out.
 */
export interface Backend {
  /** The token's grant, null for anything else. Throws when the token store cannot be read. */
  verify(token: string | null): Maybe<Grant | null>
  /** The loaded room, loading it first. Throws when loading fails. */
  open(name: string): Maybe<Room>
  /** The room now loaded under this name, if any. */
  loaded(name: string): Room | undefined
  rooms(): Iterable<Room>
  /** A connection left the room (or an upgrade that held it failed). */
  released(room: Room): void
  readonly commit: CommitQueue
  /** Whether reading from connections is paused (updates wait past --max-pending-bytes). */
  pressured(): boolean
  readonly trace: TraceStore
  /** Resolves once everything committed so far is durable (false if some could not be). */
  durable(): Promise<boolean>
  /** Ids among `live` (token ids of open connections) revoked by another process. */
  revokedAmong(live: Set<string>): Maybe<string[]>
  readonly revocationSweepMs: number
  /** Commit and send out everything accepted so far (before and after the connections close). */
  drain(): Promise<void>
  /** Once no connection is left: unload the rooms, close the store. */
  close(): Promise<void>
}

/** What the core hands a backend as it builds it. */
export interface BackendTools {
  limits: Limits
  logLine: (line: string) => void
  stats: RelayStats
  send: Send
  /** Close the sender of a refused update (only it); counted and logged. */
  refuseUpdate(p: Pending, refusal: Refused): void
  /** Pause (true) or resume reading from every connection. */
  setReading(paused: boolean): void
  /** Close the open connections of these tokens (4401). */
  closeConnectionsOf(ids: Set<string>): void
}

export type { Conn }
