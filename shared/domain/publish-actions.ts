/**
 * Publishing operations on an output: check, claim, record the outcome, schedule. The bytes to
 * publish are the approved version's, read from the output's versions by the approved hash, never
 * the editor's current text.
 */
import { deriveOutput, record } from './actions.ts'
import type { Check, Derived, DeriveInput } from './derive.ts'
import { newId } from './ids.ts'
import type { OutputDoc } from './output.ts'
import type { Destination } from './types.ts'
import type { Workspace } from './workspace.ts'

const no = (reason: string): Check => ({ ok: false, reason })

const NOT_APPROVED: Record<string, string> = {
  draft: 'It is a draft: submit it for review and get it approved first.',
  in_review: 'It is still in review and not approved yet.',
  changes_requested: 'Changes were requested: it needs a new review and approval first.',
  approved_stale:
    'The content changed after approval, so the approved version is not what is in the editor now. Get it re-approved first.',
  rejected: 'It was rejected.',
  archived: 'It is archived.',
}

/** May this member publish this output to this destination now? */
export function checkPublish(
  derived: Derived,
  input: DeriveInput,
  actorId: string,
  destination: Destination | undefined,
): Check {
  if (!input.members.has(actorId)) return no('They are not a member of this workspace.')
  if (!destination) return no('That destination does not exist in this workspace.')
  const unsignable = input.integrity?.signable?.(actorId)
  if (unsignable) return no(unsignable)
  if (derived.state !== 'approved' && derived.state !== 'published')
    return no(NOT_APPROVED[derived.state] ?? 'Only approved outputs can be published.')
  const type = input.type
  if (!derived.allowedDestinations.includes(destination.id))
    return no(
      `${type?.name ?? 'This'} outputs may not be published to ${destination.name}. An admin can allow it in Settings.`,
    )
  const inFlight = derived.publishes.find(
    (p) =>
      p.destinationId === destination.id &&
      p.status === 'pending' &&
      p.contentHash === (derived.approvedHash ?? input.currentHash),
  )
  if (inFlight)
    return no(`A publish to ${destination.name} is already under way (claimed by ${inFlight.by}).`)
  return { ok: true }
}

export interface Claim {
  attemptId: string
  contentHash: string
  /** The exact approved bytes to publish. */
  content: string
}

/**
 * Claim a publish attempt: written to the trail before anything leaves the machine, so every
 * member can see it and a scheduled publish is performed by one member only.
 */
export function claimPublish(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  destinationId: string,
  options: { scheduleId?: string; now?: number } = {},
): { ok: true; claim: Claim } | { ok: false; reason: string } {
  const { input, derived } = deriveOutput(ws, out)
  const destination = ws.destinations.get(destinationId)
  const schedule = options.scheduleId
    ? derived.schedules.find((s) => s.scheduleId === options.scheduleId)
    : undefined
  if (options.scheduleId && !schedule) return { ok: false, reason: 'That scheduled publish does not exist.' }
  // The approved version: the current content, or the locked version a change without "Start a
  // new version" left approved (locks.ts).
  const approved = derived.approvedHash ?? input.currentHash
  const hash = schedule?.contentHash ?? approved
  const check = checkPublish(derived, input, actorId, destination)
  if (!check.ok) return check
  if (hash !== approved)
    return {
      ok: false,
      reason: 'The content changed after this publish was scheduled; it needs a new approval.',
    }
  const content = out.version(hash)
  if (content === undefined)
    return { ok: false, reason: 'The approved version of the content is missing from this device.' }
  const attemptId = newId('p')
  const now = options.now ?? Date.now()
  const scheduled = options.scheduleId ? { scheduleId: options.scheduleId } : {}
  record(
    ws,
    out,
    actorId,
    { kind: 'publish_claimed', contentHash: hash, destinationId, attemptId, ...scheduled },
    { now },
  )
  // The claim counts only if derivation accepts it, approved, where it stands in the merged trail.
  if (!claimCounts(ws, out, attemptId)) {
    const problem = deriveOutput(ws, out).derived.problems.find((p) => p.reason.includes('publish_claimed'))
    return { ok: false, reason: problem?.reason ?? 'The publish could not be claimed.' }
  }
  return { ok: true, claim: { attemptId, contentHash: hash, content } }
}

