import { describe, expect, it } from 'vitest'
import type { TrailEvent } from '../../../shared/domain/trail.ts'
import type { OutputSummary, OutputType, ReviewState } from '../../../shared/domain/types.ts'
import {
  computeInsight,
  countsByStateAndType,
  cycleTimes,
  firstPass,
  firstPassRates,
  formatDuration,
  HOUR,
  type InsightTrail,
  overdueReviews,
  quantile,
  reviewRounds,
  timeInReview,
  topFailingItems,
  UNKNOWN_MODEL,
} from '../../../shared/insight/metrics.ts'
import { summaryRow } from '../../support/rows.ts'

function type(id: string, patch: Partial<OutputType> = {}): OutputType {
  return {
    id,
    name: id === 'memo' ? 'Memo' : 'Pricing',
    description: '',
    risk: 'low',
    checklist: [
      { id: 'facts', title: 'Facts right', question: '', guidance: '', severity: 'send-back' },
      { id: 'tone', title: 'Tone', question: '', guidance: '', severity: 'warning' },
    ],
    approvalsRequired: 1,
    approverRoles: ['approver'],
    allowSelfApproval: false,
    allowedDestinations: [],
    reviewSlaHours: 24,
    ...patch,
  }
}
const TYPES = [type('memo'), type('pricing', { approvalsRequired: 2, reviewSlaHours: 4 })]

let seq = 0
const base = (actor: string, at: number) => ({ id: `e${++seq}`, v: 1 as const, actor, at })
/** rita's judgement of one checklist item. */
const judged = (at: number, itemId: string, verdict: 'pass' | 'fail', note: string): TrailEvent => ({
  ...base('rita', at),
  kind: 'judged',
  contentHash: 'h',
  itemId,
  verdict,
  note,
})
const ev = {
  created: (at: number): TrailEvent => ({
    ...base('alice', at),
    kind: 'created',
    title: 't',
    typeId: 'memo',
    contentHash: 'h',
  }),
  submitted: (at: number): TrailEvent => ({ ...base('alice', at), kind: 'submitted', contentHash: 'h' }),
  approved: (at: number, actor = 'adam'): TrailEvent => ({
    ...base(actor, at),
    kind: 'approved',
    contentHash: 'h',
    note: '',
  }),
  changes: (at: number): TrailEvent => ({
    ...base('rita', at),
    kind: 'changes_requested',
    contentHash: 'h',
    reasons: ['x'],
  }),
  rejected: (at: number): TrailEvent => ({
    ...base('adam', at),
    kind: 'rejected',
    contentHash: 'h',
    reason: 'no',
  }),
  reopened: (at: number): TrailEvent => ({ ...base('alice', at), kind: 'reopened', reason: '' }),
  fail: (at: number, itemId: string): TrailEvent => judged(at, itemId, 'fail', 'n'),
  pass: (at: number, itemId: string): TrailEvent => judged(at, itemId, 'pass', ''),
  published: (at: number): TrailEvent => ({
    ...base('adam', at),
    kind: 'published',
    contentHash: 'h',
    destinationId: 'd',
    attemptId: `a${seq}`,
    receipt: {},
  }),
}

function trail(outputId: string, typeId: string, events: TrailEvent[], model?: string): InsightTrail {
  return { outputId, typeId, createdAt: 0, events, ...(model ? { model } : {}) }
}

function summary(
  id: string,
  typeId: string,
  state: ReviewState,
  patch: Partial<OutputSummary> = {},
): OutputSummary {
  return summaryRow({
    id,
    title: `Output ${id}`,
    typeId,
    state,
    authorId: 'alice',
    contentHash: 'h',
    checklistTotal: 2,
    ...patch,
  })
}

describe('counts per state and type', () => {
  it('counts every summary in its cell, with zero cells and unknown types named by id', () => {
    const c = countsByStateAndType(
      [
        summary('1', 'memo', 'draft'),
        summary('2', 'memo', 'draft'),
        summary('3', 'memo', 'in_review'),
        summary('4', 'pricing', 'changes_requested'),
        summary('5', 'gone', 'published'),
      ],
      TYPES,
    )
    expect(c.total).toBe(5)
    expect(c.counts.memo).toMatchObject({ draft: 2, in_review: 1, published: 0 })
    expect(c.counts.pricing!.changes_requested).toBe(1)
    expect(c.perState.draft).toBe(2)
    expect(c.perType).toEqual({ memo: 3, pricing: 1, gone: 1 })
    expect(c.types.map((t) => t.name)).toEqual(['Memo', 'Pricing', 'gone'])
  })
})

