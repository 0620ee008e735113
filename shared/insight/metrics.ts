/**
 * Insight: what a workspace's review work looks like in numbers. Pure functions over the board's
 * summary rows, the trails of the outputs whose documents are loaded, the output types and `now`.
 * Counts and overdue reviews need only the summaries; everything about time, rounds and checklist
 * failures needs the trail, so it is computed over the outputs that have one and says how many.
 */

import type { TrailEvent } from '../domain/trail.ts'
import type { OutputSummary, OutputType, ReviewState } from '../domain/types.ts'
import { REVIEW_STATES } from '../domain/types.ts'

export const HOUR = 3_600_000

/** One output's counted trail (`Derived.events`), with what Insight groups it by. */
export interface InsightTrail {
  outputId: string
  typeId: string
  /** The source model the output was generated with, if it was recorded. */
  model?: string
  createdAt: number
  events: readonly TrailEvent[]
}

export interface TypeRef {
  id: string
  name: string
}

/** A type id that is not (or no longer) in the workspace still gets a row, named by its id. */
function typeRefs(types: readonly OutputType[], typeIds: Iterable<string>): TypeRef[] {
  const out: TypeRef[] = types.map((t) => ({ id: t.id, name: t.name }))
  const known = new Set(out.map((t) => t.id))
  for (const id of typeIds)
    if (!known.has(id)) {
      known.add(id)
      out.push({ id, name: id })
    }
  return out
}

// ---------------------------------------------------------------------------------------------
// Counts per state and type

export interface StateTypeCounts {
  states: readonly ReviewState[]
  types: TypeRef[]
  /** counts[typeId][state]; every type and state present, zero when none. */
  counts: Record<string, Record<ReviewState, number>>
  perState: Record<ReviewState, number>
  perType: Record<string, number>
  total: number
}

const zeroStates = (): Record<ReviewState, number> =>
  Object.fromEntries(REVIEW_STATES.map((s) => [s, 0])) as Record<ReviewState, number>

export function countsByStateAndType(
  summaries: readonly OutputSummary[],
  types: readonly OutputType[],
): StateTypeCounts {
  const refs = typeRefs(
    types,
    summaries.map((s) => s.typeId),
  )
  const counts: Record<string, Record<ReviewState, number>> = {}
  const perType: Record<string, number> = {}
  for (const t of refs) {
    counts[t.id] = zeroStates()
    perType[t.id] = 0
  }
  const perState = zeroStates()
  for (const s of summaries) {
    counts[s.typeId]![s.state] += 1
    perState[s.state] += 1
    perType[s.typeId]! += 1
  }
  return { states: REVIEW_STATES, types: refs, counts, perState, perType, total: summaries.length }
}

// ---------------------------------------------------------------------------------------------
// Distributions

export interface Distribution {
  n: number
  /** Milliseconds; undefined when n is 0. */
  median?: number
  p90?: number
}

/** The q-quantile of sorted values, interpolated linearly between the nearest ranks. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  const a = sorted[lo]!
  const b = sorted[hi]!
  return a + (b - a) * (pos - lo)
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b)
  const median = quantile(sorted, 0.5)
  const p90 = quantile(sorted, 0.9)
  return {
    n: sorted.length,
    ...(median !== undefined ? { median } : {}),
    ...(p90 !== undefined ? { p90 } : {}),
  }
}

export interface PerTypeDistribution {
  overall: Distribution
  perType: { type: TypeRef; dist: Distribution }[]
}

function perTypeDistribution(
  types: readonly OutputType[],
  samples: readonly { typeId: string; value: number }[],
): PerTypeDistribution {
  const byType = new Map<string, number[]>()
  for (const s of samples) {
    const list = byType.get(s.typeId) ?? []
    list.push(s.value)
    byType.set(s.typeId, list)
  }
  return {
    overall: distribution(samples.map((s) => s.value)),
    perType: typeRefs(types, byType.keys()).map((type) => ({
      type,
      dist: distribution(byType.get(type.id) ?? []),
    })),
  }
}

// ---------------------------------------------------------------------------------------------
// Cycle time: creation to first publish

/** When the output was first published, if it was. */
export function firstPublishedAt(trail: InsightTrail): number | undefined {
  for (const e of trail.events) if (e.kind === 'published') return e.at
  return undefined
}

export function cycleTimes(
  trails: readonly InsightTrail[],
  types: readonly OutputType[],
): PerTypeDistribution {
  const samples: { typeId: string; value: number }[] = []
  for (const t of trails) {
    const at = firstPublishedAt(t)
    if (at !== undefined) samples.push({ typeId: t.typeId, value: Math.max(0, at - t.createdAt) })
  }
  return perTypeDistribution(types, samples)
}

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

const requiredOf = (types: readonly OutputType[], typeId: string) =>
  types.find((t) => t.id === typeId)?.approvalsRequired ?? 1

