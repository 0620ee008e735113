/**
 * What stood behind each publish: the approvals and checklist judgements of the review round in
 * which it was claimed, on exactly the version it shipped, and the verdicts an earlier round
 * carried into that round (they stand for every version of it). Read by replaying the counted
 * events through derivation's own steps (`apply`, with the verdicts each round took over as
 * derivation recorded them), so it lists exactly what the approval gate counted.
 */
import type { CountedApproval, Derived, Judgement } from '../domain/derive.ts'
import { countFor, judgementsFor } from '../domain/derive-round.ts'
import { apply, emptyProgress, type Progress } from '../domain/derive-rules.ts'
import type { TrailEvent, Verdict } from '../domain/trail.ts'

export interface ApprovalFact {
  memberId: string
  at: number
  contentHash: string
  /** Set for an automatic approval: the member whose app recorded it. */
  recordedBy?: string
  /** The signed trail event itself. */
  event: TrailEvent
}

export interface JudgementFact {
  itemId: string
  verdict: Verdict
  note: string
  by: string
  at: number
  /** The version it was judged on: an earlier one for a verdict carried over. */
  contentHash: string
  /** Set when the verdict was given in an earlier round and carried into this one by its rules. */
  carried?: { round: number }
  /** The signed trail event itself. */
  event: TrailEvent
}

export interface Evidence {
  approvals: ApprovalFact[]
  judgements: JudgementFact[]
}

/**
 * Evidence per publish attempt id (at its claim), and for the latest state of the round per
 * version (`current`, for a receipt of a version approved but not yet shipped).
 */
export function evidenceOf(derived: Derived): {
  byAttempt: Map<string, Evidence>
  current: (hash: string) => Evidence
} {
  const p = emptyProgress()
  const byAttempt = new Map<string, Evidence>()
  let next = 0
  for (const e of derived.events) {
    apply(p, e)
    if (e.kind === 'submitted' || e.kind === 'new_round') {
      // Counted rounds are in trail order, one per counted submission or new round.
      const round = derived.rounds[next]?.eventId === e.id ? derived.rounds[next++] : undefined
      if (round?.carried) p.judgements = [...round.carried]
    } else if (e.kind === 'publish_claimed')
      byAttempt.set(e.attemptId, snapshot(p, derived.events, e.contentHash))
  }
  return { byAttempt, current: (hash) => snapshot(p, derived.events, hash) }
}

/**
 * Evidence for one version as the round stands in `p`: what the gate reads (derive-round.ts),
 * each fact with its signed event (a carried verdict's is in an earlier round).
 */
function snapshot(p: Progress, trail: readonly TrailEvent[], hash: string): Evidence {
  const approvals = countFor(p, hash)
  const judgements = [...judgementsFor(p, hash).values()]
  const wanted = new Set([...approvals, ...judgements].map((x) => x.eventId))
  const events = new Map<string, TrailEvent>()
  for (const e of trail) if (wanted.has(e.id)) events.set(e.id, e)
  return {
    approvals: approvals.map((a) => approvalFact(a, events.get(a.eventId)!)),
    judgements: judgements.map((j) => judgementFact(j, events.get(j.eventId)!)),
  }
}

function approvalFact(a: CountedApproval, event: TrailEvent): ApprovalFact {
  return {
    memberId: a.memberId,
    at: a.at,
    contentHash: a.contentHash,
    ...(a.auto ? { recordedBy: a.auto.writtenBy } : {}),
    event,
  }
}

function judgementFact(j: Judgement, event: TrailEvent): JudgementFact {
  return {
    itemId: j.itemId,
    verdict: j.verdict,
    note: j.note,
    by: j.by,
    at: j.at,
    contentHash: j.contentHash,
    ...(j.carried ? { carried: { round: j.carried.round } } : {}),
    event,
  }
}

/**
 * "3 passed, 1 failed, 1 n/a", and "; 2 not judged" when `items` (the checklist of the rules the
 * output was reviewed under) holds items nobody judged: an approval may leave optional items
 * open, and a receipt that counted only verdicts would hide them.
 */
export function checklistResult(
  judgements: readonly JudgementFact[],
  items: readonly { id: string }[] = [],
): {
  passed: number
  failed: number
  na: number
  /** Verdicts among them given in an earlier round and carried over. */
  carried: number
  /** Items of `items` with no verdict. */
  notJudged: number
  text: string
} {
  let passed = 0
  let failed = 0
  let na = 0
  let carried = 0
  for (const j of judgements) {
    if (j.verdict === 'pass') passed++
    else if (j.verdict === 'fail') failed++
    else na++
    if (j.carried) carried++
  }
  const judged = new Set(judgements.map((j) => j.itemId))
  const notJudged = items.filter((i) => !judged.has(i.id)).length
  let text = `${passed} passed, ${failed} failed, ${na} n/a`
  if (carried > 0) text += ` (${carried} carried over)`
  if (notJudged > 0) text += `; ${notJudged} not judged`
  return { passed, failed, na, carried, notJudged, text }
}
