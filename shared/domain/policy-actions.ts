/**
 * Commands over review policies: saving an output type (which records a new policy version and
 * never rewrites an old one), and an admin restarting an open round under the current rules.
 */

import { deriveOutput, maybeAutoApprove, record } from './actions.ts'
import type { Check, Derived, DeriveInput } from './derive.ts'
import { destinationLabel } from './destination-names.ts'
import { decisionTime } from './member-roles.ts'
import { localOrigin } from './origins.ts'
import type { OutputDoc } from './output.ts'
import { changesReview, diffPolicies, type PolicyVersion, policyOf } from './policies.ts'
import type { OutputType } from './types.ts'
import type { Workspace } from './workspace.ts'

/**
 * Save an output type's settings. Before the row changes, the rules it held are recorded (so a
 * workspace that predates versions still knows them), then the new rules; types that escalate
 * to this one get a new version too, because their rules name this one's.
 */
export function saveOutputType(ws: Workspace, actorId: string, type: OutputType, now = Date.now()): Check {
  const actor = ws.members.get(actorId)
  if (!actor?.roles.includes('admin')) return { ok: false, reason: 'Only admins can change output types.' }
  ws.transact(localOrigin(actorId), () => {
    ws.recordPolicies(actorId, now)
    ws.types.put(type)
    ws.recordPolicies(actorId, now)
  })
  return { ok: true }
}

/** Change some fields of a type (settings elsewhere, e.g. a destination's cascade) the same way. */
export function patchOutputTypes(
  ws: Workspace,
  actorId: string,
  patches: readonly { typeId: string; fields: Partial<Omit<OutputType, 'id'>> }[],
  now = Date.now(),
): void {
  ws.transact(localOrigin(actorId), () => {
    ws.recordPolicies(actorId, now)
    for (const { typeId, fields } of patches) ws.types.patch(typeId, fields)
    ws.recordPolicies(actorId, now)
  })
}

/** How the current round's rules differ from the type's rules now, when they do for review. */
export interface PolicyChange {
  from: PolicyVersion
  /** The address of the rules now. */
  to: string
  changes: string[]
}

export function policyChange(ws: Workspace, derived: Derived, typeId: string): PolicyChange | null {
  const from = derived.policy?.version
  const type = ws.types.get(typeId)
  if (!from || !type || (derived.phase !== 'in_review' && derived.phase !== 'changes_requested')) return null
  // A round that shipped is decided; nothing about it is open to the new rules.
  if (derived.state === 'published') return null
  const to = ws.currentPolicy(typeId)
  if (!to || to === from.hash) return null
  const current = ws.policyBook().get(to)?.policy
  // The rules now may not be recorded yet (an old app edited the row): compare with the live type.
  const now = current ?? policyOf(type, ws.types.all())
  if (!changesReview(from.policy, now)) return null
  return { from, to, changes: diffPolicies(from.policy, now, (id) => destinationLabel(ws, id)) }
}

/** May this member restart the open round under the type's current rules? */
export function newRoundCheck(ws: Workspace, input: DeriveInput, derived: Derived, actorId: string): Check {
  const member = ws.members.get(actorId)
  if (!member?.roles.includes('admin')) return { ok: false, reason: 'Only admins can start a new round.' }
  if (derived.phase !== 'in_review')
    return { ok: false, reason: 'Only an output in review has a round to restart.' }
  if (!policyChange(ws, derived, input.typeId ?? ''))
    return { ok: false, reason: 'The round already follows the current rules.' }
  const unsignable = input.integrity?.signable?.(actorId)
  if (unsignable) return { ok: false, reason: unsignable }
  return { ok: true }
}

/**
 * Restart the open round under the type's rules as they stand now: a `new_round` trail event
 * that names the new version. Judgements and approvals of the old round stay in the trail and
 * no longer count; nothing changes silently.
 */
export function startNewRound(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  reason: string,
  clock = Date.now(),
): Check {
  const now = decisionTime(ws.members.get(actorId), clock)
  const { input, derived } = deriveOutput(ws, out)
  const allowed = newRoundCheck(ws, input, derived, actorId)
  if (!allowed.ok) return allowed
  const why = reason.trim()
  if (!why) return { ok: false, reason: 'Say why the round starts over.' }
  const typeId = out.readMeta().typeId
  let policy: string | undefined
  ws.transact(localOrigin(actorId), () => {
    policy = ws.recordPolicy(typeId, actorId, now)
  })
  if (!policy) return { ok: false, reason: 'This output has no known type.' }
  record(
    ws,
    out,
    actorId,
    { kind: 'new_round', contentHash: out.hash(), policy, reason: why },
    { now, keep: true },
  )
  maybeAutoApprove(ws, out, actorId, now)
  return { ok: true }
}
