/**
 * Board filters and ordering. "Waiting for me" means: in review and this person may judge or
 * approve it, or sent back and this person is its author or an assignee.
 */
import type { Member, OutputSummary, OutputType, ReviewState } from '../../../shared/domain/types.ts'
import type { BoardFilters } from '../ui/store.ts'
import { type ColumnId, columnOf } from './columns.ts'

const REVIEW_ROLES = ['reviewer', 'approver', 'admin'] as const

export function waitingFor(s: OutputSummary, me: Member | undefined, type: OutputType | undefined): boolean {
  if (!me) return false
  const mine = s.authorId === me.id || s.assignees.includes(me.id)
  if (s.state === 'changes_requested' || s.state === 'approved_stale') return mine
  if (s.state !== 'in_review') return false
  if (s.authorId === me.id && !type?.allowSelfApproval) return false
  const roles: readonly string[] = type ? [...REVIEW_ROLES, ...type.approverRoles] : REVIEW_ROLES
  return me.roles.some((r) => roles.includes(r))
}

export interface FilterContext {
  me: Member | undefined
  types: ReadonlyMap<string, OutputType>
}

const CLOSED: readonly ReviewState[] = ['rejected', 'archived']

export function matches(s: OutputSummary, f: BoardFilters, ctx: FilterContext): boolean {
  if (f.typeId && s.typeId !== f.typeId) return false
  const type = ctx.types.get(s.typeId)
  if (f.risk && type?.risk !== f.risk) return false
  if (f.assignee && s.authorId !== f.assignee && !s.assignees.includes(f.assignee)) return false
  if (f.tag && !s.tags.includes(f.tag)) return false
  if (f.states && f.states.length > 0) {
    if (!f.states.includes(s.state)) return false
  } else if (CLOSED.includes(s.state)) return false
  if (f.waitingForMe && !waitingFor(s, ctx.me, type)) return false
  return true
}

/**
 * Newest first within a column; in review, the longest-waiting first (the SLA clock). Ties (a
 * batch submitted in one go) fall back to the id, compared by code unit: ties only need an order
 * that is the same on every machine (an id is no word for a locale to sort), and sorting 10,000
 * rows with many ties then no longer calls into the locale machinery a hundred thousand times.
 */
export function compareIn(column: ColumnId) {
  if (column === 'in_review')
    return (a: OutputSummary, b: OutputSummary) =>
      (a.submittedAt ?? a.updatedAt) - (b.submittedAt ?? b.updatedAt) || byId(a, b)
  return (a: OutputSummary, b: OutputSummary) => b.updatedAt - a.updatedAt || byId(a, b)
}

const byId = (a: OutputSummary, b: OutputSummary) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Filter, group into columns and sort: one pass over every summary. */
export function groupSummaries(
  all: readonly OutputSummary[],
  f: BoardFilters,
  ctx: FilterContext,
): Map<ColumnId, OutputSummary[]> {
  const out = new Map<ColumnId, OutputSummary[]>()
  for (const s of all) {
    if (!matches(s, f, ctx)) continue
    const c = columnOf(s.state)
    let list = out.get(c)
    if (!list) {
      list = []
      out.set(c, list)
    }
    list.push(s)
  }
  for (const [c, list] of out) list.sort(compareIn(c))
  return out
}

/** Every tag on the board, for the tag filter: sorted, each once. */
export function allTags(all: readonly OutputSummary[]): string[] {
  const tags = new Set<string>()
  for (const s of all) for (const t of s.tags) tags.add(t)
  return [...tags].sort((a, b) => a.localeCompare(b))
}
