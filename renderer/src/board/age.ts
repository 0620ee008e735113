/**
 * How long an output has waited, against its type's review SLA. The clock runs from the start of
 * the current review round (`submittedAt`) while it is in review; otherwise the card shows its
 * age since the last change, with no SLA.
 */
import type { OutputSummary, OutputType } from '../../../shared/domain/types.ts'

const HOUR = 3_600_000

export interface AgeInfo {
  /** "3 h", "2 d" */
  age: string
  /** "3 h of 24 h", or "5 d" without an SLA. */
  label: string
  /** Past the SLA: the card says "Overdue" in words, not only in colour. */
  overdue: boolean
  /** Within the last quarter of the SLA. */
  dueSoon: boolean
}

export function formatDuration(ms: number): string {
  const m = Math.max(0, ms) / 60_000
  if (m < 1) return 'now'
  if (m < 60) return `${Math.floor(m)} min`
  const h = m / 60
  if (h < 48) return `${Math.floor(h)} h`
  return `${Math.floor(h / 24)} d`
}

export function ageInfo(summary: OutputSummary, type: OutputType | undefined, now: number): AgeInfo {
  const inReview = summary.state === 'in_review' && summary.submittedAt !== undefined
  const since = inReview ? (summary.submittedAt as number) : summary.updatedAt
  const elapsed = now - since
  const age = formatDuration(elapsed)
  if (!inReview || !type || !(type.reviewSlaHours > 0))
    return { age, label: age, overdue: false, dueSoon: false }
  const sla = type.reviewSlaHours * HOUR
  const overdue = elapsed > sla
  return {
    age,
    label: `${age} of ${type.reviewSlaHours} h`,
    overdue,
    dueSoon: !overdue && elapsed > sla * 0.75,
  }
}
