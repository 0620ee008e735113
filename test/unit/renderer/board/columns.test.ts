/** Columns and drops: a drag and its keyboard equivalent ask the same table, so test the table. */
import { describe, expect, it } from 'vitest'
import {
  COLUMNS,
  columnOf,
  dropAction,
  MAIN_COLUMNS,
  MENU_MOVES,
  neighbourColumn,
} from '../../../../renderer/src/board/columns.ts'
import { REVIEW_STATES, type ReviewState } from '../../../../shared/domain/types.ts'

describe('columns', () => {
  it('puts every review state in exactly one column', () => {
    for (const state of REVIEW_STATES) {
      const holding = COLUMNS.filter((c) => c.states.includes(state))
      expect(holding, state).toHaveLength(1)
      expect(columnOf(state)).toBe(holding[0]!.id)
    }
  })

  it('shows approved and stale approvals together, closed ones apart', () => {
    expect(columnOf('approved')).toBe('approved')
    expect(columnOf('approved_stale')).toBe('approved')
    expect(columnOf('rejected')).toBe('closed')
    expect(columnOf('archived')).toBe('closed')
    expect(MAIN_COLUMNS).not.toContain('closed')
  })

  it('maps drops to the review actions of the issue', () => {
    expect(dropAction('draft', 'in_review')).toBe('submit')
    expect(dropAction('changes_requested', 'in_review')).toBe('submit')
    expect(dropAction('in_review', 'changes_requested')).toBe('request_changes')
    expect(dropAction('in_review', 'approved')).toBe('approve')
    expect(dropAction('approved', 'draft')).toBe('reopen')
    expect(dropAction('approved_stale', 'draft')).toBe('reopen')
    expect(dropAction('in_review', 'closed')).toBe('reject')
    expect(dropAction('draft', 'closed')).toBe('archive')
  })

  it('does nothing for a drop on the same column or on Published', () => {
    for (const state of REVIEW_STATES) expect(dropAction(state, columnOf(state))).toBeNull()
    expect(dropAction('approved', 'published')).toBeNull()
    expect(dropAction('approved_stale', 'approved')).toBeNull()
  })

  it('offers every drop target in the Move menu too', () => {
    const states: ReviewState[] = ['draft', 'in_review', 'changes_requested', 'approved']
    const menuActions = new Set(MENU_MOVES.map((m) => m.action))
    for (const from of states)
      for (const c of COLUMNS) {
        const a = dropAction(from, c.id)
        if (a) expect(menuActions.has(a), `${from} → ${c.id}`).toBe(true)
      }
    expect(new Set(MENU_MOVES.map((m) => m.key)).size).toBe(MENU_MOVES.length)
  })

  it('moves one column over with Alt+Arrow, never into Published', () => {
    expect(neighbourColumn('draft', 1)).toBe('in_review')
    expect(neighbourColumn('draft', -1)).toBeNull()
    expect(neighbourColumn('in_review', 1)).toBe('changes_requested')
    expect(neighbourColumn('approved', 1)).toBeNull()
    expect(neighbourColumn('approved', -1)).toBe('changes_requested')
    expect(neighbourColumn('rejected', -1)).toBe('draft')
  })
})
