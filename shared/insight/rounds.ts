/** The metrics read from the trail's review rounds: cycle time, time in review, first-pass rate. */
import type { TrailEvent } from '../domain/trail.ts'
import type { OutputType } from '../domain/types.ts'
import {
  type InsightTrail,
  type PerTypeDistribution,
  perTypeDistribution,
  requiredOf,
  typeRefs,
} from './groups.ts'

// Cycle time: creation to first publish

/** When the output was first published, if it was. */
export function firstPublishedAt(trail: InsightTrail): number | undefined {
  for (const e of trail.events) if (e.kind === 'published') return e.at
  return undefined
}

export const cycleTimes = (
  trails: readonly InsightTrail[],
  types: readonly OutputType[],
): PerTypeDistribution =>
  perTypeDistribution(types, trails, (t) => {
    const at = firstPublishedAt(t)
    return at === undefined ? [] : [Math.max(0, at - t.createdAt)]
  })

// ---------------------------------------------------------------------------------------------
// Review rounds

export type RoundOutcome = 'approved' | 'changes_requested' | 'rejected' | 'open' | 'withdrawn'

export interface Round {
  number: number
  submittedAt: number
  /** When the round was decided (approved, sent back or rejected); absent while it is open. */
  decidedAt?: number
  outcome: RoundOutcome
}

/**
 * The review rounds of one trail. A round starts at a submission and is decided by the approval
 * that reaches the type's required count (automatic approvals included), by "changes requested"
 * or by a rejection; a reopen or archive before that withdraws it.
 */
export function reviewRounds(events: readonly TrailEvent[], approvalsRequired = 1): Round[] {
  const required = Math.max(1, approvalsRequired)
  const rounds: Round[] = []
  let current: Round | undefined
  let approvers = new Set<string>()
  for (const e of events) {
    if (e.kind === 'submitted') {
      if (current && current.outcome === 'open') current.outcome = 'withdrawn'
      current = { number: rounds.length + 1, submittedAt: e.at, outcome: 'open' }
      rounds.push(current)
      approvers = new Set()
      continue
    }
    if (current?.outcome !== 'open') continue
    switch (e.kind) {
      case 'approved':
      case 'auto_approved':
        approvers.add(e.kind === 'auto_approved' ? 'auto' : e.actor)
        if (approvers.size >= required) {
          current.outcome = 'approved'
          current.decidedAt = e.at
        }
        break
      case 'changes_requested':
      case 'rejected':
        current.outcome = e.kind
        current.decidedAt = e.at
        break
      case 'reopened':
      case 'archived':
        current.outcome = 'withdrawn'
        break
      default:
        break
    }
  }
  return rounds
}

/** Time waiting in review: submission to decision, per decided round. */
export const timeInReview = (
  trails: readonly InsightTrail[],
  types: readonly OutputType[],
): PerTypeDistribution =>
  perTypeDistribution(types, trails, (t) =>
    reviewRounds(t.events, requiredOf(types, t.typeId)).flatMap((r) =>
      r.decidedAt === undefined ? [] : [Math.max(0, r.decidedAt - r.submittedAt)],
    ),
  )

// ---------------------------------------------------------------------------------------------
// First-pass approval rate

export interface Rate {
  key: string
  label: string
  /** Outputs whose first round was approved. */
  passed: number
  /** Outputs whose first round was decided (approved, sent back or rejected). */
  decided: number
  /** passed / decided; undefined when nothing was decided yet. */
  rate?: number
}

/** True / false once the first round is decided; undefined while it is open or never happened. */
export function firstPass(trail: InsightTrail, approvalsRequired = 1): boolean | undefined {
  const first = reviewRounds(trail.events, approvalsRequired).find((r) => r.outcome !== 'withdrawn')
  if (!first || first.outcome === 'open') return undefined
  return first.outcome === 'approved' && first.number === 1
}

export const UNKNOWN_MODEL = 'Not recorded'

export interface FirstPassRates {
  overall: Rate
  perType: Rate[]
  perModel: Rate[]
}

export function firstPassRates(
  trails: readonly InsightTrail[],
  types: readonly OutputType[],
): FirstPassRates {
  const byType = new Map<string, Rate>()
  const byModel = new Map<string, Rate>()
  const overall: Rate = { key: 'all', label: 'All types', passed: 0, decided: 0 }
  for (const t of typeRefs(
    types,
    trails.map((t) => t.typeId),
  ))
    byType.set(t.id, { key: t.id, label: t.name, passed: 0, decided: 0 })
  for (const t of trails) {
    const verdict = firstPass(t, requiredOf(types, t.typeId))
    if (verdict === undefined) continue
    const model = t.model?.trim() || UNKNOWN_MODEL
    let m = byModel.get(model)
    if (!m) {
      m = { key: model, label: model, passed: 0, decided: 0 }
      byModel.set(model, m)
    }
    for (const r of [overall, byType.get(t.typeId)!, m]) {
      r.decided += 1
      if (verdict) r.passed += 1
    }
  }
  const withRate = (r: Rate): Rate => (r.decided > 0 ? { ...r, rate: r.passed / r.decided } : r)
  return {
    overall: withRate(overall),
    perType: [...byType.values()].map(withRate),
    perModel: [...byModel.values()]
      .map(withRate)
      .sort((a, b) => b.decided - a.decided || a.label.localeCompare(b.label)),
  }
}
