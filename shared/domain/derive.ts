/**
 * State is derived, not stored: an output's review state is a pure function of its trail, its
 * type's policy, the workspace's members and its current content hash. Concurrent offline actions
 * merge into one trail order (the Y.Array's), and this function turns any such trail into one
 * valid state: an event that was not allowed where it stands is ignored and reported.
 */

import type { Escalation } from '../prechecks/policy.ts'
import type { PreCheckResult } from '../prechecks/run.ts'
import { canReview } from '../routing/assign.ts'
import { checkIntegrity, type IntegrityInput } from './integrity.ts'
import { type PolicyBook, type PolicyVersion, shortPolicy, targetTypes, typeUnderPolicy } from './policies.ts'
import { isPublishEvent, PublishLedger, type PublishRecord, type ScheduleRecord } from './publishing.ts'
import type { TrailEvent, TrailProblem, Verdict } from './trail.ts'
import { parseTrailEvent } from './trail.ts'
import type { ChecklistItem, Member, OutputType, ReviewState, Role } from './types.ts'

/** The lifecycle phase the events move through; "approved" is derived from a review round. */
export type Phase = 'draft' | 'in_review' | 'changes_requested' | 'rejected' | 'archived'

export interface DeriveInput {
  /** Raw trail values as they come out of the document: validated here, never trusted. */
  trail: readonly unknown[]
  /**
   * The type's rules as they stand now (escalated by the current content's pre-checks): used
   * before the first submission, and for every round when `policies` is not given.
   */
  type: OutputType | undefined
  /** The output's type id (the type itself may have been deleted since). */
  typeId?: string
  /**
   * The workspace's recorded policy versions. When given, each round is judged by the version
   * its submission names, so later edits of the type never change a decided round.
   */
  policies?: PolicyBook
  /** The address of the type's current rules: a round bound to them is judged by the fields above. */
  currentPolicy?: string
  /** The rules enforced for one base policy on the current content (pre-checks, escalation). */
  enforce?: (type: OutputType, targets: ReadonlyMap<string, OutputType> | undefined) => Enforced
  members: ReadonlyMap<string, Member>
  authorId: string
  assignees?: readonly string[]
  currentHash: string
  /** Automatic pre-check results on the current content (a pure function of content and config). */
  preChecks?: readonly PreCheckResult[]
  /** Titles of failed pre-checks on the current content: they hold approval like a failed send-back item. */
  preCheckFailures?: readonly string[]
  /** Escalations already applied to `type` (the policy enforced); stated to people. */
  escalations?: readonly Escalation[]
  /**
   * Pre-check outcome per version: the current one, and every version an `auto_approved` event
   * names whose bytes are known. Auto-approvals of versions missing here are not counted.
   */
  preCheckVersions?: ReadonlyMap<string, PreCheckVersion>
  /**
   * Signatures and chain: when given (the app always gives it), an event counts only if signed by
   * a trusted key of its actor for this output and chained to an unchanged earlier event.
   */
  integrity?: IntegrityInput
}

/** What one policy comes to on the current content: the type as escalated, and the checks' outcome. */
export interface Enforced {
  type: OutputType
  preChecks: readonly PreCheckResult[]
  preCheckFailures: readonly string[]
  escalations: readonly Escalation[]
  versions: ReadonlyMap<string, PreCheckVersion>
}

/** The rules one round is judged by. */
export interface RoundPolicy {
  round: number
  /** The submission (or new round) event that started it. */
  eventId: string
  by: string
  at: number
  /** The recorded version's address, when the round is bound to one. */
  hash?: string
  version?: PolicyVersion
  /** How the version was chosen when the submission did not name one. */
  note?: string
}

export interface PreCheckVersion {
  /** Every pre-check passed (no failure, no detector fired). */
  passed: boolean
  /** Number of failed (blocking) pre-checks. */
  failures: number
  /** A detector with an escalation fired on this version. */
  escalated: boolean
}

