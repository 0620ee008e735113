import { describe, expect, it } from 'vitest'
import { ageInfo, formatDuration } from '../../../../renderer/src/board/age.ts'
import { SMALL_TEAM_TYPES } from '../../../../shared/domain/templates.ts'
import type { OutputSummary } from '../../../../shared/domain/types.ts'
import { summaryRow } from '../../../support/rows.ts'

const H = 3_600_000
const pricing = SMALL_TEAM_TYPES.find((t) => t.id === 'pricing-update')! // 24 h SLA

function summary(patch: Partial<OutputSummary>): OutputSummary {
  return summaryRow({
    title: 'Pricing',
    typeId: pricing.id,
    authorId: 'm1',
    contentHash: 'h',
    approvalsRequired: 2,
    checklistTotal: 5,
    ...patch,
  })
}

describe('age against the SLA', () => {
  it('formats durations in the largest sensible unit', () => {
    expect(formatDuration(20_000)).toBe('now')
    expect(formatDuration(5 * 60_000)).toBe('5 min')
    expect(formatDuration(3 * H)).toBe('3 h')
    expect(formatDuration(47 * H)).toBe('47 h')
    expect(formatDuration(72 * H)).toBe('3 d')
    expect(formatDuration(-5)).toBe('now')
  })

  it('runs the clock from submission while in review', () => {
    const s = summary({ state: 'in_review', submittedAt: 10 * H, updatedAt: 30 * H })
    const a = ageInfo(s, pricing, 20 * H)
    expect(a).toEqual({ age: '10 h', label: '10 h of 24 h', overdue: false, dueSoon: false })
  })

  it('says overdue past the SLA and due soon in its last quarter', () => {
    const s = summary({ state: 'in_review', submittedAt: 0 })
    expect(ageInfo(s, pricing, 19 * H).dueSoon).toBe(true)
    expect(ageInfo(s, pricing, 19 * H).overdue).toBe(false)
    expect(ageInfo(s, pricing, 25 * H).overdue).toBe(true)
    expect(ageInfo(s, pricing, 25 * H).dueSoon).toBe(false)
  })

  it('has no SLA outside review or without a known type', () => {
    expect(ageInfo(summary({ state: 'draft', updatedAt: 0 }), pricing, 100 * H).overdue).toBe(false)
    expect(ageInfo(summary({ state: 'changes_requested', submittedAt: 0 }), pricing, 100 * H).label).toBe(
      '4 d',
    )
    expect(ageInfo(summary({ state: 'in_review', submittedAt: 0 }), undefined, 100 * H).overdue).toBe(false)
  })
})

describe('due dates (issue 12 #7)', () => {
  const due = '2026-12-01'
  const dayEnd = new Date(`${due}T23:59:59.999`).getTime()
  it('make an output overdue after its day, and due soon within a day of it', () => {
    const s = summary({ dueDate: due, updatedAt: dayEnd - 10 * 24 * H })
    expect(ageInfo(s, pricing, dayEnd - 3 * 24 * H)).toMatchObject({
      due: 'Due 2026-12-01',
      overdue: false,
      dueSoon: false,
    })
    expect(ageInfo(s, pricing, dayEnd - 2 * H)).toMatchObject({ overdue: false, dueSoon: true })
    expect(ageInfo(s, pricing, dayEnd + 1)).toMatchObject({ due: 'Due 2026-12-01', overdue: true })
  })
  it('stop counting once the output is published or closed', () => {
    for (const state of ['published', 'rejected', 'archived'] as const)
      expect(ageInfo(summary({ state, dueDate: due }), pricing, dayEnd + H)).toMatchObject({ overdue: false })
    expect(ageInfo(summary({ state: 'published', dueDate: due }), pricing, dayEnd + H).due).toBeUndefined()
  })
})
