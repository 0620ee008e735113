/**
 * How long an output has waited, against its type's review SLA. The clock runs from the start of
 * the current review round (`submittedAt`) while it is in review; otherwise the card shows its
 * age since the last change, with no SLA. An output's due date makes it overdue too.
 */
import type { OutputSummary, OutputType } from '../../../shared/domain/types.ts'

const HOUR = 3_600_000

export interface AgeInfo {
  /** "3 h", "2 d" */
  age: string
  /** "Due 2026-12-01" when the output has a due date and is not shipped or closed yet. */
  due?: string
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

const DONE: readonly OutputSummary['state'][] = ['published', 'rejected', 'archived']

/** The end of a YYYY-MM-DD due day, in this machine's time zone. */
export function dueEnd(dueDate: string): number {
  return new Date(`${dueDate}T23:59:59.999`).getTime()
}

export function ageInfo(summary: OutputSummary, type: OutputType | undefined, now: number): AgeInfo {
  const sla = slaInfo(summary, type, now)
  // A due date (from intake or the New output dialog) counts until the output ships or closes:
  // past its day it is overdue, within a day of it due soon, whatever the review SLA says.
  if (!summary.dueDate || DONE.includes(summary.state)) return sla
  const end = dueEnd(summary.dueDate)
  if (!Number.isFinite(end)) return sla
  const overdue = now > end
  return {
    ...sla,
    due: `Due ${summary.dueDate}`,
    overdue: sla.overdue || overdue,
    dueSoon: !(sla.overdue || overdue) && (sla.dueSoon || end - now < 24 * HOUR),
  }
}

function slaInfo(summary: OutputSummary, type: OutputType | undefined, now: number): AgeInfo {
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