/** The approver id under which a valid automatic approval is counted (one per version). */
export const AUTO_APPROVER = 'signoff:automatic-checks'

export interface Judgement {
  itemId: string
  verdict: Verdict
  note: string
  by: string
  at: number
  eventId: string
  contentHash: string
}

export interface ChecklistRow {
  item: ChecklistItem
  /** The latest judgement of this item in the current round on the current content, if any. */
  judgement?: Judgement
  /** A judgement given in this round to an earlier version of the content. */
  outdated?: Judgement
}

/** Who is asked to review in the current round, from the first counted `assigned` event. */
export interface Assignment {
  assignee: string
  reason: 'auto' | 'manual' | 'overdue'
  by: string
  at: number
  round: number
  eventId: string
}

export interface CountedApproval {
  memberId: string
  at: number
  eventId: string
  contentHash: string
  /** Set for an automatic approval (memberId is AUTO_APPROVER): the member whose app wrote it. */
  auto?: { writtenBy: string; checks: string }
}

export interface Derived {
  state: ReviewState
  phase: Phase
  /** Number of times the output was submitted for review. */
  round: number
  /** The rules the current round is judged by (the type's current rules before any submission). */
  type: OutputType | undefined
  /** The current round's policy version; absent before the first submission. */
  policy?: RoundPolicy
  /** Every counted round with the rules it was judged by, in trail order. */
  rounds: RoundPolicy[]
  /** Pre-check outcome per version under the current round's rules. */
  preCheckVersions: ReadonlyMap<string, PreCheckVersion>
  /** Destinations a publish of this round may go to. */
  allowedDestinations: readonly string[]
  submittedAt?: number
  approvals: CountedApproval[]
  /** Approvals in this round given to another version of the content: no longer counted. */
  staleApprovals: CountedApproval[]
  approvalsRequired: number
  checklist: ChecklistRow[]
  checklistDone: number
  checklistTotal: number
  /** Send-back items judged "fail" on the current content in this round. */
  checklistFailed: number
  /** Why the output was last sent back or rejected (cleared by a new submission). */
  reasons: string[]
  /** Events that were not counted, and why. */
  problems: TrailProblem[]
  /** Events that counted, in trail order. */
  events: TrailEvent[]
  /** Every publish attempt (claims and their outcomes), in trail order. */
  publishes: PublishRecord[]
  /**
   * Claims that did not count (no approval stood where they are in the merged trail), with the
   * outcomes their members recorded: publishes that may have gone out all the same.
   */
  unapprovedPublishes: PublishRecord[]
  schedules: ScheduleRecord[]
  lastEventAt: number
  /** The current round's reviewer (routing), if one was assigned. */
  assignment?: Assignment
  /** The review was handed to the backup this round because it ran past the SLA. */
  reassigned: boolean
  /** Automatic pre-checks on the current content, their failures and the escalations applied. */
  preChecks: readonly PreCheckResult[]
  preCheckFailures: string[]
  escalations: readonly Escalation[]
}

export type Action =
  | 'edit'
  | 'submit'
  | 'judge'
  | 'approve'
  | 'request_changes'
  | 'reject'
  | 'reopen'
  | 'archive'
export const ACTIONS: readonly Action[] = [
  'edit',
  'submit',
  'judge',
  'approve',
  'request_changes',
  'reject',
  'reopen',
  'archive',
]

export type Check = { ok: true } | { ok: false; reason: string }
const OK: Check = { ok: true }
const no = (reason: string): Check => ({ ok: false, reason })

const REVIEW_ROLES: readonly Role[] = ['reviewer', 'approver', 'admin']

/** What the rules need to know at one point of the trail. */
interface Progress {
  phase: Phase
  round: number
  submittedAt?: number
  /** Judgements of the current round, latest last. */
  judgements: Judgement[]
  /** Approvals of the current round, one per member (the latest). */
  approvals: Map<string, CountedApproval>
  reasons: string[]
  assignment?: Assignment
  reassigned: boolean
  policy?: RoundPolicy
  rounds: RoundPolicy[]
  enforced?: Enforced
}

