/** Columns and drops: a drag and its keyboard equivalent ask the same table, so test the table. */
import { describe, expect, it } from 'vitest'
import * as columns from '../../../../renderer/src/board/columns.ts'
import { REVIEW_STATES, type ReviewState } from '../../../../shared/domain/types.ts'

describe('columns', () => {
  it('puts every review state in exactly one column', () => {
    for (const state of REVIEW_STATES) {
      const holding = columns.COLUMNS.filter((c) => c.states.includes(state))
      expect(holding, state).toHaveLength(1)
      expect(columns.columnOf(state)).toBe(holding[0]!.id)
    }
  })

  it('shows approved and stale approvals together, closed ones apart', () => {
    expect(columns.columnOf('approved')).toBe('approved')
    expect(columns.columnOf('approved_stale')).toBe('approved')
    expect(columns.columnOf('rejected')).toBe('closed')
    expect(columns.columnOf('archived')).toBe('closed')
    expect(columns.MAIN_COLUMNS).not.toContain('closed')
  })

  it('maps drops to the review actions of the issue', () => {
    expect(columns.dropAction('draft', 'in_review')).toBe('submit')
    expect(columns.dropAction('changes_requested', 'in_review')).toBe('submit')
    expect(columns.dropAction('in_review', 'changes_requested')).toBe('request_changes')
    expect(columns.dropAction('in_review', 'approved')).toBe('approve')
    expect(columns.dropAction('approved', 'draft')).toBe('reopen')
    expect(columns.dropAction('approved_stale', 'draft')).toBe('reopen')
    expect(columns.dropAction('in_review', 'closed')).toBe('reject')
    expect(columns.dropAction('draft', 'closed')).toBe('archive')
  })

  it('does nothing for a drop on the same column or on Published', () => {
    for (const state of REVIEW_STATES) expect(columns.dropAction(state, columns.columnOf(state))).toBeNull()
    expect(columns.dropAction('approved', 'published')).toBeNull()
    expect(columns.dropAction('approved_stale', 'approved')).toBeNull()
  })

  it('offers every drop target in the Move menu too', () => {
    const states: ReviewState[] = ['draft', 'in_review', 'changes_requested', 'approved']
    const menuActions = new Set(columns.MENU_MOVES.map((m) => m.action))
    for (const from of states)
      for (const c of columns.COLUMNS) {
        const a = columns.dropAction(from, c.id)
        if (a) expect(menuActions.has(a), `${from} → ${c.id}`).toBe(true)
      }
    expect(new Set(columns.MENU_MOVES.map((m) => m.key)).size).toBe(columns.MENU_MOVES.length)
  })

  it('moves one column over with Alt+Arrow, never into Published', () => {
    expect(columns.neighbourColumn('draft', 1)).toBe('in_review')
    expect(columns.neighbourColumn('draft', -1)).toBeNull()
    expect(columns.neighbourColumn('in_review', 1)).toBe('changes_requested')
    expect(columns.neighbourColumn('approved', 1)).toBeNull()
    expect(columns.neighbourColumn('approved', -1)).toBe('changes_requested')
    expect(columns.neighbourColumn('rejected', -1)).toBe('draft')
  })

  it('a second move while the first runs starts from where the first takes the card', () => {
    // Alt+→ on a draft is running (the card shows in In review); Alt+← then takes it back.
    const from = columns.shownState('draft', 'in_review')
    expect(from).toBe('in_review')
    expect(columns.dropAction(from, columns.neighbourColumn(from, -1)!)).toBe('reopen')
    expect(columns.shownState('draft', undefined)).toBe('draft')
    expect(columns.shownState('in_review', 'approved')).toBe('approved')
    expect(columns.shownState('in_review', 'closed')).toBe('rejected')
  })
})
