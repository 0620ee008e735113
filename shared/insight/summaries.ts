/** The metrics that need only the board's summary rows: counts and overdue reviews. */
import type { OutputSummary, OutputType, ReviewState } from '../domain/types.ts'
import { REVIEW_STATES } from '../domain/types.ts'
import { HOUR, type TypeRef, typeRefs } from './groups.ts'

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
