/**
 * Pure routing rules: who gets a review, when a review is overdue, and whether it goes to the
 * backup. No clocks here: every function that needs the time is given `now`.
 */
import type { Member, OutputSummary, OutputType, ReviewState, Role } from '../domain/types.ts'

const HOUR = 3_600_000
const REVIEW_ROLES: readonly Role[] = ['reviewer', 'approver', 'admin']

export type Choice = { assignee: string; reason: string } | { assignee: null; reason: string }

/** May this member be asked to review outputs of this type written by this author? */
export function canReview(type: OutputType, member: Member | undefined, authorId: string): string | null {
  if (!member) return 'They are not a member of this workspace.'
  if (!member.roles.some((r) => REVIEW_ROLES.includes(r) || type.approverRoles.includes(r)))
    return `${member.name} is not a reviewer or approver.`
  if (member.id === authorId && !type.allowSelfApproval)
    return `${type.name} outputs cannot be reviewed by their own author.`
  return null
}

/**
 * Who reviews the next output of this type. `loads` counts in-review outputs assigned per member
 * (least-busy); `lastAssigned` is the member the type's routing last picked (round-robin goes to
 * the next member by id after them). Never the author when self-approval is forbidden.
 */
export function chooseAssignee(
  type: OutputType,
  members: readonly Member[],
  loads: ReadonlyMap<string, number>,
  lastAssigned: string | undefined,
  authorId: string,
): Choice {
  const routing = type.routing
  if (!routing || routing.strategy === 'none')
    return { assignee: null, reason: `${type.name} has no automatic assignment.` }
  if (routing.strategy === 'fixed') {
    const id = routing.fixedMemberId ?? ''
    const member = members.find((m) => m.id === id)
    const refused = canReview(type, member, authorId)
    if (refused) return { assignee: null, reason: `The fixed reviewer cannot take it: ${refused}` }
    return { assignee: id, reason: `${member!.name} reviews every ${type.name}.` }
  }
  const eligible = members
    .filter((m) => m.roles.includes(routing.role) && canReview(type, m, authorId) === null)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  if (eligible.length === 0)
    return {
      assignee: null,
      reason: `Nobody holding the ${routing.role} role can review it${type.allowSelfApproval ? '' : ' (the author may not)'}.`,
    }
  // The rotation: members by id, starting after the last one picked.
  const start = lastAssigned === undefined ? 0 : eligible.findIndex((m) => m.id > lastAssigned)
  const from = Math.max(start, 0)
  const rotation = [...eligible.slice(from), ...eligible.slice(0, from)]
  if (routing.strategy === 'round-robin')
    return { assignee: rotation[0]!.id, reason: `${rotation[0]!.name} is next in the rotation.` }
  let best = rotation[0]!
  for (const m of rotation) if ((loads.get(m.id) ?? 0) < (loads.get(best.id) ?? 0)) best = m
  return {
    assignee: best.id,
    reason: `${best.name} has the fewest reviews waiting (${loads.get(best.id) ?? 0}).`,
  }
}

/** In-review outputs per assigned reviewer, from the board's summaries. */
export function loadsFrom(summaries: readonly OutputSummary[]): Map<string, number> {
  const loads = new Map<string, number>()
  for (const s of summaries)
    if (s.state === 'in_review' && s.reviewer) loads.set(s.reviewer, (loads.get(s.reviewer) ?? 0) + 1)
  return loads
}

/** When the review became overdue (submission + SLA), or null while it is not overdue now. */
export function overdueSince(
  s: { state: ReviewState; submittedAt?: number },
  type: OutputType | undefined,
  now: number,
): number | null {
  if (s.state !== 'in_review' || s.submittedAt === undefined || !type || !(type.reviewSlaHours > 0))
    return null
  const due = s.submittedAt + type.reviewSlaHours * HOUR
  return now > due ? due : null
}

/**
 * The backup to hand an overdue review to, or null: needs a configured backup who may review it,
 * who is not already the reviewer, and no overdue hand-over yet this round.
 */
export function overdueBackup(
  s: { state: ReviewState; submittedAt?: number; reviewer?: string; reassigned?: boolean; authorId: string },
  type: OutputType | undefined,
  members: readonly Member[],
  now: number,
): string | null {
  if (!type || s.reassigned || overdueSince(s, type, now) === null) return null
  const backup = type.routing?.backupMemberId
  if (!backup || backup === s.reviewer) return null
  const member = members.find((m) => m.id === backup)
  return canReview(type, member, s.authorId) === null ? backup : null
}
