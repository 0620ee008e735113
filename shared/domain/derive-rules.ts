/**
 * The rules derivation applies event by event: who may do what where the trail stands, how each
 * counted event moves the progress, and when an automatic approval or an assignment counts
 * (see derive.ts).
 */
import { canReview } from '../routing/assign.ts'
import type {
  Action,
  Assignment,
  Check,
  CountedApproval,
  Derived,
  DeriveInput,
  Enforced,
  Judgement,
  Phase,
  PreCheckVersion,
  RoundPolicy,
} from './derive-types.ts'
import { AUTO_APPROVER } from './derive-types.ts'
import { memberAt } from './member-roles.ts'
import type { TrailEvent } from './trail.ts'
import type { Member, OutputType, Role } from './types.ts'

export const OK: Check = { ok: true }
export const no = (reason: string): Check => ({ ok: false, reason })

export const REVIEW_ROLES: readonly Role[] = ['reviewer', 'approver', 'admin']

/** What the rules need to know at one point of the trail. */
export interface Progress {
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
  /** Approved versions of this round a member opened with "Start a new version" (`new_version`). */
  opened: Set<string>
  /** Items whose verdict in the round before did not carry into this one, and why. */
  notCarried: Map<string, string>
}

/** The progress before the first event of a trail. */
export function emptyProgress(): Progress {
  return {
    phase: 'draft',
    round: 0,
    judgements: [],
    approvals: new Map(),
    reasons: [],
    reassigned: false,
    rounds: [],
    opened: new Set(),
    notCarried: new Map(),
  }
}

export interface Context {
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

export function contextOf(input: DeriveInput): Context {
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
export function autoApprovalRule(
  ctx: Context,
  p: { phase: Phase },
  actor: string,
  hash: string,
): string | null {
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

export const hasAnyRole = (member: Member, roles: readonly Role[]) =>
  member.roles.some((r) => roles.includes(r))

/** The actor as they stood at `at` (their roles then; now without a time), or why they cannot act. */
export function actorCheck(ctx: Context, actorId: string, at?: number): Member | string {
  const member = ctx.members.get(actorId)
  if (!member) return 'They are not a member of this workspace.'
  return memberAt(member, at)
}

/**
 * The rules for one action by one member at one point of the trail, without the checks that need
 * the final content hash (those are in `checkAction`). Used both to validate every trail event
 * during derivation and to tell the UI what a person may do, so the two can never disagree.
 */
export function ruleAt(
  ctx: Context,
  p: { phase: Phase },
  actorId: string,
  action: Action,
  at?: number,
): Check {
  const member = actorCheck(ctx, actorId, at)
  if (typeof member === 'string') return no(member)
  const isAuthor = actorId === ctx.authorId
  const isAdmin = member.roles.includes('admin')
  const type = ctx.type
  switch (action) {
    case 'edit':
      if (p.phase === 'archived') return no('Archived outputs cannot be edited; reopen it first.')
      return OK
    case 'submit':
      // Where it stands first: a reviewer looking at an output in review is told it is in review,
      // not that they may not submit it.
      if (p.phase === 'in_review') return no('It is already in review.')
      if (p.phase === 'rejected') return no('It was rejected; reopen it before submitting again.')
      if (p.phase === 'archived') return no('It is archived; reopen it before submitting.')
      if (!isAuthor && !isAdmin && !ctx.assignees.includes(actorId))
        return no('Only the author, an assignee or an admin can submit this output.')
      if (!type) return no('This output has no known type, so there is no review policy to submit it to.')
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
          `${type.name} outputs need an approval from ${anOrA(type.approverRoles[0] ?? '')} ${orList(type.approverRoles)}; ${member.name} is not one.`,
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

export const ACTION_OF: Partial<Record<TrailEvent['kind'], Action>> = {
  edited: 'edit',
  submitted: 'submit',
  judged: 'judge',
  approved: 'approve',
  changes_requested: 'request_changes',
  rejected: 'reject',
  reopened: 'reopen',
  archived: 'archive',
}

export function apply(p: Progress, e: TrailEvent): void {
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
      p.opened = new Set()
      p.notCarried = new Map()
      return
    case 'new_version':
      p.opened.add(e.contentHash)
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

export const HOUR = 3_600_000

/**
 * Why an assignment does not count where it stands, or null when it does. Two members' apps may
 * both assign the same round offline: the first 'auto' in trail order (the merged Y.Array order,
 * the same on every peer) wins and later ones are superseded; one overdue hand-over per round,
 * and only once the SLA has run out; a person may reassign by hand at any time.
 */
export function assignmentRule(
  ctx: Context,
  p: Progress,
  e: TrailEvent & { kind: 'assigned' },
): string | null {
  const actor = actorCheck(ctx, e.actor, e.at)
  if (typeof actor === 'string') return actor
  if (p.phase !== 'in_review') return 'Only outputs in review are assigned.'
  if (e.round !== p.round) return `it names review round ${e.round}, but this is round ${p.round}.`
  const type = ctx.type
  if (!type) return 'This output has no known type, so nobody can review it.'
  const assignee = ctx.members.get(e.assignee)
  const refused = canReview(type, assignee && memberAt(assignee, e.at), ctx.authorId)
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

/**
 * In review, when fewer members may approve it than approvals it needs (a type escalated to two
 * approvals in a team with one approver besides the author): the output cannot be approved until
 * someone gets the role, which nothing else would tell the team. Null when enough members may.
 */
export function approverShortfall(
  derived: { phase: Phase; state: string; type?: OutputType | undefined; approvalsRequired: number },
  input: DeriveInput,
): string | null {
  const type = derived.type
  // Approved (and not stale) needs nobody else; stale or waiting, it does.
  if (derived.phase !== 'in_review' || derived.state === 'approved' || derived.state === 'published' || !type)
    return null
  const ctx = { ...contextOf(input), type }
  const may = [...input.members.values()].filter((m) => ruleAt(ctx, derived, m.id, 'approve').ok)
  const need = derived.approvalsRequired
  if (may.length >= need) return null
  const names = may.map((m) => m.name).join(', ')
  const who =
    may.length === 0
      ? 'nobody may give one'
      : may.length === 1
        ? `only ${names} may give one`
        : `only ${may.length} members may give them: ${names}`
  const author = input.members.get(input.authorId)
  const notAuthor =
    !type.allowSelfApproval && author && hasAnyRole(author, type.approverRoles)
      ? ` (the author may not approve ${anOrA(type.name)} ${type.name})`
      : ''
  return `It cannot be approved yet: it needs ${need} approval${need === 1 ? '' : 's'} from ${anOrA(type.approverRoles[0] ?? '')} ${orList(type.approverRoles)}, and ${who}${notAuthor}. An admin can give another member the role in Settings → Members.`
}

/** "reviewer, approver or admin": commas, and "or" before the last. */
const orList = (words: readonly string[]): string =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`

/** "an" before a vowel sound ("an approver", "an admin"), else "a" ("a reviewer"). */
const anOrA = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a')
