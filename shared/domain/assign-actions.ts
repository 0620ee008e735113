/** Who reviews: assigning a reviewer by hand, automatically on submission, and when overdue. */
import { type Choice, canReview, chooseAssignee, loadsFrom, overdueBackup } from '../routing/assign.ts'
import { lastAssignedFor, recordLastAssigned } from '../routing/state.ts'
import { deriveOutput, record } from './actions.ts'
import type { Check, Derived, DeriveInput } from './derive.ts'
import { decisionTime } from './member-roles.ts'
import { localOrigin } from './origins.ts'
import type { OutputDoc } from './output.ts'
import type { Workspace } from './workspace.ts'

function appendAssignment(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  assignee: string,
  reason: 'auto' | 'manual' | 'overdue',
  round: number,
  now: number,
): boolean {
  // An assignment this device cannot sign would not count (and would leave the event before
  // it unconfirmed): leave it to a member's app that can.
  if (ws.signingProblem(actorId)) return false
  record(ws, out, actorId, { kind: 'assigned', assignee, reason, round }, { now })
  return true
}

/**
 * Who this member may hand the current review to by hand, and why not when they may not: the
 * same rules derivation applies to a manual `assigned` event.
 */
export function reassignOptions(
  ws: Workspace,
  input: DeriveInput,
  derived: Derived,
  actorId: string,
): { allowed: Check; candidates: { id: string; name: string }[] } {
  const type = input.type
  const actor = ws.members.get(actorId)
  const candidates =
    type && derived.phase === 'in_review'
      ? ws.members
          .all()
          .filter((m) => canReview(type, m, input.authorId) === null)
          .map((m) => ({ id: m.id, name: m.name }))
          .sort((a, b) => a.name.localeCompare(b.name))
      : []
  const no = (reason: string) => ({ allowed: { ok: false as const, reason }, candidates })
  if (!actor) return no('Only members can assign reviews.')
  if (derived.phase !== 'in_review') return no('Only outputs in review are assigned.')
  if (!actor.roles.some((r) => r === 'reviewer' || r === 'approver' || r === 'admin'))
    return no(`${actor.name} may not assign reviews: that needs a reviewer, approver or admin.`)
  const unsignable = input.integrity?.signable?.(actorId)
  if (unsignable) return no(unsignable)
  return { allowed: { ok: true }, candidates }
}

/** Hand the current review round to another member by hand (a manual `assigned` event). */
export function assignReviewer(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  assignee: string,
  now = Date.now(),
): Check {
  const { input, derived } = deriveOutput(ws, out)
  const { allowed, candidates } = reassignOptions(ws, input, derived, actorId)
  if (!allowed.ok) return allowed
  if (!candidates.some((c) => c.id === assignee)) {
    const refused = input.type ? canReview(input.type, ws.members.get(assignee), input.authorId) : null
    return { ok: false, reason: refused ?? 'They cannot review this output.' }
  }
  if (derived.assignment?.assignee === assignee)
    return { ok: false, reason: `${ws.members.get(assignee)?.name ?? assignee} already reviews it.` }
  const at = decisionTime(ws.members.get(actorId), now)
  if (!appendAssignment(ws, out, actorId, assignee, 'manual', derived.round, at))
    return { ok: false, reason: ws.signingProblem(actorId) ?? 'It could not be recorded.' }
  return { ok: true }
}

/**
 * Assign the current review round by the type's routing, as the submitting member's app does
 * right after a submission. Returns the choice (with the reason when nobody could be picked), or
 * null when there is nothing to route: not in review, no routing, or already assigned.
 */
export function autoAssign(ws: Workspace, out: OutputDoc, actorId: string, now = Date.now()): Choice | null {
  if (!ws.members.get(actorId)) return null
  const { input, derived } = deriveOutput(ws, out)
  const type = input.type
  if (!type?.routing || type.routing.strategy === 'none') return null
  if (derived.phase !== 'in_review' || derived.assignment) return null
  const choice = chooseAssignee(
    type,
    ws.members.all(),
    loadsFrom(ws.allSummaries().filter((s) => s.id !== out.id)),
    lastAssignedFor(ws, type.id),
    input.authorId,
  )
  if (choice.assignee === null) return choice
  if (!appendAssignment(ws, out, actorId, choice.assignee, 'auto', derived.round, now)) return null
  const assignee = choice.assignee
  if (type.routing.strategy !== 'fixed')
    ws.transact(localOrigin(actorId), () => recordLastAssigned(ws, type.id, assignee))
  return choice
}

/**
 * Hand an overdue review to the type's backup, once per round (the first hand-over in trail
 * order counts on every peer). Returns the backup's id, or null when nothing was written.
 */
export function reassignOverdue(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  now = Date.now(),
): string | null {
  if (!ws.members.get(actorId)) return null
  const { input, derived } = deriveOutput(ws, out)
  const backup = overdueBackup(
    {
      state: derived.state,
      ...(derived.submittedAt !== undefined ? { submittedAt: derived.submittedAt } : {}),
      ...(derived.assignment ? { reviewer: derived.assignment.assignee } : {}),
      reassigned: derived.reassigned,
      authorId: input.authorId,
    },
    input.type,
    ws.members.all(),
    now,
  )
  if (!backup) return null
  return appendAssignment(ws, out, actorId, backup, 'overdue', derived.round, now) ? backup : null
}
