/**
 * Drift checks in the host: for every workspace it holds, published folder and git files are
 * compared with their receipts at start, every three minutes, and when something is published,
 * window or not. Results stay on this machine (another member's files are theirs to check); a
 * change is told to the windows as a `drift` host event, and `flags` answers a window that opens.
 */
import { deriveOutput } from '../../../shared/domain/actions.ts'
import type { HostDriftFlag } from '../../../shared/host/events.ts'
import type { PublishService } from '../publish-service.ts'
import type { WorkspaceReplica } from '../replica/workspace-replica.ts'
import { type HostContext, type HostService, watchReplicas } from './service.ts'

export const DRIFT_EVERY_MS = 3 * 60_000
/** Drift is checked on the most recently updated published outputs only. */
const DRIFT_MAX_OUTPUTS = 200

export interface DriftService extends HostService {
  flags(workspaceId: string): Record<string, HostDriftFlag[]>
  /** Check one workspace now (tests; the timers call it too). */
  check(workspaceId: string): Promise<void>
}

export function driftChecks(
  ctx: HostContext,
  options: { publishing: Pick<PublishService, 'list' | 'checkDrift'> },
): DriftService {
  const byWorkspace = new Map<string, Map<string, HostDriftFlag[]>>()
  const running = new Map<string, Promise<void>>()
  let stopped = false

  function watch(replica: WorkspaceReplica): () => void {
    let published = ''
    const onChange = () => {
      // Something was published (or a publish recorded): check again.
      const now = replica.workspace
        .allSummaries()
        .filter((s) => (s.publishedTo ?? []).length > 0)
        .map((s) => `${s.id}:${s.contentHash}:${(s.publishedTo ?? []).join('+')}`)
        .join(',')
      if (now !== published) {
        published = now
        void check(replica.workspaceId)
      }
    }
    const off = replica.subscribe(onChange)
    const timer = setInterval(() => void check(replica.workspaceId), DRIFT_EVERY_MS)
    timer.unref()
    onChange()
    return () => {
      off()
      clearInterval(timer)
    }
  }
  const replicas = watchReplicas(ctx, watch)

  function check(workspaceId: string): Promise<void> {
    const already = running.get(workspaceId)
    if (already) return already
    const p = checkOnce(workspaceId)
      .catch((e: unknown) => ctx.log(`Drift check of ${workspaceId} could not run: ${String(e)}`))
      .finally(() => running.delete(workspaceId))
    running.set(workspaceId, p)
    return p
  }

  async function checkOnce(workspaceId: string): Promise<void> {
    const replica = ctx.replicas.get(workspaceId)
    if (stopped || !replica || replica.notReady()) return
    const ws = replica.workspace
    const configured = new Set((await options.publishing.list(workspaceId)).map((d) => d.destinationId))
    const fileKinds = (d: string) => {
      const kind = ws.destinations.get(d)?.kind
      return (kind === 'folder' || kind === 'git') && configured.has(d)
    }
    const published = ws
      .allSummaries()
      .filter((s) => (s.publishedTo ?? []).some(fileKinds))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, DRIFT_MAX_OUTPUTS)
    const known = byWorkspace.get(workspaceId) ?? new Map<string, HostDriftFlag[]>()
    byWorkspace.set(workspaceId, known)
    for (const s of published) {
      if (stopped) return
      const { output } = await replica.syncedOutput(s.id)
      const latest = new Map<string, Record<string, unknown>>()
      for (const p of deriveOutput(ws, output).derived.publishes)
        if (p.status === 'published' && p.contentHash === s.contentHash && p.receipt)
          latest.set(p.destinationId, p.receipt)
      const flags: HostDriftFlag[] = []
      for (const [destinationId, receipt] of latest) {
        if (!fileKinds(destinationId)) continue
        const { path, fileHash, sidecarPath, sidecarHash } = receipt
        if (typeof path !== 'string' || typeof fileHash !== 'string') continue
        const r = await options.publishing.checkDrift({
          workspaceId,
          destinationId,
          receipt: {
            path,
            fileHash,
            ...(typeof sidecarPath === 'string' && typeof sidecarHash === 'string'
              ? { sidecarPath, sidecarHash }
              : {}),
          },
        })
        if (r.status === 'changed' || r.status === 'missing')
          flags.push({ destinationId, status: r.status, path, checkedAt: ctx.now() })
      }
      const before = JSON.stringify((known.get(s.id) ?? []).map(({ checkedAt: _, ...f }) => f))
      const after = JSON.stringify(flags.map(({ checkedAt: _, ...f }) => f))
      if (flags.length === 0) known.delete(s.id)
      else known.set(s.id, flags)
      if (before !== after) ctx.emit({ name: 'drift', payload: { workspaceId, outputId: s.id, flags } })
    }
  }

  return {
    name: 'drift',
    flags: (workspaceId) => Object.fromEntries(byWorkspace.get(workspaceId) ?? []),
    check,
    start: replicas.start,
    async stop() {
      stopped = true
      replicas.stop()
      await Promise.allSettled([...running.values()])
    },
  }
}
