/** How a review round resolves: judgements, approvals and the gate on one version (see derive.ts). */
import { actorCheck, apply, type Context, type Progress } from './derive-rules.ts'
import type { CountedApproval, DeriveInput, Enforced, Judgement, RoundPolicy } from './derive-types.ts'
import { type PolicyVersion, shortPolicy, targetTypes, typeUnderPolicy } from './policies.ts'
import { carryOver } from './policy-carry-over.ts'
import type { PublishLedger } from './publishing.ts'
import type { TrailEvent } from './trail.ts'
import type { OutputType } from './types.ts'

/**
 * The latest judgement per checklist item on one version of the content. A verdict carried over
 * from the round before stands for every version until the item is judged again in this round.
 */
export function judgementsFor(p: Progress, hash: string): Map<string, Judgement> {
  const latest = new Map<string, Judgement>()
  for (const j of p.judgements) {
    if (j.carried || j.contentHash === hash) latest.set(j.itemId, j)
    else if (latest.get(j.itemId)?.carried) latest.delete(j.itemId)
  }
  return latest
}

/**
 * True when the checklist on that version has every send-back item passed or n/a. A valid
 * automatic approval stands in for the unjudged items (nobody is asked to judge a low-risk type
 * set to approve itself), but a send-back item a person judged "fail" still holds it.
 */
export function checklistPasses(type: OutputType, judged: Map<string, Judgement>, auto = false): boolean {
  for (const item of type.checklist) {
    if (item.severity !== 'send-back') continue
    const j = judged.get(item.id)
    if (j?.verdict === 'fail' || (!j && !auto)) return false
  }
  return true
}

export const hasAuto = (approvals: readonly CountedApproval[]) => approvals.some((a) => a.auto)

/** The whole approval gate for one version: approvals, checklist and automatic checks. */
export function gatePasses(
  ctx: Context,
  type: OutputType,
  p: Progress,
  hash: string,
  required: number,
): boolean {
  const counted = countFor(p, hash)
  if (counted.length < required) return false
  if (!checklistPasses(type, judgementsFor(p, hash), hasAuto(counted))) return false
  if (hash === ctx.currentHash) return ctx.preCheckFailures.length === 0
  return (ctx.versions.get(hash)?.failures ?? 0) === 0
}

export function countFor(p: Progress, hash: string): CountedApproval[] {
  const out: CountedApproval[] = []
  for (const a of p.approvals.values()) if (a.contentHash === hash) out.push(a)
  return out
}

/**
 * The rules a submission (or new round) binds its round to: the version it names, or for
 * submissions from before versions existed, the version in force at its time. Returns a sentence
 * when the round cannot be judged (a version this workspace does not hold, or of another type).
 */
export function resolveRound(
  input: DeriveInput,
  e: TrailEvent & { kind: 'submitted' | 'new_round' },
  round: number,
): { policy: RoundPolicy; enforced?: Enforced } | string {
  const policy: RoundPolicy = { round, eventId: e.id, by: e.actor, at: e.at }
  const book = input.policies
  if (!book) return { policy }
  const typeId = input.typeId ?? input.type?.id
  let version: PolicyVersion | undefined
  if (e.policy !== undefined) {
    version = book.get(e.policy)
    if (!version) return `it names rules ${shortPolicy(e.policy)} that this workspace does not hold.`
    if (typeId !== undefined && version.typeId !== typeId)
      return `it names rules ${shortPolicy(e.policy)} of another output type (${version.typeId}).`
  } else if (typeId !== undefined) {
    version = book.inForceAt(typeId, e.at)
    if (version)
      policy.note =
        'Submitted before rounds named their rules: judged by the rules recorded for this type at that time (or the earliest recorded).'
  }
  if (!version) {
    if (!input.type) return 'This output has no known type, so there is no review policy to judge it by.'
    policy.note = 'No rules were recorded for this type: judged by its current rules.'
    return { policy }
  }
  policy.hash = version.hash
  policy.version = version
  // Bound to the rules as they stand: the input already holds them, enforced on this content.
  const asNow = version.hash === input.currentPolicy && input.type
  const base = asNow ? input.type! : typeUnderPolicy(version, input.type)
  const enforced =
    input.enforce && !asNow
      ? input.enforce(base, targetTypes(version))
      : {
          type: base,
          preChecks: input.preChecks ?? [],
          preCheckFailures: input.preCheckFailures ?? [],
          escalations: input.escalations ?? [],
          versions: input.preCheckVersions ?? new Map(),
        }
  return { policy, enforced }
}

