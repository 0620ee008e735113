import { describe, expect, it } from 'vitest'
import { routingNotices } from '../../../renderer/src/routing/notify.ts'
import type { OutputSummary, OutputType } from '../../../shared/domain/types.ts'
import { summaryRow } from '../../support/rows.ts'

const HOUR = 3_600_000
const row = (patch: Partial<OutputSummary>): OutputSummary =>
  summaryRow({ title: 'Post', state: 'in_review', authorId: 'alice', submittedAt: 0, ...patch })
const types = new Map<string, OutputType>([
  [
    't',
    {
      id: 't',
      name: 'T',
      description: '',
      risk: 'low',
      checklist: [],
      approvalsRequired: 1,
      approverRoles: ['approver'],
      allowSelfApproval: false,
      allowedDestinations: [],
      reviewSlaHours: 1,
    },
  ],
])

describe('routing notices', () => {
  it('announces nothing on the first snapshot, then new assignments and new overdue reviews once', () => {
    const first = routingNotices(null, [row({ reviewer: 'bob' })], 'bob', types, 0)
    expect(first.notices).toEqual([])
    const other = routingNotices(first.seen, [row({ id: 'o2', reviewer: 'bob' })], 'bob', types, 0)
    expect(other.notices.map((n) => [n.kind, n.outputId])).toEqual([['assigned', 'o2']])
    const late = routingNotices(other.seen, [row({ id: 'o2', reviewer: 'bob' })], 'bob', types, 2 * HOUR)
    expect(late.notices.map((n) => n.kind)).toEqual(['overdue'])
    const again = routingNotices(late.seen, [row({ id: 'o2', reviewer: 'bob' })], 'bob', types, 3 * HOUR)
    expect(again.notices).toEqual([])
    const notMine = routingNotices(again.seen, [row({ id: 'o3', reviewer: 'cara' })], 'bob', types, 3 * HOUR)
    expect(notMine.notices).toEqual([])
  })
})
