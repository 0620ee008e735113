/**
 * What stood behind each publish: the approvals and checklist judgements of the review round in
 * which it was claimed, on exactly the version it shipped. Read from the counted events in order.
 */
import type { Derived } from '../domain/derive.ts'
import { AUTO_APPROVER } from '../domain/derive.ts'
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
  contentHash: string
  /** The signed trail event itself. */
  event: TrailEvent
}

export interface Evidence {
  approvals: ApprovalFact[]
  judgements: JudgementFact[]
}

/** Evidence for one version as the round stood at a point of the trail. */
function snapshot(approvals: Map<string, ApprovalFact>, judgements: JudgementFact[], hash: string): Evidence {
  const latest = new Map<string, JudgementFact>()
  for (const j of judgements) if (j.contentHash === hash) latest.set(j.itemId, j)
  return {
    approvals: [...approvals.values()].filter((a) => a.contentHash === hash),
    judgements: [...latest.values()],
  }
}

/**
 * Evidence per publish attempt id (at its claim), and for the latest state of the round per
 * version (`byVersion`, for a receipt of a version approved but not yet shipped).
 */
export function evidenceOf(derived: Derived): {
  byAttempt: Map<string, Evidence>
  current: (hash: string) => Evidence
} {
  let approvals = new Map<string, ApprovalFact>()
  let judgements: JudgementFact[] = []
  const byAttempt = new Map<string, Evidence>()
  for (const e of derived.events) {
    switch (e.kind) {
      case 'submitted':
      case 'reopened':
        approvals = new Map()
        judgements = []
        break
      case 'changes_requested':
      case 'rejected':
      case 'archived':
        approvals = new Map()
        break
      case 'judged':
        judgements.push({
          itemId: e.itemId,
          verdict: e.verdict,
          note: e.note,
          by: e.actor,
          at: e.at,
          contentHash: e.contentHash,
          event: e,
        })
        break
      case 'approved':
        approvals.delete(e.actor)
        approvals.set(e.actor, { memberId: e.actor, at: e.at, contentHash: e.contentHash, event: e })
        break
      case 'auto_approved':
        approvals.delete(AUTO_APPROVER)
        approvals.set(AUTO_APPROVER, {
          memberId: AUTO_APPROVER,
          at: e.at,
          contentHash: e.contentHash,
          recordedBy: e.actor,
          event: e,
        })
        break
      case 'publish_claimed':
        byAttempt.set(e.attemptId, snapshot(approvals, judgements, e.contentHash))
        break
      default:
        break
    }
  }
  const finalApprovals = approvals
  const finalJudgements = judgements
  return { byAttempt, current: (hash) => snapshot(finalApprovals, finalJudgements, hash) }
}

/** "3 passed, 1 failed, 1 n/a" */
export function checklistResult(judgements: readonly JudgementFact[]): {
  passed: number
  failed: number
  na: number
  text: string
} {
  let passed = 0
  let failed = 0
  let na = 0
  for (const j of judgements) {
    if (j.verdict === 'pass') passed++
    else if (j.verdict === 'fail') failed++
    else na++
  }
  return { passed, failed, na, text: `${passed} passed, ${failed} failed, ${na} n/a` }
}