interface Context {
  /** The rules in force where derivation stands: the current round's, once there is one. */
  type: OutputType | undefined
  /** The type's current rules (destinations added since a round began may still be used). */
  current: OutputType | undefined
  members: ReadonlyMap<string, Member>
  authorId: string
  assignees: readonly string[]
  currentHash: string
  preCheckFailures: readonly string[]
  versions: ReadonlyMap<string, PreCheckVersion>
}

function contextOf(input: DeriveInput): Context {
  return {
    type: input.type,
    current: input.type,
    members: input.members,
    authorId: input.authorId,
    assignees: input.assignees ?? [],
    currentHash: input.currentHash,
    preCheckFailures: input.preCheckFailures ?? [],
    versions: input.preCheckVersions ?? new Map(),
  }
}

/** Why an automatic approval does not count where it stands, or null when it does. */
function autoApprovalRule(ctx: Context, p: { phase: Phase }, actor: string, hash: string): string | null {
  if (!ctx.members.has(actor)) return 'They are not a member of this workspace.'
  if (p.phase !== 'in_review') return 'Only outputs in review can be approved automatically.'
  const type = ctx.type
  if (!type) return 'This output has no known type, so nothing can approve it.'
  if (type.risk !== 'low')
    return `${type.name} is a ${type.risk}-risk type: only low-risk types approve automatically.`
  if (!type.prechecks?.autoApprove) return `${type.name} is not set to approve automatically.`
  const v = ctx.versions.get(hash)
  if (!v) return 'The automatic checks could not be run on this version.'
  if (v.escalated) return 'This version mentions something that escalates its review.'
  if (!v.passed) return 'The automatic checks do not all pass on this version.'
  return null
}

/**
 * Why an automatic approval of the current version should not be written now, or null: the very
 * rule derivation counts one by, and nothing to add when the version is approved already.
 */
export function autoApprovalRefusal(input: DeriveInput, derived: Derived, actorId: string): string | null {
  const refused = autoApprovalRule(contextOf(input), derived, actorId, input.currentHash)
  if (refused) return refused
  if (derived.state === 'approved' || derived.state === 'published') return 'It is already approved.'
  if (derived.approvals.some((a) => a.memberId === AUTO_APPROVER))
    return 'This version is already approved automatically.'
  return null
}

const hasAnyRole = (member: Member, roles: readonly Role[]) => member.roles.some((r) => roles.includes(r))

function actorCheck(ctx: Context, actorId: string): Member | string {
  const member = ctx.members.get(actorId)
  if (!member) return 'They are not a member of this workspace.'
  return member
}

/**
 * The rules for one action by one member at one point of the trail, without the checks that need
 * the final content hash (those are in `checkAction`). Used both to validate every trail event
 * during derivation and to tell the UI what a person may do, so the two can never disagree.
 */
