/**
 * Routing in the host, for every workspace it holds, window or not: an overdue review is handed
 * to its type's backup at its deadline (a timer at the nearest one, its document opened a minute
 * ahead, a retry every 2 s while one is past due, and a 30 s sweep), and a
 * review waiting with nobody assigned under a type that routes is assigned by its author's
 * device (an admin's when the author has left). The trail orders concurrent hand-overs, so two
 * members' hosts doing it at once agree.
 */
import { autoAssign, reassignOverdue } from '../../../shared/domain/actions.ts'
import { overdueBackup } from '../../../shared/routing/assign.ts'
import type { WorkspaceReplica } from '../replica/workspace-replica.ts'
import { type HostContext, type HostService, Passes, watchReplicas } from './service.ts'

export const ROUTING_SWEEP_MS = 30_000
const HOUR = 3_600_000
/** A review due within this long has its document opened ahead of time. */
const WARM_MS = 60_000
/** A review past due and not handed over is tried again after this long. */
const RETRY_MS = 2_000

export function routing(ctx: HostContext): HostService {
  const inflight = new Set<string>()
  const passes = new Passes()

  function watch(replica: WorkspaceReplica): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined
    let queued = false
    const pass = () => {
      if (queued || passes.stopped) return
      queued = true
      // Coalesce a burst of row changes into one pass.
      queueMicrotask(() => {
        queued = false
        passes.track(run(replica).then(() => arm()))
      })
    }
    const arm = () => {
      clearTimeout(timer)
      if (passes.stopped) return
      const now = ctx.now()
      let next = now + ROUTING_SWEEP_MS
      const ws = replica.workspace
      const members = ws.members.all()
      // Deadlines are the acting replica's to keep (another member's here only sweeps).
      const acts = ctx.replicas.acts(replica)
      for (const s of acts ? ws.allSummaries() : []) {
        if (s.state !== 'in_review' || s.submittedAt === undefined || s.reassigned) continue
        const type = ws.types.get(s.typeId)
        if (!type?.routing?.backupMemberId || !(type.reviewSlaHours > 0)) continue
        const due = s.submittedAt + type.reviewSlaHours * HOUR + 1
        if (due > now) {
          if (due < next) next = due
          // Open its document ahead of the deadline, so the hand-over waits for no sync.
          if (due - now <= WARM_MS && !replica.notReady()) replica.output(s.id)
        } else if (overdueBackup(s, type, members, now) !== null) {
          // Due, and not handed over yet: the pass that saw it was busy (a sync in flight, or
          // the relay slow). Try again soon, not at the next sweep.
          next = Math.min(next, now + RETRY_MS)
        }
      }
      timer = setTimeout(pass, Math.max(0, next - now))
    }
    const off = replica.subscribe(pass)
    pass()
    return () => {
      off()
      clearTimeout(timer)
    }
  }
  const replicas = watchReplicas(ctx, watch, { every: true })

  async function run(replica: WorkspaceReplica): Promise<void> {
    if (passes.stopped || replica.notReady()) return
    const ws = replica.workspace
    const me = replica.memberId
    const now = ctx.now()
    const members = ws.members.all()
    // Each member's replica assigns that member's own outputs; what is the workspace's (a
    // hand-over, an output whose author left) is done by the replica that acts, once.
    const acts = ctx.replicas.acts(replica)
    const isAdmin = ws.members.get(me)?.roles.includes('admin') ?? false
    const work: Promise<void>[] = []
    for (const s of ws.allSummaries()) {
      const key = `${replica.workspaceId}/${s.id}`
      if (inflight.has(key) || s.state !== 'in_review') continue
      const type = ws.types.get(s.typeId)
      const overdue = acts && overdueBackup(s, type, members, now) !== null
      const r = type?.routing
      const waiting =
        !s.reviewer &&
        !!r &&
        r.strategy !== 'none' &&
        (s.authorId === me || (acts && isAdmin && !ws.members.get(s.authorId)))
      if (!overdue && !waiting) continue
      inflight.add(key)
      work.push(
        (async () => {
          try {
            const { output } = await replica.syncedOutput(s.id)
            if (overdue) {
              const to = reassignOverdue(ws, output, me, ctx.now())
              if (to) ctx.log(`Overdue review of “${s.title}” handed to ${ws.members.get(to)?.name ?? to}.`)
            } else autoAssign(ws, output, me, ctx.now())
          } catch (e) {
            ctx.log(`Routing ${s.id} could not run: ${e instanceof Error ? e.message : String(e)}`)
          } finally {
            inflight.delete(key)
          }
        })(),
      )
    }
    await Promise.all(work)
  }

  return {
    name: 'routing',
    start: replicas.start,
    stop: () => passes.stop(replicas),
  }
}
