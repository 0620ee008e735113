/**
 * Insight: what a workspace's review work looks like in numbers. Pure functions over the board's
 * summary rows, the trails of the outputs whose documents are loaded, the output types and `now`.
 * Counts and overdue reviews need only the summaries; everything about time, rounds and checklist
 * failures needs the trail, so it is computed over the outputs that have one and says how many.
 */

import type { OutputSummary, OutputType } from '../domain/types.ts'
import { type FailingItemsOfType, topFailingItems } from './failing.ts'
import type { InsightTrail, PerTypeDistribution } from './groups.ts'
import { cycleTimes, type FirstPassRates, firstPassRates, timeInReview } from './rounds.ts'
import {
  countsByStateAndType,
  type OverdueReview,
  overdueReviews,
  type StateTypeCounts,
} from './summaries.ts'

export * from './failing.ts'
export {
  type Distribution,
  distribution,
  HOUR,
  type InsightTrail,
  type PerTypeDistribution,
  quantile,
  type TypeRef,
} from './groups.ts'
export * from './rounds.ts'
export * from './summaries.ts'

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
