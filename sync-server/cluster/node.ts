import type { Limits } from '../limits.ts'
import { startCore } from '../relay-core.ts'
import type { RelayStats } from '../stats.ts'
import type { TokenAdmin } from '../store/tokens.ts'
import { openClusterBackend } from './backend.ts'
import type { FaultPoint } from './commit-loop.ts'

export type { FaultPoint }

/**
 * One node of the relay cluster: the relay core (relay-core.ts: the same y-websocket protocol,
 * checks, limits, awareness and trace API as the embedded relay) on the cluster backend, with
 * PostgreSQL as the log and Redis pub/sub as the notice channel between nodes
 * (cluster/backend.ts, cluster/commit-loop.ts).
 */

export interface ClusterOptions {
  port: number
  host?: string
  /** postgres://… */
  database: string
  /** redis://… */
  fanout: string
  nodeId?: string
  limits?: Partial<Limits>
  log?: (line: string) => void
  /** Milliseconds between heads checks (default 1.5 s): what repairs lost notices. */
  headsCheckMs?: number
  /**
   * Test-only: SIGKILL this process at that point of the first round that writes rows. Also read
   * from SIGNOFF_RELAY_FAULT.
   */
  fault?: FaultPoint
}

export interface ClusterStats extends RelayStats {
  loadedDocuments: number
  commits: number
  /** Rounds that found a document's head moved on (another node wrote it first). */
  behind: number
  /** Messages sent to clients (updates and sync answers). */
  deliveries: number
  pgCommitMs: { p50: number; p99: number; max: number; samples: number } | null
  notices: number
  noticeMs: number
  /** Notices left unpublished: no other node held the document (cluster/quiet.ts). */
  quietNotices: number
  remoteRows: number
  /** Bytes of updates accepted and not yet committed; past --max-pending-bytes reading pauses. */
  heldBytes: number
  pressured: boolean
}

export interface ClusterNode extends TokenAdmin {
  port: number
  url: string
  nodeId: string
  limits: Limits
  close(): Promise<void>
  stats(): ClusterStats
}

export async function startClusterNode(options: ClusterOptions): Promise<ClusterNode> {
  const nodeId = options.nodeId ?? `node-${process.pid}`
  const core = await startCore(options, (tools) =>
    openClusterBackend(
      {
        database: options.database,
        fanout: options.fanout,
        nodeId,
        headsCheckMs: options.headsCheckMs ?? 1500,
        fault: options.fault ?? (process.env.SIGNOFF_RELAY_FAULT as FaultPoint | undefined),
      },
      tools,
    ),
  )
  const { backend, stats } = core
  const { loop, fanout, store } = backend
  return {
    port: core.port,
    url: core.url,
    nodeId,
    limits: core.limits,
    close: core.close,
    createToken: (args) => store.createToken(args),
    listTokens: (workspaceId) => store.listTokens(workspaceId),
    revokeToken: (id) => backend.revokeToken(id),
    stats: () => ({
      ...stats,
      loadedDocuments: backend.loadedCount(),
      commits: loop.commits,
      behind: loop.behind,
      deliveries: core.deliveries(),
      pgCommitMs: loop.pgCommitTimes.summary(),
      notices: fanout.published,
      noticeMs: fanout.publishMs,
      quietNotices: fanout.quietNotices,
      remoteRows: loop.remoteRows,
      heldBytes: loop.heldBytes,
      pressured: loop.pressured,
    }),
  }
}
