/**
 * Scheduled publishing in the host: for every workspace it holds, a timer at the nearest
 * schedule's time (and a 15 s sweep for anything due), with the output's replica opened and
 * synced ahead of time so the publish goes out on time with no window open. The trail's claims
 * make a schedule happen once across members: the claim is written, given a moment to meet
 * other members' claims, and performed only if it still counts.
 */
import { deriveOutput } from '../../../shared/domain/actions.ts'
import {
  claimCounts,
  claimPublish,
  dueSchedules,
  recordPublishOutcome,
} from '../../../shared/domain/publish-actions.ts'
import { buildPayload, runPublish } from '../../../shared/publish/payload.ts'
import type { PublishService } from '../publish-service.ts'
import type { WorkspaceReplica } from '../replica/workspace-replica.ts'
import { type HostContext, type HostService, Passes, watchReplicas } from './service.ts'

export const SWEEP_MS = 15_000
/** Open (and sync) an output this long before its schedule is due. */
export const PREPARE_AHEAD_MS = 60_000
export const LATE_AFTER_MS = 60_000
export const LATE_NOTE = 'performed late: the app was not running at the scheduled time'

export interface ScheduledPublishOptions {
  publishing: Pick<PublishService, 'list' | 'publish'>
  /** How long a claim waits for other members' claims before it is performed (default 500 ms). */
  claimWaitMs?: number
  /** Told after each performed or failed schedule. */
  onResult?: (r: { workspaceId: string; outputId: string; ok: boolean; text: string }) => void
}

export function scheduledPublishing(ctx: HostContext, options: ScheduledPublishOptions): HostService {
  const claimWait = options.claimWaitMs ?? 500
  const inFlight = new Set<string>()
  const passes = new Passes()

  function watch(replica: WorkspaceReplica): () => void {
    let exact: ReturnType<typeof setTimeout> | undefined
    let armedFor = Number.POSITIVE_INFINITY
    const arm = () => {
      if (passes.stopped) return
      const now = ctx.now()
      let next = Number.POSITIVE_INFINITY
      for (const s of replica.workspace.allSummaries()) {
        const at = s.nextSchedule?.runAt
        if (at === undefined) continue
        // Have the output synced before its time comes.
        if (at - now <= PREPARE_AHEAD_MS) replica.output(s.id)
        if (at > now && at < next) next = at
      }
      if (next === armedFor) return
      armedFor = next
      clearTimeout(exact)
      if (!Number.isFinite(next)) return
      exact = setTimeout(
        () => {
          armedFor = Number.POSITIVE_INFINITY
          passes.track(run(replica).then(arm))
        },
        Math.max(0, Math.min(next - now, SWEEP_MS)),
      )
    }
    const off = replica.subscribe(() => {
      arm()
      // A schedule already due when it arrives (a teammate's, or one missed) is performed now.
      passes.track(run(replica))
    })
    const sweep = setInterval(() => {
      arm()
      passes.track(run(replica))
    }, SWEEP_MS)
    arm()
    passes.track(run(replica))
    return () => {
      off()
      clearTimeout(exact)
      clearInterval(sweep)
    }
  }
  const replicas = watchReplicas(ctx, watch)

  async function run(replica: WorkspaceReplica): Promise<void> {
    if (passes.stopped || replica.notReady()) return
    const ws = replica.workspace
    const now = ctx.now()
    const due = ws.allSummaries().filter((s) => s.nextSchedule && s.nextSchedule.runAt <= now)
    if (due.length === 0) return
    const configured = new Set(
      (await options.publishing.list(replica.workspaceId)).map((d) => d.destinationId),
    )
    await Promise.all(due.map((s) => performDue(replica, s.id, s.title, configured)))
  }

  async function performDue(
    replica: WorkspaceReplica,
    outputId: string,
    title: string,
    configured: Set<string>,
  ): Promise<void> {
    const ws = replica.workspace
    const me = replica.memberId
    const { output } = await replica.syncedOutput(outputId)
    for (const schedule of dueSchedules(deriveOutput(ws, output).derived, ctx.now())) {
      // Only a machine with that destination set up performs it.
      if (passes.stopped || !configured.has(schedule.destinationId) || inFlight.has(schedule.scheduleId))
        continue
      inFlight.add(schedule.scheduleId)
      try {
        const late = ctx.now() - schedule.runAt > LATE_AFTER_MS
        const claimed = claimPublish(ws, output, me, schedule.destinationId, {
          scheduleId: schedule.scheduleId,
          now: ctx.now(),
        })
        if (!claimed.ok) continue
        const claim = claimed.claim
        await new Promise((r) => setTimeout(r, claimWait))
        if (!claimCounts(ws, output, claim.attemptId)) continue
        const destination = ws.destinations.get(schedule.destinationId)
        if (!destination) continue
        const { input, derived } = deriveOutput(ws, output)
        const payload = buildPayload(ws, output, input, derived, claim, destination, me, ctx.now())
        const { result, outcome } = await runPublish(
          () =>
            options.publishing.publish({
              workspaceId: replica.workspaceId,
              destinationId: schedule.destinationId,
              attemptId: claim.attemptId,
              payload,
            }),
          { claim, destination, now: ctx.now, note: late ? LATE_NOTE : undefined },
        )
        recordPublishOutcome(ws, output, me, claim, outcome)
        const text = result.ok
          ? `Scheduled publish of “${title}” to ${destination.name} done${late ? ` (${LATE_NOTE})` : ''}.`
          : `Scheduled publish of “${title}” to ${destination.name} failed: ${result.error}`
        ctx.log(text)
        ctx.notify?.({ title: 'Signoff', body: text, tag: `publish-${schedule.scheduleId}` })
        ctx.emit({
          name: 'notice',
          payload: { workspaceId: replica.workspaceId, kind: result.ok ? 'info' : 'error', text },
        })
        options.onResult?.({ workspaceId: replica.workspaceId, outputId, ok: result.ok, text })
      } catch (e) {
        ctx.log(
          `Scheduled publish of ${outputId} could not run: ${e instanceof Error ? e.message : String(e)}`,
        )
      } finally {
        inFlight.delete(schedule.scheduleId)
      }
    }
  }

  return {
    name: 'scheduled-publishing',
    start: replicas.start,
    stop: () => passes.stop(replicas),
  }
}
