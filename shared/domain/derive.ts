/**
 * State is derived, not stored: an output's review state is a pure function of its trail, its
 * type's policy, the workspace's members and its current content hash. Concurrent offline actions
 * merge into one trail order (the Y.Array's), and this function turns any such trail into one
 * valid state: an event that was not allowed where it stands is ignored and reported.
 */

import {
  allowedDestinations,
  beginRound,
  countFor,
  destinationAllowed,
  gatePasses,
  judgementsFor,
  lockedVersion,
  newRoundRule,
  newVersionRule,
  resolveRound,
} from './derive-round.ts'
import {
  ACTION_OF,
  apply,
  assignmentRule,
  autoApprovalRule,
  type Context,
  contextOf,
  emptyProgress,
  no,
  OK,
  type Progress,
  ruleAt,
} from './derive-rules.ts'
import type {
  Action,
  Check,
  ChecklistRow,
  CountedApproval,
  Derived,
  DeriveInput,
  UnapprovedChange,
} from './derive-types.ts'
import { ACTIONS } from './derive-types.ts'
import { checkIntegrity } from './integrity.ts'
import { isPublishEvent, PublishLedger } from './publishing.ts'
import type { TrailEvent, TrailProblem } from './trail.ts'
import { parseTrailEvent } from './trail.ts'
import type { ReviewState } from './types.ts'

export { approverShortfall, autoApprovalRefusal } from './derive-rules.ts'
export * from './derive-types.ts'