function ruleAt(ctx: Context, p: { phase: Phase }, actorId: string, action: Action): Check {
  const member = actorCheck(ctx, actorId)
  if (typeof member === 'string') return no(member)
  const isAuthor = actorId === ctx.authorId
  const isAdmin = member.roles.includes('admin')
  const type = ctx.type
  switch (action) {
    case 'edit':
      if (p.phase === 'archived') return no('Archived outputs cannot be edited; reopen it first.')
      return OK
    case 'submit':
      if (!isAuthor && !isAdmin && !ctx.assignees.includes(actorId))
        return no('Only the author, an assignee or an admin can submit this output.')
      if (!type) return no('This output has no known type, so there is no review policy to submit it to.')
      if (p.phase === 'in_review') return no('It is already in review.')
      if (p.phase === 'rejected') return no('It was rejected; reopen it before submitting again.')
      if (p.phase === 'archived') return no('It is archived; reopen it before submitting.')
      return OK
    case 'judge':
    case 'request_changes': {
      if (p.phase !== 'in_review') return no('Only outputs in review can be judged or sent back.')
      if (!hasAnyRole(member, REVIEW_ROLES)) return no(`${member.name} is not a reviewer or approver.`)
      if (isAuthor && type && !type.allowSelfApproval)
        return no(`${type.name} outputs cannot be reviewed by their own author.`)
      return OK
    }
    case 'approve': {
      if (!type) return no('This output has no known type, so nobody can approve it.')
      if (p.phase !== 'in_review') return no('Only outputs in review can be approved; submit it first.')
      if (!hasAnyRole(member, type.approverRoles))
        return no(
          `${type.name} outputs need an approval from a ${type.approverRoles.join(' or ')}; ${member.name} is not one.`,
        )
      if (isAuthor && !type.allowSelfApproval)
        return no(`${type.name} is a ${type.risk}-risk type: the author cannot approve their own output.`)
      return OK
    }
    case 'reject': {
      if (p.phase !== 'in_review' && p.phase !== 'changes_requested')
        return no('Only outputs in review or sent back can be rejected.')
      if (!isAdmin && !(type && hasAnyRole(member, type.approverRoles)))
        return no(`${member.name} may not reject: that needs an approver of this type or an admin.`)
      if (isAuthor && type && !type.allowSelfApproval && !isAdmin)
        return no('The author cannot reject their own output; archive it instead.')
      return OK
    }
    case 'reopen':
      if (p.phase === 'draft') return no('It is already a draft.')
      if (!isAuthor && !isAdmin && !hasAnyRole(member, REVIEW_ROLES))
        return no('Only the author, a reviewer, an approver or an admin can reopen it.')
      return OK
    case 'archive':
      if (p.phase === 'archived') return no('It is already archived.')
      if (!isAuthor && !isAdmin) return no('Only the author or an admin can archive it.')
      return OK
  }
}

const ACTION_OF: Partial<Record<TrailEvent['kind'], Action>> = {
  edited: 'edit',
  submitted: 'submit',
  judged: 'judge',
  approved: 'approve',
  changes_requested: 'request_changes',
  rejected: 'reject',
  reopened: 'reopen',
  archived: 'archive',
}

function apply(p: Progress, e: TrailEvent): void {
  switch (e.kind) {
    case 'submitted':
    case 'new_round':
      p.phase = 'in_review'
      p.round += 1
      p.submittedAt = e.at
      p.judgements = []
      p.approvals = new Map()
      p.reasons = []
      p.assignment = undefined
      p.reassigned = false
      return
    case 'judged':
      p.judgements.push({
        itemId: e.itemId,
        verdict: e.verdict,
        note: e.note,
        by: e.actor,
        at: e.at,
        eventId: e.id,
        contentHash: e.contentHash,
      })
      return
    case 'approved':
      p.approvals.delete(e.actor)
      p.approvals.set(e.actor, { memberId: e.actor, at: e.at, eventId: e.id, contentHash: e.contentHash })
      return
    case 'auto_approved':
      p.approvals.delete(AUTO_APPROVER)
      p.approvals.set(AUTO_APPROVER, {
        memberId: AUTO_APPROVER,
        at: e.at,
        eventId: e.id,
        contentHash: e.contentHash,
        auto: { writtenBy: e.actor, checks: e.checks },
      })
      return
    case 'changes_requested':
      p.phase = 'changes_requested'
      p.reasons = e.reasons
      p.approvals = new Map()
      return
    case 'rejected':
      p.phase = 'rejected'
      p.reasons = [e.reason]
      p.approvals = new Map()
      return
    case 'reopened':
      p.phase = 'draft'
      p.approvals = new Map()
      p.judgements = []
      return
    case 'archived':
      p.phase = 'archived'
      p.approvals = new Map()
      return
    case 'assigned':
      p.assignment = {
        assignee: e.assignee,
        reason: e.reason,
        by: e.actor,
        at: e.at,
        round: e.round,
        eventId: e.id,
      }
      if (e.reason === 'overdue') p.reassigned = true
      return
    case 'created':
    case 'edited':
      return
  }
}

