/**
 * Intake in the host: a submission to a workspace the host holds becomes a draft in the host's
 * replica at once, authored by this device's member and signed with its key, and is
 * acknowledged (the spool file moves to processed/) only once the draft, content included, is
 * durable in the host's log. `GET /outputs/:id` reads the replica. A workspace that is not ready
 * yet (not synced, key not trusted) keeps its submissions queued; they are taken when it is.
 */

import type { IntakeItem, IntakeStatus } from '../../../shared/host/intake.ts'
import { applyIntakeItem, intakeStatus } from '../../../shared/intake/apply.ts'
import type { DraftOutcome, IntakeDrafts } from '../intake/service.ts'
import type { WorkspaceReplica } from '../replica/workspace-replica.ts'
import { type HostContext, type HostService, watchReplicas } from './service.ts'

/** How long an already-made draft's output may take to arrive from the relay before it is re-checked. */
const EXISTING_SYNC_MS = 5000

export function intakeDrafts(
  ctx: HostContext,
  options: { drain(workspaceId: string): Promise<void> },
): HostService & IntakeDrafts {
  let stopped = false

  function watch(replica: WorkspaceReplica): () => void {
    let ready = false
    const check = () => {
      const now = replica.notReady() === null
      if (now && !ready && !stopped)
        void options
          .drain(replica.workspaceId)
          .catch((e: unknown) => ctx.log(`Intake could not drain: ${String(e)}`))
      ready = now
    }
    const off = replica.subscribe(check)
    check()
    return off
  }
  const replicas = watchReplicas(ctx, watch)

  async function make(item: IntakeItem): Promise<DraftOutcome | null> {
    const replica = ctx.replicas.get(item.workspaceId)
    if (stopped || !replica || replica.notReady()) return null
    const ws = replica.workspace
    const open = replica.output(item.id)
    const existing = ws.summary(item.id)
    if (existing) {
      // Made before a crash cut the acknowledgement off: acknowledge it now, once its content is
      // here (this log commits row and content together, but the relay may have been sent the
      // row before the content's own connection was up).
      if (!open.output.id) {
        const synced = await open.replica.whenSynced(EXISTING_SYNC_MS)
        if (!open.output.id && !synced) return null
      }
      if (open.output.id)
        return { ok: true, typeId: existing.typeId, status: intakeStatus(ws, existing, open.output) }
      // The relay has the row and no content anywhere: make the draft again from the spool.
    }
    const result = applyIntakeItem(ws, open.output, item, replica.memberId)
    if (!result.ok) return result
    // Both documents' updates were queued in this same turn: one commit holds row and content.
    await Promise.all([replica.replica.durable(), open.replica.durable()])
    const summary = ws.summary(item.id)
    if (!summary) return { ok: false, reason: 'The draft could not be made.' }
    return { ok: true, typeId: result.typeId, status: intakeStatus(ws, summary, open.output) }
  }

  async function status(id: string): Promise<(IntakeStatus & { workspaceId: string }) | null> {
    for (const replica of ctx.replicas.all()) {
      const summary = replica.workspace.summary(id)
      if (!summary) continue
      const { output } = replica.output(id)
      return {
        ...intakeStatus(replica.workspace, summary, output.id ? output : null),
        workspaceId: replica.workspaceId,
      }
    }
    return null
  }

  return {
    name: 'intake',
    holds: (workspaceId) => ctx.replicas.holds(workspaceId),
    make,
    status,
    start: replicas.start,
    async stop() {
      stopped = true
      replicas.stop()
    },
  }
}