/** Does this attempt's claim count in the trail as merged so far (and is it still pending)? */
export function claimCounts(ws: Workspace, out: OutputDoc, attemptId: string): boolean {
  return deriveOutput(ws, out).derived.publishes.some((p) => p.attemptId === attemptId)
}

export type PublishOutcome =
  | { ok: true; receipt: Record<string, unknown>; note?: string }
  | { ok: false; error: string; retryable: boolean }

/** Record what the destination answered: the receipt, or the error. */
export function recordPublishOutcome(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  claim: { attemptId: string },
  outcome: PublishOutcome,
  now = Date.now(),
): void {
  // A claim that stopped counting when the trails merged (sent back on another device at the same
  // time) still gets its outcome recorded: what went out is a fact the shipped log must show.
  const { derived } = deriveOutput(ws, out)
  const attempt =
    derived.publishes.find((p) => p.attemptId === claim.attemptId) ??
    derived.unapprovedPublishes.find((p) => p.attemptId === claim.attemptId && p.status === 'pending')
  if (!attempt) throw new Error('That publish attempt has no claim that counts.')
  const base = {
    contentHash: attempt.contentHash,
    destinationId: attempt.destinationId,
    attemptId: attempt.attemptId,
    ...(attempt.scheduleId ? { scheduleId: attempt.scheduleId } : {}),
  }
  record(
    ws,
    out,
    actorId,
    outcome.ok
      ? {
          ...base,
          kind: 'published',
          receipt: outcome.receipt,
          ...(outcome.note ? { note: outcome.note } : {}),
        }
      : { ...base, kind: 'publish_failed', error: outcome.error, retryable: outcome.retryable },
    { now },
  )
}

const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 60 * 60 * 1000

/** Schedule a publish of the approved version at a time. */
export function schedulePublish(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  destinationId: string,
  runAt: number,
  now = Date.now(),
): { ok: true; scheduleId: string } | { ok: false; reason: string } {
  const { input, derived } = deriveOutput(ws, out)
  const check = checkPublish(derived, input, actorId, ws.destinations.get(destinationId))
  if (!check.ok) return check
  if (!Number.isFinite(runAt)) return { ok: false, reason: 'Choose a time for the publish.' }
  // A time already past would be "due" at once and publish straight away, which is not what
  // scheduling means: the person says which they want.
  if (runAt <= now)
    return {
      ok: false,
      reason: 'That time has already passed: choose a later time, or choose “Publish now”.',
    }
  // A year on is the furthest a schedule reaches: further is a mistyped year (9999 is one keystroke
  // away in a date field), and would sit on the card as a publish that never comes.
  if (runAt - now > MAX_SCHEDULE_AHEAD_MS)
    return {
      ok: false,
      reason: `That is more than a year away (${new Date(runAt).getFullYear()}): choose a time within a year.`,
    }
  const scheduleId = newId('s')
  record(
    ws,
    out,
    actorId,
    {
      kind: 'publish_scheduled',
      contentHash: derived.approvedHash ?? input.currentHash,
      destinationId,
      scheduleId,
      runAt,
    },
    { now, keep: true },
  )
  return { ok: true, scheduleId }
}

export function cancelSchedule(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  scheduleId: string,
  reason = '',
): Check {
  const { derived } = deriveOutput(ws, out)
  const s = derived.schedules.find((x) => x.scheduleId === scheduleId)
  if (!s) return no('That scheduled publish does not exist.')
  if (s.status !== 'pending') return no(`It is already ${s.status}.`)
  const unsignable = ws.signingProblem(actorId)
  if (unsignable) return no(unsignable)
  record(ws, out, actorId, { kind: 'publish_unscheduled', scheduleId, reason })
  return { ok: true }
}

/** Schedules that are due now and not claimed by anyone (or whose claim failed). */
export function dueSchedules(derived: Derived, now: number) {
  return derived.schedules.filter((s) => {
    if (s.status !== 'pending' || s.runAt > now) return false
    const attempt = s.attemptId ? derived.publishes.find((p) => p.attemptId === s.attemptId) : undefined
    return !attempt || (attempt.status === 'failed' && attempt.retryable !== false)
  })
}