const HOUR = 3_600_000

/**
 * Why an assignment does not count where it stands, or null when it does. Two members' apps may
 * both assign the same round offline: the first 'auto' in trail order (the merged Y.Array order,
 * the same on every peer) wins and later ones are superseded; one overdue hand-over per round,
 * and only once the SLA has run out; a person may reassign by hand at any time.
 */
function assignmentRule(ctx: Context, p: Progress, e: TrailEvent & { kind: 'assigned' }): string | null {
  const actor = ctx.members.get(e.actor)
  if (!actor) return 'They are not a member of this workspace.'
  if (p.phase !== 'in_review') return 'Only outputs in review are assigned.'
  if (e.round !== p.round) return `it names review round ${e.round}, but this is round ${p.round}.`
  const type = ctx.type
  if (!type) return 'This output has no known type, so nobody can review it.'
  const refused = canReview(type, ctx.members.get(e.assignee), ctx.authorId)
  if (refused) return `cannot go to ${e.assignee}: ${refused}`
  const current = p.assignment
  switch (e.reason) {
    case 'auto':
      if (current) return `superseded: ${current.assignee} was assigned first in this round.`
      return null
    case 'overdue': {
      if (p.reassigned) return 'superseded: this round was already handed over after the SLA.'
      const due = (p.submittedAt ?? e.at) + type.reviewSlaHours * HOUR
      if (e.at <= due) return 'the review was not overdue yet.'
      return null
    }
    case 'manual':
      if (!actor.roles.some((r) => REVIEW_ROLES.includes(r)))
        return `${actor.name} may not assign reviews: that needs a reviewer, approver or admin.`
      return null
  }
}

/** The latest judgement per checklist item on one version of the content. */
function judgementsFor(p: Progress, hash: string): Map<string, Judgement> {
  const latest = new Map<string, Judgement>()
  for (const j of p.judgements) if (j.contentHash === hash) latest.set(j.itemId, j)
  return latest
}

/**
 * True when the checklist on that version has every send-back item passed or n/a. A valid
 * automatic approval stands in for the unjudged items (nobody is asked to judge a low-risk type
 * set to approve itself), but a send-back item a person judged "fail" still holds it.
 */
function checklistPasses(type: OutputType, judged: Map<string, Judgement>, auto = false): boolean {
  for (const item of type.checklist) {
    if (item.severity !== 'send-back') continue
    const j = judged.get(item.id)
    if (j?.verdict === 'fail' || (!j && !auto)) return false
  }
  return true
}

const hasAuto = (approvals: readonly CountedApproval[]) => approvals.some((a) => a.auto)

/** The whole approval gate for one version: approvals, checklist and automatic checks. */
function gatePasses(ctx: Context, type: OutputType, p: Progress, hash: string, required: number): boolean {
  const counted = countFor(p, hash)
  if (counted.length < required) return false
  if (!checklistPasses(type, judgementsFor(p, hash), hasAuto(counted))) return false
  if (hash === ctx.currentHash) return ctx.preCheckFailures.length === 0
  return (ctx.versions.get(hash)?.failures ?? 0) === 0
}

function countFor(p: Progress, hash: string): CountedApproval[] {
  const out: CountedApproval[] = []
  for (const a of p.approvals.values()) if (a.contentHash === hash) out.push(a)
  return out
}

/**
 * The rules a submission (or new round) binds its round to: the version it names, or for
 * submissions from before versions existed, the version in force at its time. Returns a sentence
 * when the round cannot be judged (a version this workspace does not hold, or of another type).
 */
