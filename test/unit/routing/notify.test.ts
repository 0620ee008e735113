import { describe, expect, it } from 'vitest'
import { groupNotices, routingNotices } from '../../../renderer/src/routing/notify.ts'
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

  it('the baseline announces the rows that changed since the load, against what they were before', () => {
    const rows = [
      row({ id: 'loaded', reviewer: 'bob' }),
      row({ id: 'new', reviewer: 'bob' }),
      row({ id: 'submitted', reviewer: 'bob' }),
      row({ id: 'edited', reviewer: 'bob' }),
    ]
    const arrived = new Map([
      ['new', null],
      ['submitted', { mine: false, overdue: false }],
      ['edited', { mine: true, overdue: false }],
    ])
    const first = routingNotices(null, rows, 'bob', types, 0, arrived)
    expect(first.notices.map((n) => n.outputId)).toEqual(['new', 'submitted'])
    expect(first.notices[0]?.body).toBe('“Post” is waiting for your review.')
    expect([...first.seen.keys()]).toEqual(['loaded', 'new', 'submitted', 'edited'])
    // From then on, snapshots compare with the last one; arrivals play no part.
    expect(routingNotices(first.seen, rows, 'bob', types, 0, arrived).notices).toEqual([])
  })

  it('more than three notices of a kind at once are told as one', () => {
    const many = ['A', 'B', 'C', 'D', 'E'].map((t) => row({ id: t, title: t, reviewer: 'bob' }))
    const { notices } = routingNotices(new Map(), many, 'bob', types, 0)
    expect(notices).toHaveLength(5)
    expect(groupNotices(notices)).toEqual([
      {
        kind: 'assigned',
        outputId: 'several',
        outputTitle: '',
        title: '5 reviews assigned to you',
        body: '“A”, “B” and 3 more are waiting for your review.',
      },
    ])
    const few = notices.slice(0, 3)
    expect(groupNotices(few)).toEqual(few)
    const late = routingNotices(new Map(), many, 'bob', types, 2 * HOUR).notices
    expect(
      groupNotices([...few, ...late.map((n) => ({ ...n, kind: 'overdue' as const }))]).map((n) => n.title),
    ).toEqual([
      'Review assigned to you',
      'Review assigned to you',
      'Review assigned to you',
      '5 reviews overdue',
    ])
  })
})