/** Time waiting in review: submission to decision, per decided round. */
export function timeInReview(
  trails: readonly InsightTrail[],
  types: readonly OutputType[],
): PerTypeDistribution {
  const samples: { typeId: string; value: number }[] = []
  for (const t of trails)
    for (const r of reviewRounds(t.events, requiredOf(types, t.typeId)))
      if (r.decidedAt !== undefined)
        samples.push({ typeId: t.typeId, value: Math.max(0, r.decidedAt - r.submittedAt) })
  return perTypeDistribution(types, samples)
}

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

// ---------------------------------------------------------------------------------------------
// Checklist items that fail most often

export interface FailingItem {
  itemId: string
  title: string
  /** Number of "fail" judgements of this item, across all rounds and versions. */
  fails: number
  /** Number of outputs it failed on. */
  outputs: number
}

export interface FailingItemsOfType {
  type: TypeRef
  items: FailingItem[]
}

export function topFailingItems(
  trails: readonly InsightTrail[],
  types: readonly OutputType[],
  limit = 5,
): FailingItemsOfType[] {
  const byType = new Map<string, Map<string, { fails: number; outputs: Set<string> }>>()
  for (const t of trails)
    for (const e of t.events) {
      if (e.kind !== 'judged' || e.verdict !== 'fail') continue
      const items = byType.get(t.typeId) ?? new Map<string, { fails: number; outputs: Set<string> }>()
      byType.set(t.typeId, items)
      const entry = items.get(e.itemId) ?? { fails: 0, outputs: new Set<string>() }
      entry.fails += 1
      entry.outputs.add(t.outputId)
      items.set(e.itemId, entry)
    }
  const out: FailingItemsOfType[] = []
  for (const ref of typeRefs(types, byType.keys())) {
    const items = byType.get(ref.id)
    if (!items) continue
    const checklist = types.find((t) => t.id === ref.id)?.checklist ?? []
    const list: FailingItem[] = [...items.entries()].map(([itemId, v]) => ({
      itemId,
      title: checklist.find((i) => i.id === itemId)?.title ?? itemId,
      fails: v.fails,
      outputs: v.outputs.size,
    }))
    list.sort((a, b) => b.fails - a.fails || a.title.localeCompare(b.title))
    out.push({ type: ref, items: list.slice(0, limit) })
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Overdue reviews

export interface OverdueReview {
  outputId: string
  title: string
  typeId: string
  typeName: string
  submittedAt: number
  dueAt: number
  /** How long past its review SLA, in milliseconds. */
  overdueBy: number
}

/** Outputs in review past their type's review SLA, the longest overdue first. */
export function overdueReviews(
  summaries: readonly OutputSummary[],
  types: readonly OutputType[],
  now: number,
): OverdueReview[] {
  const out: OverdueReview[] = []
  for (const s of summaries) {
    if (s.state !== 'in_review' || s.submittedAt === undefined) continue
    const type = types.find((t) => t.id === s.typeId)
    if (!type || !(type.reviewSlaHours > 0)) continue
    const dueAt = s.submittedAt + type.reviewSlaHours * HOUR
    if (now > dueAt)
      out.push({
        outputId: s.id,
        title: s.title,
        typeId: s.typeId,
        typeName: type.name,
        submittedAt: s.submittedAt,
        dueAt,
        overdueBy: now - dueAt,
      })
  }
  return out.sort((a, b) => b.overdueBy - a.overdueBy || a.title.localeCompare(b.title))
}

// ---------------------------------------------------------------------------------------------
// Everything at once

export interface Insight {
  counts: StateTypeCounts
  overdue: OverdueReview[]
  /** Outputs the trail-based metrics below are computed over, of `counts.total`. */
  basedOn: number
  cycle: PerTypeDistribution
  review: PerTypeDistribution
  firstPass: FirstPassRates
  failing: FailingItemsOfType[]
}

export function computeInsight(input: {
  summaries: readonly OutputSummary[]
  trails: readonly InsightTrail[]
  types: readonly OutputType[]
  now: number
}): Insight {
  const { summaries, trails, types, now } = input
  const live = new Set(summaries.map((s) => s.id))
  const loaded = trails.filter((t) => live.has(t.outputId))
  return {
    counts: countsByStateAndType(summaries, types),
    overdue: overdueReviews(summaries, types, now),
    basedOn: loaded.length,
    cycle: cycleTimes(loaded, types),
    review: timeInReview(loaded, types),
    firstPass: firstPassRates(loaded, types),
    failing: topFailingItems(loaded, types),
  }
}

/** "3 h", "2.5 d": a duration for a chart label. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '–'
  const minutes = ms / 60_000
  if (minutes < 1) return '<1 min'
  if (minutes < 60) return `${Math.round(minutes)} min`
  const hours = minutes / 60
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`
  return `${Math.round((hours / 24) * 10) / 10} d`
}