function resolveRound(
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

/** Why an admin's new round does not count where it stands, or null when it does. */
function newRoundRule(
  ctx: Context,
  p: Progress,
  e: TrailEvent & { kind: 'new_round' },
  ledger: PublishLedger,
): string | null {
  const member = ctx.members.get(e.actor)
  if (!member) return 'They are not a member of this workspace.'
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
function allowedDestinations(ctx: Context): readonly string[] {
  const round = ctx.type?.allowedDestinations ?? []
  const now = ctx.current?.allowedDestinations ?? []
  // Usually the round follows the current rules: no copy then (derive runs for every card).
  if (round === now || now.every((id) => round.includes(id))) return round
  return [...round, ...now.filter((id) => !round.includes(id))]
}

const destinationAllowed = (ctx: Context, id: string): boolean =>
  !!ctx.type?.allowedDestinations.includes(id) || !!ctx.current?.allowedDestinations.includes(id)

/** Bind the progress and the rules in force to a new round. */
function startRound(ctx: Context, p: Progress, bound: { policy: RoundPolicy; enforced?: Enforced }): void {
  p.policy = bound.policy
  p.rounds.push(bound.policy)
  const enforced = bound.enforced
  p.enforced = enforced
  if (!enforced) return
  ctx.type = enforced.type
  ctx.preCheckFailures = enforced.preCheckFailures
  ctx.versions = enforced.versions
}

export function derive(input: DeriveInput): Derived {
  const ctx = contextOf(input)
  const p: Progress = {
    phase: 'draft',
    round: 0,
    judgements: [],
    approvals: new Map(),
    reasons: [],
    reassigned: false,
    rounds: [],
  }
  const problems: TrailProblem[] = []
  const events: TrailEvent[] = []
  const seen = new Set<string>()
  let lastEventAt = 0
  const ledger = new PublishLedger()
  const publishRules = {
    approvedFor: (hash: string) =>
      p.phase === 'in_review' &&
      !!ctx.type &&
      gatePasses(ctx, ctx.type, p, hash, Math.max(1, ctx.type.approvalsRequired)),
    destinationAllowed: (id: string) => destinationAllowed(ctx, id),
  }
  const unverified = input.integrity ? checkIntegrity(input.trail, input.integrity, input.members) : undefined
  input.trail.forEach((raw, index) => {
    const parsed = parseTrailEvent(raw)
    if (typeof parsed === 'string') {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
      problems.push({ index, ...(typeof id === 'string' ? { eventId: id } : {}), reason: parsed })
      return
    }
    if (seen.has(parsed.id)) {
      problems.push({ index, eventId: parsed.id, reason: 'duplicate event id' })
      return
    }
    seen.add(parsed.id)
    const suspect = unverified?.get(index)
    if (suspect) {
      problems.push({
        index,
        eventId: parsed.id,
        reason: `${parsed.kind} by ${parsed.actor} is unverified: ${suspect}`,
        unverified: true,
      })
      return
    }
    if (isPublishEvent(parsed)) {
      const refused = ctx.members.has(parsed.actor)
        ? ledger.accept(parsed, publishRules)
        : 'They are not a member of this workspace.'
      if (refused)
        problems.push({ index, eventId: parsed.id, reason: `${parsed.kind} by ${parsed.actor}: ${refused}` })
      else {
        // A publish names the rules its approval passed, for the shipped log and the receipt.
        const attempt = parsed.kind === 'publish_claimed' ? ledger.attempts.get(parsed.attemptId) : undefined
        if (attempt) {
          attempt.round = p.round
          if (p.policy?.hash) attempt.policy = p.policy.hash
        }
        events.push(parsed)
        if (parsed.at > lastEventAt) lastEventAt = parsed.at
      }
      return
    }
    if (parsed.kind === 'auto_approved') {
      const refused = autoApprovalRule(ctx, p, parsed.actor, parsed.contentHash)
      if (refused) {
        problems.push({ index, eventId: parsed.id, reason: `auto_approved by ${parsed.actor}: ${refused}` })
        return
      }
      apply(p, parsed)
      events.push(parsed)
      if (parsed.at > lastEventAt) lastEventAt = parsed.at
      return
    }
    if (parsed.kind === 'assigned') {
      const refused = assignmentRule(ctx, p, parsed)
      if (refused) {
        problems.push({ index, eventId: parsed.id, reason: `assigned by ${parsed.actor}: ${refused}` })
        return
      }
      apply(p, parsed)
      events.push(parsed)
      if (parsed.at > lastEventAt) lastEventAt = parsed.at
      return
    }
    if (parsed.kind === 'new_round') {
      const refused = newRoundRule(ctx, p, parsed, ledger)
      const bound = refused ?? resolveRound(input, parsed, p.round + 1)
      if (typeof bound === 'string') {
        problems.push({ index, eventId: parsed.id, reason: `new_round by ${parsed.actor}: ${bound}` })
        return
      }
      apply(p, parsed)
      startRound(ctx, p, bound)
      events.push(parsed)
      if (parsed.at > lastEventAt) lastEventAt = parsed.at
      return
    }
    const bound = parsed.kind === 'submitted' ? resolveRound(input, parsed, p.round + 1) : undefined
    if (typeof bound === 'string') {
      problems.push({ index, eventId: parsed.id, reason: `${parsed.kind} by ${parsed.actor}: ${bound}` })
      return
    }
    const action = ACTION_OF[parsed.kind]
    // A submission is checked against the rules it binds to (its type may have been deleted since).
    const ruleCtx = bound?.enforced ? { ...ctx, type: bound.enforced.type } : ctx
    const check: Check = action
      ? ruleAt(ruleCtx, p, parsed.actor, action)
      : ctx.members.has(parsed.actor)
        ? OK
        : no('They are not a member of this workspace.')
    if (!check.ok) {
      problems.push({
        index,
        eventId: parsed.id,
        reason: `${parsed.kind} by ${parsed.actor}: ${check.reason}`,
      })
      return
    }
    if (bound) {
      apply(p, parsed)
      startRound(ctx, p, bound)
      events.push(parsed)
      if (parsed.at > lastEventAt) lastEventAt = parsed.at
      return
    }
    if (parsed.kind === 'judged') {
      if (!ctx.type?.checklist.some((i) => i.id === parsed.itemId)) {
        problems.push({
          index,
          eventId: parsed.id,
          reason: `judged an unknown checklist item ${parsed.itemId}`,
        })
        return
      }
    }
    apply(p, parsed)
    events.push(parsed)
    if (parsed.at > lastEventAt) lastEventAt = parsed.at
  })
  return finish(ctx, p, input, problems, events, lastEventAt, ledger)
}

function finish(
  ctx: Context,
  p: Progress,
  input: DeriveInput,
  problems: TrailProblem[],
  events: TrailEvent[],
  lastEventAt: number,
  ledger: PublishLedger,
): Derived {
  const type = ctx.type
  const currentHash = ctx.currentHash
  const required = type ? Math.max(1, type.approvalsRequired) : 1
  const current = judgementsFor(p, currentHash)
  const checklist: ChecklistRow[] = []
  let done = 0
  let failed = 0
  for (const item of type?.checklist ?? []) {
    const judgement = current.get(item.id)
    const row: ChecklistRow = { item }
    if (judgement) {
      row.judgement = judgement
      done += 1
      if (judgement.verdict === 'fail' && item.severity === 'send-back') failed += 1
    } else {
      for (let i = p.judgements.length - 1; i >= 0; i--) {
        const j = p.judgements[i]!
        if (j.itemId === item.id) {
          row.outdated = j
          break
        }
      }
    }
    checklist.push(row)
  }
  let state: ReviewState = p.phase
  let approvals: CountedApproval[] = []
  let staleApprovals: CountedApproval[] = []
  if (p.phase === 'in_review' && type) {
    approvals = countFor(p, currentHash)
    staleApprovals = [...p.approvals.values()].filter((a) => a.contentHash !== currentHash)
    if (gatePasses(ctx, type, p, currentHash, required)) {
      const shipped = [...ledger.attempts.values()].some(
        (a) => a.status === 'published' && a.contentHash === currentHash,
      )
      state = shipped ? 'published' : 'approved'
    } else {
      // Approved once on another version, then edited: the approval is stale until re-approved.
      const hashes = new Set(staleApprovals.map((a) => a.contentHash))
      for (const h of hashes) {
        if (gatePasses(ctx, type, p, h, required)) {
          state = 'approved_stale'
          break
        }
      }
    }
  }
  const enforced = p.enforced
  return {
    state,
    phase: p.phase,
    round: p.round,
    type,
    ...(p.policy ? { policy: p.policy } : {}),
    rounds: p.rounds,
    preCheckVersions: ctx.versions,
    allowedDestinations: allowedDestinations(ctx),
    ...(p.submittedAt !== undefined ? { submittedAt: p.submittedAt } : {}),
    approvals,
    staleApprovals,
    approvalsRequired: required,
    checklist,
    checklistDone: done,
    checklistTotal: checklist.length,
    checklistFailed: failed,
    reasons: p.reasons,
    problems,
    events,
    lastEventAt,
    ...(p.assignment && p.phase === 'in_review' ? { assignment: p.assignment } : {}),
    reassigned: p.phase === 'in_review' && p.reassigned,
    publishes: [...ledger.attempts.values()],
    unapprovedPublishes: [...ledger.unapproved.values()],
    schedules: [...ledger.schedules.values()],
    preChecks: enforced ? enforced.preChecks : (input.preChecks ?? []),
    preCheckFailures: [...ctx.preCheckFailures],
    escalations: enforced ? enforced.escalations : (input.escalations ?? []),
  }
}

/**
 * May this member do this now? The rules of `ruleAt` plus the ones that need the final state:
 * an approval must be for the current content, with a complete and passing checklist, and not
 * twice from the same member. A refusal always carries a sentence for the person.
 */
export function checkAction(derived: Derived, input: DeriveInput, actorId: string, action: Action): Check {
  const ctx = contextOf(input)
  const base = ruleAt(ctx, derived, actorId, action)
  if (!base.ok) return base
  // A decision this device cannot sign would not count anywhere: say so instead of writing it.
  const unsignable = action === 'edit' ? null : (input.integrity?.signable?.(actorId) ?? null)
  if (unsignable) return no(unsignable)
  if (action === 'approve') {
    if (derived.state === 'approved' || derived.state === 'published')
      return no(`It is already approved (${derived.approvals.length} of ${derived.approvalsRequired}).`)
    if (derived.approvals.some((a) => a.memberId === actorId)) return no('You already approved this version.')
    const failed = derived.checklist.filter(
      (r) => r.item.severity === 'send-back' && r.judgement?.verdict === 'fail',
    )
    if (failed.length > 0)
      return no(
        `The checklist has a failed item that sends it back (${failed.map((r) => r.item.title).join(', ')}): request changes instead.`,
      )
    if (ctx.preCheckFailures.length > 0)
      return no(
        `The automatic checks fail (${ctx.preCheckFailures.join(', ')}): fix the content or request changes instead.`,
      )
    const open = derived.checklist.filter((r) => r.item.severity === 'send-back' && !r.judgement)
    if (open.length > 0)
      return no(
        `${open.length} checklist item${open.length === 1 ? '' : 's'} still need${open.length === 1 ? 's' : ''} a judgement on this version: ${open.map((r) => r.item.title).join(', ')}.`,
      )
  }
  return OK
}

/** Every action with its verdict for one member: what the UI enables, and why not. */
export function allowedActions(derived: Derived, input: DeriveInput, actorId: string): Record<Action, Check> {
  const out = {} as Record<Action, Check>
  for (const action of ACTIONS) out[action] = checkAction(derived, input, actorId, action)
  return out
}