export function derive(input: DeriveInput): Derived {
  const ctx = contextOf(input)
  const p: Progress = emptyProgress()
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
  const refuse = (index: number, e: TrailEvent, reason: string) => {
    problems.push({ index, eventId: e.id, reason: `${e.kind} by ${e.actor}: ${reason}` })
  }
  const accept = (e: TrailEvent) => {
    events.push(e)
    if (e.at > lastEventAt) lastEventAt = e.at
  }
  for (const [index, raw] of input.trail.entries()) {
    const parsed = parseTrailEvent(raw)
    if (typeof parsed === 'string') {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
      problems.push({ index, ...(typeof id === 'string' ? { eventId: id } : {}), reason: parsed })
      continue
    }
    if (seen.has(parsed.id)) {
      problems.push({ index, eventId: parsed.id, reason: 'duplicate event id' })
      continue
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
      continue
    }
    if (isPublishEvent(parsed)) {
      const refused = ctx.members.has(parsed.actor)
        ? ledger.accept(parsed, publishRules)
        : 'They are not a member of this workspace.'
      if (refused) {
        refuse(index, parsed, refused)
        continue
      }
      // A publish names the rules its approval passed, for the shipped log and the receipt.
      const attempt = parsed.kind === 'publish_claimed' ? ledger.attempts.get(parsed.attemptId) : undefined
      if (attempt) {
        attempt.round = p.round
        if (p.policy?.hash) attempt.policy = p.policy.hash
      }
      accept(parsed)
      continue
    }
    // Events with a rule of their own rather than a role's permission.
    if (parsed.kind === 'auto_approved' || parsed.kind === 'assigned' || parsed.kind === 'new_version') {
      const refused =
        parsed.kind === 'auto_approved'
          ? autoApprovalRule(ctx, p, parsed.actor, parsed.contentHash)
          : parsed.kind === 'assigned'
            ? assignmentRule(ctx, p, parsed)
            : newVersionRule(ctx, p, parsed)
      if (refused) {
        refuse(index, parsed, refused)
        continue
      }
      apply(p, parsed)
      accept(parsed)
      continue
    }
    // A new round, and a submission, bind to the rules of the policy version they name.
    const bound =
      parsed.kind === 'new_round'
        ? (newRoundRule(ctx, p, parsed, ledger) ?? resolveRound(input, parsed, p.round + 1))
        : parsed.kind === 'submitted'
          ? resolveRound(input, parsed, p.round + 1)
          : undefined
    if (typeof bound === 'string') {
      refuse(index, parsed, bound)
      continue
    }
    const action = ACTION_OF[parsed.kind]
    // A submission is checked against the rules it binds to (its type may have been deleted since).
    const ruleCtx = bound?.enforced ? { ...ctx, type: bound.enforced.type } : ctx
    const check: Check =
      parsed.kind === 'new_round'
        ? OK
        : action
          ? ruleAt(ruleCtx, p, parsed.actor, action, parsed.at)
          : ctx.members.has(parsed.actor)
            ? OK
            : no('They are not a member of this workspace.')
    if (!check.ok) {
      refuse(index, parsed, check.reason)
      continue
    }
    if (parsed.kind === 'judged' && !ctx.type?.checklist.some((i) => i.id === parsed.itemId)) {
      problems.push({
        index,
        eventId: parsed.id,
        reason: `judged an unknown checklist item ${parsed.itemId}`,
      })
      continue
    }
    if (bound && (parsed.kind === 'submitted' || parsed.kind === 'new_round'))
      beginRound(ctx, p, parsed, bound)
    else apply(p, parsed)
    accept(parsed)
  }
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
  let state: ReviewState = p.phase
  // The version the round's judgements and approvals are read on: the current content, unless an
  // approved version is locked and the content changed without "Start a new version".
  let judged = currentHash
  let locked: string | undefined
  let unapprovedChange: UnapprovedChange | undefined
  const shipped = (hash: string) =>
    [...ledger.attempts.values()].some((a) => a.status === 'published' && a.contentHash === hash)
  if (p.phase === 'in_review' && type) {
    if (gatePasses(ctx, type, p, currentHash, required)) {
      state = shipped(currentHash) ? 'published' : 'approved'
      if (countFor(p, currentHash).some((a) => !a.auto) && !p.opened.has(currentHash)) locked = currentHash
    } else {
      const held = lockedVersion(ctx, type, p, required)
      if (held) {
        // Approvals are voided only by a signed "Start a new version": this change is shown as
        // unapproved, and the approved bytes stay what counts and what may be published.
        judged = held
        locked = held
        state = shipped(held) ? 'published' : 'approved'
        unapprovedChange = {
          approvedHash: held,
          currentHash,
          editors: editorsSince(events, held, currentHash),
        }
      } else {
        // Approved once on another version, then a new version started and edited: the approval is
        // stale until re-approved.
        const hashes = new Set([...p.approvals.values()].map((a) => a.contentHash))
        hashes.delete(currentHash)
        for (const h of hashes) {
          if (gatePasses(ctx, type, p, h, required)) {
            state = 'approved_stale'
            break
          }
        }
      }
    }
  }
  const current = judgementsFor(p, judged)
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
      const why = p.notCarried.get(item.id)
      if (why) row.notCarried = why
    }
    checklist.push(row)
  }
  let approvals: CountedApproval[] = []
  let staleApprovals: CountedApproval[] = []
  if (p.phase === 'in_review' && type) {
    approvals = countFor(p, judged)
    staleApprovals = [...p.approvals.values()].filter((a) => a.contentHash !== judged)
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
    ...(state === 'approved' || state === 'published' ? { approvedHash: judged } : {}),
    ...(locked ? { lockedHash: locked } : {}),
    ...(unapprovedChange ? { unapprovedChange } : {}),
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

/** Who recorded the change away from the locked version: edits naming the current content or after its approval. */
function editorsSince(events: readonly TrailEvent[], held: string, currentHash: string): string[] {
  const who = new Set<string>()
  let approvedAt = -1
  events.forEach((e, i) => {
    if (e.kind === 'approved' && e.contentHash === held) approvedAt = i
  })
  events.forEach((e, i) => {
    if (e.kind !== 'edited' || e.contentHash === held) return
    if (e.contentHash === currentHash || i > approvedAt) who.add(e.actor)
  })
  return [...who]
}

/**
 * May this member do this now? The rules of `ruleAt` plus the ones that need the final state:
 * an approval must be for the current content, with a complete and passing checklist, and not
 * twice from the same member. A refusal always carries a sentence for the person.
 */
export function checkAction(derived: Derived, input: DeriveInput, actorId: string, action: Action): Check {
  const ctx = contextOf(input)
  // An approved output is still in review by its phase; say where it stands as the person sees it.
  if (action === 'submit' && (derived.state === 'approved' || derived.state === 'published'))
    return no(
      derived.state === 'approved'
        ? 'It is already approved.'
        : 'It is already approved and published; start a new version to change it.',
    )
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
        `The checklist has a failed item that sends it back (${quotedTitles(failed)}): request changes instead.`,
      )
    if (ctx.preCheckFailures.length > 0)
      return no(
        `The automatic checks fail (${ctx.preCheckFailures.join(', ')}): fix the content or request changes instead.`,
      )
    const open = derived.checklist.filter((r) => r.item.severity === 'send-back' && !r.judgement)
    if (open.length > 0)
      return no(
        `${open.length} checklist item${open.length === 1 ? '' : 's'} still need${open.length === 1 ? 's' : ''} a judgement on this version: ${quotedTitles(open)}.`,
      )
  }
  return OK
}

/** Checklist items named in a sentence: quoted, since a title may hold a comma of its own. */
const quotedTitles = (rows: readonly { item: { title: string } }[]): string =>
  rows.map((r) => `“${r.item.title}”`).join(', ')

/** Every action with its verdict for one member: what the UI enables, and why not. */
export function allowedActions(derived: Derived, input: DeriveInput, actorId: string): Record<Action, Check> {
  const out = {} as Record<Action, Check>
  for (const action of ACTIONS) out[action] = checkAction(derived, input, actorId, action)
  return out
}
