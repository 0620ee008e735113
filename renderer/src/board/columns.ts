/**
 * The board's columns and what a drop on one means. Pure functions: the board component and the
 * keyboard "Move…" menu both ask these, so a drag and its keyboard equivalent can never differ.
 */
import type { Action } from '../../../shared/domain/derive.ts'
import type { ReviewState } from '../../../shared/domain/types.ts'

export type ColumnId = 'draft' | 'in_review' | 'changes_requested' | 'approved' | 'published' | 'closed'

export interface ColumnDef {
  id: ColumnId
  title: string
  states: readonly ReviewState[]
}

export const COLUMNS: readonly ColumnDef[] = [
  { id: 'draft', title: 'Draft', states: ['draft'] },
  { id: 'in_review', title: 'In review', states: ['in_review'] },
  { id: 'changes_requested', title: 'Changes requested', states: ['changes_requested'] },
  { id: 'approved', title: 'Approved', states: ['approved', 'approved_stale'] },
  { id: 'published', title: 'Published', states: ['published'] },
  { id: 'closed', title: 'Rejected and archived', states: ['rejected', 'archived'] },
]

/** The columns always shown; "closed" appears only when the filter asks for it. */
export const MAIN_COLUMNS: readonly ColumnId[] = [
  'draft',
  'in_review',
  'changes_requested',
  'approved',
  'published',
]

export function columnOf(state: ReviewState): ColumnId {
  for (const c of COLUMNS) if (c.states.includes(state)) return c.id
  return 'draft'
}

export function columnDef(id: ColumnId): ColumnDef {
  return COLUMNS.find((c) => c.id === id) ?? COLUMNS[0]!
}

/**
 * The review action a drop onto a column stands for; null when it is the same column or no
 * single action gets there (publishing happens in the output view, where a destination is chosen).
 */
export function dropAction(from: ReviewState, to: ColumnId): Action | null {
  if (columnOf(from) === to) return null
  switch (to) {
    case 'published':
      return null
    case 'draft':
      return 'reopen'
    case 'in_review':
      return 'submit'
    case 'changes_requested':
      return 'request_changes'
    case 'approved':
      return 'approve'
    case 'closed':
      return from === 'in_review' || from === 'changes_requested' ? 'reject' : 'archive'
  }
}

/** How a person reads each action in a menu. */
export const ACTION_LABEL: Record<Action, string> = {
  edit: 'Edit',
  submit: 'Submit for review',
  judge: 'Judge checklist',
  approve: 'Approve',
  request_changes: 'Request changes…',
  reject: 'Reject…',
  reopen: 'Reopen as draft',
  archive: 'Archive',
}

/** Actions that need a reason typed by the person before they are performed. */
export const NEEDS_REASON: ReadonlySet<Action> = new Set<Action>(['request_changes', 'reject'])

/** The moves the "Move…" menu offers for a card, with the column each lands in. */
export const MENU_MOVES: readonly { action: Action; column: ColumnId; key: string }[] = [
  { action: 'submit', column: 'in_review', key: 'S' },
  { action: 'approve', column: 'approved', key: 'A' },
  { action: 'request_changes', column: 'changes_requested', key: 'C' },
  { action: 'reopen', column: 'draft', key: 'D' },
  { action: 'reject', column: 'closed', key: 'R' },
  { action: 'archive', column: 'closed', key: 'X' },
]

/**
 * The state a card's keys reason from: while a move runs, the card shows in the column it goes to
 * (`pending`), and the next move starts from there, not from the state it is leaving.
 */
export function shownState(state: ReviewState, pending: ColumnId | undefined): ReviewState {
  return pending ? columnDef(pending).states[0]! : state
}

/** Alt+Left/Right moves a card to the column beside it on screen, as a drag there would. */
export function neighbourColumn(from: ReviewState, direction: -1 | 1): ColumnId | null {
  const actionable: readonly ColumnId[] = MAIN_COLUMNS.filter((c) => c !== 'published')
  const i = actionable.indexOf(columnOf(from))
  if (i < 0) return direction === -1 ? 'draft' : null
  return actionable[i + direction] ?? null
}
