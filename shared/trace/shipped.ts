/**
 * "What shipped": every publish in a period across the workspace, one row each, exportable as
 * CSV (RFC 4180, with a guard against spreadsheet formulas) and JSON.
 */
import type { Derived } from '../domain/derive.ts'
import { AUTO_APPROVER } from '../domain/derive.ts'
import type { Member, OutputType, RiskTier } from '../domain/types.ts'
import { checklistResult, evidenceOf } from './evidence.ts'
import { receiptSummary } from './timeline.ts'

export interface ShippedRow {
  outputId: string
  title: string
  typeId: string
  type: string
  risk: RiskTier | 'unknown'
  contentHash: string
  /** The policy version (hash) whose approval the publish relied on; '' for rounds from before versions. */
  policy: string
  /** Why no approval stood for it in the merged trail ('' when one did): it went out all the same. */
  unapproved: string
  approvers: string[]
  checklist: string
  checklistPassed: number
  checklistFailed: number
  checklistNa: number
  /** Items of the round's checklist that nobody judged. */
  checklistNotJudged: number
  destinationId: string
  destination: string
  /** Milliseconds since the epoch. */
  time: number
  by: string
  receipt: string
}

export interface ShippedSource {
  outputId: string
  title: string
  typeId: string
  type: OutputType | undefined
  derived: Derived
}

export interface ShippedFilter {
  from?: number
  to?: number
  typeId?: string
  destinationId?: string
}

/** One row per successful publish, newest first. */
export function shippedRows(
  sources: Iterable<ShippedSource>,
  members: ReadonlyMap<string, Member>,
  destinations: ReadonlyMap<string, string> = new Map(),
  filter: ShippedFilter = {},
): ShippedRow[] {
  const name = (id: string) => (id === AUTO_APPROVER ? 'Automatic checks' : (members.get(id)?.name ?? id))
  const rows: ShippedRow[] = []
  for (const s of sources) {
    if (filter.typeId && s.typeId !== filter.typeId) continue
    // Everything that went out: counted publishes, and those whose approval did not stand where
    // they are in the merged trail (flagged with why).
    const published = [...s.derived.publishes, ...s.derived.unapprovedPublishes].filter(
      (p) => p.status === 'published',
    )
    if (published.length === 0) continue
    const { byAttempt } = evidenceOf(s.derived)
    for (const p of published) {
      const time = p.at ?? p.claimedAt
      if (filter.from !== undefined && time < filter.from) continue
      if (filter.to !== undefined && time > filter.to) continue
      if (filter.destinationId && p.destinationId !== filter.destinationId) continue
      const ev = byAttempt.get(p.attemptId) ?? { approvals: [], judgements: [] }
      // The risk and checklist the output was reviewed under: its round's rules, not the type's now.
      const rules = p.policy ? s.derived.rounds.find((r) => r.hash === p.policy)?.version?.policy : undefined
      const result = checklistResult(ev.judgements, rules?.checklist ?? [])
      rows.push({
        outputId: s.outputId,
        title: s.title,
        typeId: s.typeId,
        type: s.type?.name ?? s.typeId,
        risk: rules?.risk ?? s.type?.risk ?? 'unknown',
        contentHash: p.contentHash,
        policy: p.policy ?? '',
        unapproved: p.unapproved ?? '',
        approvers: ev.approvals.map((a) => name(a.memberId)),
        checklist: result.text,
        checklistPassed: result.passed,
        checklistFailed: result.failed,
        checklistNa: result.na,
        checklistNotJudged: result.notJudged,
        destinationId: p.destinationId,
        destination: destinations.get(p.destinationId) ?? p.destinationId,
        time,
        by: name(p.by),
        receipt: receiptSummary(p.receipt),
      })
    }
  }
  return rows.sort((a, b) => b.time - a.time)
}

const COLUMNS: { head: string; get: (r: ShippedRow) => string }[] = [
  { head: 'Time', get: (r) => new Date(r.time).toISOString() },
  { head: 'Output', get: (r) => r.title },
  { head: 'Output id', get: (r) => r.outputId },
  { head: 'Type', get: (r) => r.type },
  { head: 'Risk', get: (r) => r.risk },
  { head: 'Version hash', get: (r) => r.contentHash },
  { head: 'Rules version', get: (r) => r.policy },
  { head: 'Approvers', get: (r) => r.approvers.join('; ') },
  { head: 'Checklist', get: (r) => r.checklist },
  { head: 'Destination', get: (r) => r.destination },
  { head: 'Published by', get: (r) => r.by },
  { head: 'Receipt', get: (r) => r.receipt },
  { head: 'Without approval', get: (r) => r.unapproved },
]

/**
 * One CSV cell: a value a spreadsheet would run as a formula (= + - @, tab, carriage return) is
 * prefixed with an apostrophe; then quoted per RFC 4180 when it holds a comma, quote or newline.
 */
export function csvCell(value: string): string {
  let v = value
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** RFC 4180: CRLF line ends, a header row. */
export function toCsv(rows: readonly ShippedRow[]): string {
  const lines = [COLUMNS.map((c) => csvCell(c.head)).join(',')]
  for (const r of rows) lines.push(COLUMNS.map((c) => csvCell(c.get(r))).join(','))
  return `${lines.join('\r\n')}\r\n`
}

export function toJson(rows: readonly ShippedRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({ ...r, time: new Date(r.time).toISOString() })),
    null,
    2,
  )
}
