import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { allTags, groupSummaries, matches, waitingFor } from '../../../../renderer/src/board/filters.ts'
import { readSummaries } from '../../../../renderer/src/board/summaries.ts'
import type { BoardFilters } from '../../../../renderer/src/ui/store.ts'
import { createOutput } from '../../../../shared/domain/actions.ts'
import { localOrigin } from '../../../../shared/domain/origins.ts'
import { OutputDoc } from '../../../../shared/domain/output.ts'
import { SMALL_TEAM_TYPES } from '../../../../shared/domain/templates.ts'
import type { Member, OutputSummary } from '../../../../shared/domain/types.ts'
import { summaryRow } from '../../../support/rows.ts'
import { smallTeamWorkspace } from '../../../support/workspace.ts'

const types = new Map(SMALL_TEAM_TYPES.map((t) => [t.id, t]))
const author: Member = { id: 'ma', name: 'Ada', roles: ['author'], joinedAt: 0 }
const reviewer: Member = { id: 'mr', name: 'Rui', roles: ['reviewer'], joinedAt: 0 }
const approver: Member = { id: 'mp', name: 'Pia', roles: ['approver'], joinedAt: 0 }
const none: BoardFilters = { typeId: null, risk: null, assignee: null, waitingForMe: false }

function s(id: string, patch: Partial<OutputSummary>): OutputSummary {
  return summaryRow({ id, title: id, typeId: 'social-post', authorId: 'ma', ...patch })
}

describe('waiting for me', () => {
  it('is a review for reviewers of the type, not for its author', () => {
    const inReview = s('a', { state: 'in_review' })
    expect(waitingFor(inReview, reviewer, types.get('social-post'))).toBe(true)
    expect(waitingFor(inReview, author, types.get('social-post'))).toBe(false)
    // Customer emails need an approver: a reviewer is still asked (they can judge the checklist).
    expect(
      waitingFor(
        s('b', { state: 'in_review', typeId: 'customer-email' }),
        approver,
        types.get('customer-email'),
      ),
    ).toBe(true)
  })

  it('is a sent-back or stale output for its author and assignees', () => {
    expect(waitingFor(s('c', { state: 'changes_requested' }), author, undefined)).toBe(true)
    expect(waitingFor(s('c', { state: 'changes_requested' }), reviewer, undefined)).toBe(false)
    expect(waitingFor(s('d', { state: 'approved_stale', assignees: ['mr'] }), reviewer, undefined)).toBe(true)
    expect(waitingFor(s('e', { state: 'draft' }), author, undefined)).toBe(false)
  })
})

describe('filters and grouping', () => {
  const all = [
    s('draft1', { updatedAt: 1 }),
    s('draft2', { updatedAt: 5, typeId: 'pricing-update' }),
    s('rev-old', { state: 'in_review', submittedAt: 1, updatedAt: 9 }),
    s('rev-new', { state: 'in_review', submittedAt: 8, updatedAt: 8, assignees: ['mr'] }),
    s('stale', { state: 'approved_stale' }),
    s('gone', { state: 'archived' }),
  ]
  const ctx = { me: reviewer, types }

  it('groups by column, newest first, longest waiting first in review, closed hidden', () => {
    const g = groupSummaries(all, none, ctx)
    expect(g.get('draft')?.map((x) => x.id)).toEqual(['draft2', 'draft1'])
    expect(g.get('in_review')?.map((x) => x.id)).toEqual(['rev-old', 'rev-new'])
    expect(g.get('approved')?.map((x) => x.id)).toEqual(['stale'])
    expect(g.get('closed')).toBeUndefined()
  })

  it('filters by type, risk, person, states and waiting for me', () => {
    expect(
      all.filter((x) => matches(x, { ...none, typeId: 'pricing-update' }, ctx)).map((x) => x.id),
    ).toEqual(['draft2'])
    expect(all.filter((x) => matches(x, { ...none, risk: 'critical' }, ctx)).map((x) => x.id)).toEqual([
      'draft2',
    ])
    expect(all.filter((x) => matches(x, { ...none, assignee: 'mr' }, ctx)).map((x) => x.id)).toEqual([
      'rev-new',
    ])
    expect(all.filter((x) => matches(x, { ...none, states: ['archived'] }, ctx)).map((x) => x.id)).toEqual([
      'gone',
    ])
    expect(all.filter((x) => matches(x, { ...none, waitingForMe: true }, ctx)).map((x) => x.id)).toEqual([
      'rev-old',
      'rev-new',
    ])
  })
})

describe('tags (issue 12 #7)', () => {
  it('filter the board by tag and list every tag once', () => {
    const a = s('o1', { tags: ['launch', 'q3'] })
    const b = s('o2', { tags: ['q3'] })
    const c = s('o3', { tags: [] })
    const ctx = { me: author, types }
    expect([a, b, c].filter((x) => matches(x, { ...none, tag: 'launch' }, ctx)).map((x) => x.id)).toEqual([
      'o1',
    ])
    expect([a, b, c].filter((x) => matches(x, { ...none, tag: 'q3' }, ctx)).map((x) => x.id)).toEqual([
      'o1',
      'o2',
    ])
    expect([a, b, c].filter((x) => matches(x, none, ctx))).toHaveLength(3)
    expect(allTags([a, b, c])).toEqual(['launch', 'q3'])
  })
})

describe('reading summaries', () => {
  it('reads real rows, skips junk, and returns the same array until a row changes', () => {
    const doc = new Y.Doc()
    const ws = smallTeamWorkspace(doc, 'w1', 'W', { id: 'ma', name: 'Ada' })
    createOutput(ws, new OutputDoc(new Y.Doc()), {
      id: 'o1',
      title: 'One',
      typeId: 'social-post',
      content: 'x',
      authorId: 'ma',
    })
    ws.transact(localOrigin('ma'), () => ws.summaries.set('junk', { nope: true }))
    const first = readSummaries(ws)
    expect(first.map((x) => x.id)).toEqual(['o1'])
    expect(readSummaries(ws)).toBe(first)
    createOutput(ws, new OutputDoc(new Y.Doc()), {
      id: 'o2',
      title: 'Two',
      typeId: 'social-post',
      content: 'y',
      authorId: 'ma',
    })
    const second = readSummaries(ws)
    expect(second).not.toBe(first)
    expect(second.map((x) => x.id).sort()).toEqual(['o1', 'o2'])
    expect(second.find((x) => x.id === 'o1')).toBe(first[0])
  })
})