/**
 * Why a "Start a new version" does not count where it stands, or null when it does: a member
 * opens a version a person approved in this round (only such a version is ever locked).
 */
export function newVersionRule(
  ctx: Context,
  p: Progress,
  e: TrailEvent & { kind: 'new_version' },
): string | null {
  if (!ctx.members.has(e.actor)) return 'They are not a member of this workspace.'
  if (p.phase !== 'in_review') return 'Only an approved version can be opened for a new one.'
  if (!countFor(p, e.contentHash).some((a) => !a.auto))
    return `nobody had approved version ${e.contentHash.slice(0, 8)} where this stands, so there was nothing to open.`
  return null
}

/**
 * The version whose approvals still hold although the content changed without "Start a new
 * version", or undefined: approved in this round by at least one person (an automatic approval
 * is simply given again by the checks, so it does not lock) and not opened since. The latest such
 * approval wins when there are several.
 */
export function lockedVersion(
  ctx: Context,
  type: OutputType,
  p: Progress,
  required: number,
): string | undefined {
  const approvals = [...p.approvals.values()]
  for (let i = approvals.length - 1; i >= 0; i--) {
    const a = approvals[i]!
    if (a.auto || p.opened.has(a.contentHash)) continue
    if (gatePasses(ctx, type, p, a.contentHash, required)) return a.contentHash
  }
  return undefined
}

/** Why an admin's new round does not count where it stands, or null when it does. */
export function newRoundRule(
  ctx: Context,
  p: Progress,
  e: TrailEvent & { kind: 'new_round' },
  ledger: PublishLedger,
): string | null {
  const member = actorCheck(ctx, e.actor, e.at)
  if (typeof member === 'string') return member
  if (!member.roles.includes('admin')) return `${member.name} is not an admin: only admins start a new round.`
  if (p.phase !== 'in_review') return 'Only a round still in review can start over under new rules.'
  if (p.policy?.hash === e.policy) return 'The round is already judged by these rules.'
  // A round that shipped is decided: its publish stands under the rules it passed.
  for (const a of ledger.attempts.values())
    if (a.status === 'published' && a.round === p.round)
      return 'This round already shipped; the next submission follows the new rules.'
  return null
}

/** Where the round's rules allowed it to go, or where the type may go now (a destination added since). */
export function allowedDestinations(ctx: Context): readonly string[] {
  const round = ctx.type?.allowedDestinations ?? []
  const now = ctx.current?.allowedDestinations ?? []
  // Usually the round follows the current rules: no copy then (derive runs for every card).
  if (round === now || now.every((id) => round.includes(id))) return round
  return [...round, ...now.filter((id) => !round.includes(id))]
}

export const destinationAllowed = (ctx: Context, id: string): boolean =>
  !!ctx.type?.allowedDestinations.includes(id) || !!ctx.current?.allowedDestinations.includes(id)

/** Bind the progress and the rules in force to a new round. */
export function startRound(
  ctx: Context,
  p: Progress,
  bound: { policy: RoundPolicy; enforced?: Enforced },
): void {
  p.policy = bound.policy
  p.rounds.push(bound.policy)
  const enforced = bound.enforced
  p.enforced = enforced
  if (!enforced) return
  ctx.type = enforced.type
  ctx.preCheckFailures = enforced.preCheckFailures
  ctx.versions = enforced.versions
}

/**
 * A submission or new round counted: the progress moves to the new round, binds to its rules, and
 * takes the verdicts of the round that ended that those rules carry over.
 */
export function beginRound(
  ctx: Context,
  p: Progress,
  e: TrailEvent & { kind: 'submitted' | 'new_round' },
  bound: { policy: RoundPolicy; enforced?: Enforced },
): void {
  const ended = { round: p.round, type: ctx.type }
  const previous = p.judgements
  apply(p, e)
  startRound(ctx, p, bound)
  const { carried, refused } = carryOver(previous, ended, ctx.type)
  p.judgements = carried
  p.notCarried = refused
  // Recorded on the round, so what stood behind a decision can be read again (trace/evidence.ts).
  if (carried.length > 0) bound.policy.carried = carried
}