describe('quantiles', () => {
  it('interpolates between ranks', () => {
    expect(quantile([], 0.5)).toBeUndefined()
    expect(quantile([5], 0.9)).toBe(5)
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantile([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(90)
  })
  it('formats durations for labels', () => {
    expect(formatDuration(undefined)).toBe('–')
    expect(formatDuration(30 * 60_000)).toBe('30 min')
    expect(formatDuration(3 * HOUR)).toBe('3 h')
    expect(formatDuration(72 * HOUR)).toBe('3 d')
  })
})

describe('cycle time', () => {
  it('measures creation to the first publish, per type, ignoring unpublished outputs', () => {
    const trails = [
      trail('a', 'memo', [
        ev.created(0),
        ev.submitted(1),
        ev.approved(2),
        ev.published(10 * HOUR),
        ev.published(20 * HOUR),
      ]),
      trail('b', 'memo', [ev.created(0), ev.submitted(1), ev.approved(2), ev.published(20 * HOUR)]),
      trail('c', 'memo', [ev.created(0), ev.submitted(1)]),
      trail('d', 'pricing', [ev.created(0), ev.published(2 * HOUR)]),
    ]
    const c = cycleTimes(trails, TYPES)
    expect(c.overall.n).toBe(3)
    expect(c.overall.median).toBe(10 * HOUR)
    const memo = c.perType.find((p) => p.type.id === 'memo')!.dist
    expect(memo).toEqual({ n: 2, median: 15 * HOUR, p90: 19 * HOUR })
    expect(c.perType.find((p) => p.type.id === 'pricing')!.dist.median).toBe(2 * HOUR)
  })
})

describe('review rounds and time in review', () => {
  it('ends a round at the approval that reaches the required count, a send-back or a rejection', () => {
    const events = [
      ev.submitted(0),
      ev.approved(1 * HOUR, 'adam'),
      ev.approved(2 * HOUR, 'adam'),
      ev.approved(3 * HOUR, 'amy'),
      ev.reopened(4 * HOUR),
      ev.submitted(5 * HOUR),
      ev.changes(7 * HOUR),
      ev.submitted(8 * HOUR),
      ev.reopened(9 * HOUR),
      ev.submitted(10 * HOUR),
    ]
    const rounds = reviewRounds(events, 2)
    expect(rounds.map((r) => [r.number, r.outcome, r.decidedAt])).toEqual([
      [1, 'approved', 3 * HOUR],
      [2, 'changes_requested', 7 * HOUR],
      [3, 'withdrawn', undefined],
      [4, 'open', undefined],
    ])
  })

  it("measures every decided round, per type, with the type's approval count", () => {
    const trails = [
      trail('a', 'memo', [
        ev.submitted(0),
        ev.changes(2 * HOUR),
        ev.submitted(3 * HOUR),
        ev.approved(7 * HOUR),
      ]),
      trail('b', 'pricing', [ev.submitted(0), ev.approved(1 * HOUR), ev.approved(6 * HOUR, 'amy')]),
      trail('c', 'pricing', [ev.submitted(0), ev.rejected(HOUR)]),
      trail('d', 'memo', [ev.submitted(0)]),
    ]
    const r = timeInReview(trails, TYPES)
    expect(r.overall.n).toBe(4)
    expect(r.perType.find((p) => p.type.id === 'memo')!.dist).toEqual({
      n: 2,
      median: 3 * HOUR,
      p90: 3.8 * HOUR,
    })
    expect(r.perType.find((p) => p.type.id === 'pricing')!.dist.median).toBe(3.5 * HOUR)
  })
})

describe('first-pass approval rate', () => {
  it('is approved in round 1 without changes requested; open first rounds are not counted', () => {
    expect(firstPass(trail('a', 'memo', [ev.submitted(0), ev.approved(1)]))).toBe(true)
    expect(
      firstPass(trail('b', 'memo', [ev.submitted(0), ev.changes(1), ev.submitted(2), ev.approved(3)])),
    ).toBe(false)
    expect(firstPass(trail('c', 'memo', [ev.submitted(0), ev.rejected(1)]))).toBe(false)
    expect(firstPass(trail('d', 'memo', [ev.submitted(0)]))).toBeUndefined()
    expect(firstPass(trail('e', 'memo', [ev.created(0)]))).toBeUndefined()
    // Withdrawn and resubmitted: a later round decides, so it did not pass the first time.
    expect(
      firstPass(trail('f', 'memo', [ev.submitted(0), ev.reopened(1), ev.submitted(2), ev.approved(3)])),
    ).toBe(false)
    // Two approvals required: one is not a decision yet.
    expect(firstPass(trail('g', 'pricing', [ev.submitted(0), ev.approved(1)]), 2)).toBeUndefined()
  })

  it('rates per type and per source model', () => {
    const trails = [
      trail('a', 'memo', [ev.submitted(0), ev.approved(1)], 'gpt-x'),
      trail('b', 'memo', [ev.submitted(0), ev.changes(1)], 'gpt-x'),
      trail('c', 'memo', [ev.submitted(0), ev.approved(1)], 'claude-y'),
      trail('d', 'pricing', [ev.submitted(0), ev.approved(1), ev.approved(2, 'amy')]),
      trail('e', 'pricing', [ev.submitted(0)], 'gpt-x'),
    ]
    const r = firstPassRates(trails, TYPES)
    expect(r.overall).toMatchObject({ passed: 3, decided: 4, rate: 0.75 })
    expect(r.perType.find((p) => p.key === 'memo')).toMatchObject({ passed: 2, decided: 3 })
    expect(r.perType.find((p) => p.key === 'pricing')).toMatchObject({ passed: 1, decided: 1, rate: 1 })
    expect(r.perModel.map((m) => [m.label, m.passed, m.decided])).toEqual([
      ['gpt-x', 1, 2],
      ['claude-y', 1, 1],
      [UNKNOWN_MODEL, 1, 1],
    ])
  })
})

describe('failing checklist items', () => {
  it('counts fail judgements per item and type, most first', () => {
    const trails = [
      trail('a', 'memo', [ev.submitted(0), ev.fail(1, 'facts'), ev.fail(2, 'tone'), ev.fail(3, 'facts')]),
      trail('b', 'memo', [ev.submitted(0), ev.fail(1, 'facts'), ev.pass(2, 'tone')]),
      trail('c', 'pricing', [ev.submitted(0), ev.pass(1, 'facts')]),
    ]
    const f = topFailingItems(trails, TYPES)
    expect(f).toHaveLength(1)
    expect(f[0]!.type.id).toBe('memo')
    expect(f[0]!.items).toEqual([
      { itemId: 'facts', title: 'Facts right', fails: 3, outputs: 2 },
      { itemId: 'tone', title: 'Tone', fails: 1, outputs: 1 },
    ])
    expect(topFailingItems(trails, TYPES, 1)[0]!.items).toHaveLength(1)
  })
})

describe('overdue reviews', () => {
  it("lists in-review outputs past their type's SLA, longest overdue first", () => {
    const now = 100 * HOUR
    const list = overdueReviews(
      [
        summary('1', 'memo', 'in_review', { submittedAt: now - 30 * HOUR }),
        summary('2', 'memo', 'in_review', { submittedAt: now - 10 * HOUR }),
        summary('3', 'pricing', 'in_review', { submittedAt: now - 10 * HOUR }),
        summary('4', 'pricing', 'approved', { submittedAt: 0 }),
        summary('5', 'gone', 'in_review', { submittedAt: 0 }),
      ],
      TYPES,
      now,
    )
    expect(list.map((o) => [o.outputId, o.overdueBy])).toEqual([
      ['1', 6 * HOUR],
      ['3', 6 * HOUR],
    ])
  })
})

describe('computeInsight', () => {
  it('computes trail metrics over the loaded outputs that still exist', () => {
    const insight = computeInsight({
      summaries: [summary('a', 'memo', 'approved'), summary('b', 'memo', 'draft')],
      trails: [
        trail('a', 'memo', [ev.submitted(0), ev.approved(1)]),
        trail('gone', 'memo', [ev.submitted(0), ev.changes(1)]),
      ],
      types: TYPES,
      now: 0,
    })
    expect(insight.basedOn).toBe(1)
    expect(insight.counts.total).toBe(2)
    expect(insight.firstPass.overall).toMatchObject({ passed: 1, decided: 1 })
  })
})
