import { describe, expect, it } from 'vitest'
import { parseTrailEvent, type TrailEvent } from '../../../shared/domain/trail.ts'

const base = { id: 'e1', v: 1, actor: 'alice', at: 1000 }
const H = 'a'.repeat(64)
const valid: Record<TrailEvent['kind'], Record<string, unknown>> = {
  created: { title: 'T', typeId: 't', contentHash: H },
  edited: { contentHash: H, summary: '+1', inserted: 1, deleted: 0 },
  submitted: { contentHash: H },
  new_round: { contentHash: H, policy: 'p1', reason: 'rules changed' },
  new_version: { contentHash: H, reason: 'fix a typo' },
  judged: { contentHash: H, itemId: 'i1', verdict: 'pass', note: '' },
  approved: { contentHash: H, note: '' },
  auto_approved: { contentHash: H, checks: '{}' },
  changes_requested: { contentHash: H, reasons: ['x'] },
  rejected: { contentHash: H, reason: 'no' },
  reopened: { reason: 'again' },
  assigned: { assignee: 'rita', reason: 'auto', round: 1 },
  archived: { reason: 'old' },
  publish_scheduled: { contentHash: H, destinationId: 'd', scheduleId: 's', runAt: 5 },
  publish_unscheduled: { scheduleId: 's', reason: 'no' },
  publish_claimed: { contentHash: H, destinationId: 'd', attemptId: 'a' },
  published: { contentHash: H, destinationId: 'd', attemptId: 'a', receipt: { path: '/x' } },
  publish_failed: { contentHash: H, destinationId: 'd', attemptId: 'a', error: 'e', retryable: true },
}

describe('parseTrailEvent', () => {
  it('returns a well-formed event of every kind as the value itself, unknown fields kept', () => {
    for (const [kind, fields] of Object.entries(valid)) {
      const raw = { ...base, kind, ...fields, future: { x: 1 }, prev: 'e0:abc', sig: 'k.s' }
      expect(parseTrailEvent(raw), kind).toBe(raw)
    }
  })

  it('says what is wrong with the common fields first', () => {
    expect(parseTrailEvent(null)).toBe('not an object')
    expect(parseTrailEvent([])).toBe('not an object')
    expect(parseTrailEvent({ junk: true })).toBe('missing id')
    expect(parseTrailEvent({ ...base, v: 2, kind: 'nope' })).toBe('unsupported event version 2')
    expect(parseTrailEvent({ ...base, actor: '', kind: 'reopened', reason: '' })).toBe('missing actor')
    expect(parseTrailEvent({ ...base, at: Number.POSITIVE_INFINITY, kind: 'reopened', reason: '' })).toBe(
      'missing time',
    )
    expect(parseTrailEvent({ ...base, sig: 7, kind: 'reopened', reason: '' })).toBe('malformed sig')
    expect(parseTrailEvent({ ...base, kind: 'nope' })).toBe('unknown event kind "nope"')
  })

  it('says which part of a kind is missing or malformed, in the sentences it always used', () => {
    expect(parseTrailEvent({ ...base, kind: 'created', title: 'T', typeId: 't' })).toBe(
      'created: missing title, type or hash',
    )
    expect(parseTrailEvent({ ...base, kind: 'judged', ...valid.judged, verdict: 'maybe' })).toBe(
      'judged: unknown verdict',
    )
    expect(parseTrailEvent({ ...base, kind: 'assigned', ...valid.assigned, round: 0 })).toBe(
      'assigned: malformed round',
    )
    expect(parseTrailEvent({ ...base, kind: 'published', ...valid.published, receipt: [] })).toBe(
      'published: missing receipt',
    )
    expect(
      parseTrailEvent({ ...base, kind: 'publish_failed', ...valid.publish_failed, retryable: 'y' }),
    ).toBe('publish failed: missing error')
    expect(
      parseTrailEvent({ ...base, kind: 'publish_claimed', ...valid.publish_claimed, attemptId: '' }),
    ).toBe('publish_claimed: missing hash, destination or attempt')
    expect(parseTrailEvent({ ...base, kind: 'published', ...valid.published, scheduleId: 3 })).toBe(
      'published: malformed schedule',
    )
  })

  it('still counts a published event whose note is junk, as before the schema', () => {
    const raw = { ...base, kind: 'published', ...valid.published, note: 42 }
    expect(parseTrailEvent(raw)).toBe(raw)
  })
})

describe('OutputDoc.readMeta', () => {
  it('reads junk metadata from a peer as the defaults, field by field', async () => {
    const Y = await import('yjs')
    const { OutputDoc } = await import('../../../shared/domain/output.ts')
    const out = new OutputDoc(new Y.Doc())
    out.meta.set('id', 'o1')
    out.meta.set('title', 42)
    out.meta.set('typeId', 't1')
    out.meta.set('source', { model: 'm', tool: 7 })
    out.meta.set('assignees', ['a', 3, 'b'])
    out.meta.set('tags', 'x')
    out.meta.set('dueDate', 5)
    out.meta.set('createdAt', '2025')
    expect(out.readMeta()).toEqual({
      id: 'o1',
      workspaceId: '',
      title: 'Untitled',
      typeId: 't1',
      authorId: '',
      source: { model: 'm' },
      assignees: ['a', 'b'],
      tags: [],
      createdAt: 0,
    })
    out.meta.set('dueDate', '2025-01-01')
    out.meta.set('createdAt', 9)
    expect(out.readMeta()).toMatchObject({ dueDate: '2025-01-01', createdAt: 9 })
  })
})
