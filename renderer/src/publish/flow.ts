/**
 * Publishing an output from the renderer: claim it in the trail (the rules refuse with a
 * reason), build the payload from the approved version's bytes, hand it to the host, and record
 * the receipt or the error in the trail. Scheduling goes through the same rules.
 */
import { deriveOutput } from '../../../shared/domain/actions.ts'
import { type Claim, checkPublish, claimCounts } from '../../../shared/domain/publish-actions.ts'
import { buildPayload, receiptRecord, runPublish } from '../../../shared/publish/payload.ts'
import { onHost } from '../data/host-commands.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { getHost } from '../host.ts'
import { localDestinations } from './local.ts'

export { buildPayload, receiptRecord }

export type PublishFlowResult =
  | { ok: true; receipt: Record<string, unknown> }
  | {
      ok: false
      reason: string /** Whether the attempt was recorded in the trail as a failure. */
      recorded: boolean
    }

/** Is this destination set up on this machine? Publishing needs its local settings. */
export async function destinationReady(session: WorkspaceSession, destinationId: string): Promise<boolean> {
  const local = localDestinations(session.entry.id)
  if (!local.loaded) await local.refresh()
  return local.configured(destinationId)
}

/** May I publish this output to this destination now? (For drop targets and menus.) */
export async function checkPublishTo(
  session: WorkspaceSession,
  outputId: string,
  destinationId: string,
  options: { needLocal?: boolean } = {},
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const ws = session.workspace
  const { output } = await session.openOutput(outputId)
  const { input, derived } = deriveOutput(ws, output)
  const destination = ws.destinations.get(destinationId)
  const check = checkPublish(derived, input, session.memberId, destination)
  if (!check.ok) return check
  if (options.needLocal !== false && !(await destinationReady(session, destinationId)))
    return {
      ok: false,
      reason: `${destination?.name ?? 'This destination'} is not set up on this machine: add its local settings in Settings → Destinations.`,
    }
  return { ok: true }
}

/**
 * Publish an output now (or perform a due schedule). The claim goes into the trail before
 * anything leaves the machine; `waitForClaimMs` lets a scheduled claim meet the other members'
 * claims first, so only the one whose claim counts performs it.
 */
export async function publishOutput(
  session: WorkspaceSession,
  outputId: string,
  destinationId: string,
  options: { scheduleId?: string; note?: string; waitForClaimMs?: number } = {},
): Promise<PublishFlowResult> {
  const host = getHost()
  if (!host)
    return { ok: false, reason: 'Publishing needs the desktop app or the web bridge.', recorded: false }
  const ws = session.workspace
  const me = session.memberId
  const destination = ws.destinations.get(destinationId)
  if (!destination)
    return { ok: false, reason: 'That destination does not exist in this workspace.', recorded: false }
  if (!(await destinationReady(session, destinationId)))
    return {
      ok: false,
      reason: `${destination.name} is not set up on this machine: add its local settings in Settings → Destinations.`,
      recorded: false,
    }
  const { output } = await session.openOutput(outputId)
  // The claim and the outcome are trail events: the host writes and signs them.
  const claimed = await onHost<Claim>(ws, output, {
    name: 'claimPublish',
    args: { destinationId, ...(options.scheduleId ? { scheduleId: options.scheduleId } : {}) },
  })
  if (!claimed.ok) return { ok: false, reason: claimed.reason, recorded: false }
  const claim = claimed.value
  if (options.waitForClaimMs) {
    await new Promise((r) => setTimeout(r, options.waitForClaimMs))
    if (!claimCounts(ws, output, claim.attemptId))
      return { ok: false, reason: 'Another member performs this publish.', recorded: false }
  }
  const { input, derived } = deriveOutput(ws, output)
  const now = Date.now()
  const payload = buildPayload(ws, output, input, derived, claim, destination, me, now)
  const { result, outcome } = await runPublish(
    () =>
      host.publishOutput({
        workspaceId: session.entry.id,
        destinationId,
        attemptId: claim.attemptId,
        payload,
      }),
    { claim, destination, now: Date.now, note: options.note },
    (message) => `The publish could not be handed to this machine: ${message}`,
  )
  const recorded = await onHost(ws, output, {
    name: 'recordPublishOutcome',
    args: { attemptId: claim.attemptId, outcome },
  })
  if (!recorded.ok)
    return {
      ok: false,
      reason: `Published, but the receipt could not be recorded: ${recorded.reason}`,
      recorded: false,
    }
  return result.ok
    ? { ok: true, receipt: receiptRecord(result) }
    : { ok: false, reason: result.error, recorded: true }
}

export async function scheduleOutput(
  session: WorkspaceSession,
  outputId: string,
  destinationId: string,
  runAt: number,
): Promise<{ ok: true; scheduleId: string } | { ok: false; reason: string }> {
  const { output } = await session.openOutput(outputId)
  const r = await onHost<string>(session.workspace, output, {
    name: 'schedulePublish',
    args: { destinationId, runAt },
  })
  return r.ok ? { ok: true, scheduleId: r.value } : r
}

export async function unscheduleOutput(
  session: WorkspaceSession,
  outputId: string,
  scheduleId: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const { output } = await session.openOutput(outputId)
  const r = await onHost(session.workspace, output, {
    name: 'cancelSchedule',
    args: { scheduleId, reason: 'cancelled from the board' },
  })
  return r.ok ? { ok: true } : r
}
