/**
 * Bad input from other peers: trails arrive from documents anyone in the workspace (or an older or
 * buggy client) wrote. Derivation never throws on them, reports what it ignored, and still counts
 * everything that is well-formed (bad rows: bad-rows.test.ts).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { derive } from '../../../shared/domain/index.ts'
import { expectStillApproved, GOOD, goodTrail, HASH, input, interleave, TYPE } from './bad-trail.ts'

describe('a trail with bad events', () => {
  it('the well-formed trail on its own is approved with no problems', () => {
    const d = derive(input(goodTrail()))
    expect(d.state).toBe('approved')
    expect(d.problems).toEqual([])
  })

  it('an event of an unknown kind is reported by index and id, and the rest still counts', () => {
    const { trail, junkAt } = interleave({ id: 'x1', v: 1, kind: 'teleported', actor: 'adam', at: 5 })
    const d = expectStillApproved(trail)
    expect(d.problems.map((p) => p.index)).toEqual(junkAt)
    expect(d.problems[0]).toEqual({ index: 0, eventId: 'x1', reason: 'unknown event kind "teleported"' })
    // The same id appears again and again: after the first it is reported as unknown, never as a duplicate,
    // because ignored events do not claim their id.
    expect(d.problems.every((p) => p.reason.startsWith('unknown event kind'))).toBe(true)
  })

  it('an event with no kind at all is reported as unknown', () => {
    const d = expectStillApproved([{ id: 'x', v: 1, actor: 'adam', at: 1 }, ...goodTrail()])
    expect(d.problems).toEqual([{ index: 0, eventId: 'x', reason: 'unknown event kind undefined' }])
  })

  const base = { v: 1, actor: 'adam', at: 1 }
  const missing: [string, Record<string, unknown>, RegExp][] = [
    ['no id', { ...base, kind: 'approved', contentHash: HASH, note: '' }, /missing id/],
    ['an empty id', { ...base, id: '', kind: 'approved', contentHash: HASH, note: '' }, /missing id/],
    ['no actor', { id: 'x', v: 1, at: 1, kind: 'approved', contentHash: HASH, note: '' }, /missing actor/],
    [
      'no time',
      { id: 'x', v: 1, actor: 'adam', kind: 'approved', contentHash: HASH, note: '' },
      /missing time/,
    ],
    [
      'created without a title',
      { ...base, id: 'x', kind: 'created', typeId: 't', contentHash: HASH },
      /created:/,
    ],
    [
      'created without a type',
      { ...base, id: 'x', kind: 'created', title: 't', contentHash: HASH },
      /created:/,
    ],
    ['created without a hash', { ...base, id: 'x', kind: 'created', title: 't', typeId: 't' }, /created:/],
    [
      'edited without a hash',
      { ...base, id: 'x', kind: 'edited', summary: '', inserted: 1, deleted: 0 },
      /edited:/,
    ],
    [
      'edited without a summary',
      { ...base, id: 'x', kind: 'edited', contentHash: HASH, inserted: 1, deleted: 0 },
      /edited:/,
    ],
    [
      'edited without counts',
      { ...base, id: 'x', kind: 'edited', contentHash: HASH, summary: '+1' },
      /edited: missing hash or summary/,
    ],
    ['submitted without a hash', { ...base, id: 'x', kind: 'submitted' }, /submitted: missing content hash/],
    [
      'judged without a hash',
      { ...base, id: 'x', kind: 'judged', itemId: 'scope', verdict: 'pass', note: '' },
      /judged: missing content hash/,
    ],
    [
      'judged without an item',
      { ...base, id: 'x', kind: 'judged', contentHash: HASH, verdict: 'pass', note: '' },
      /judged: missing checklist item/,
    ],
    [
      'judged without a verdict',
      { ...base, id: 'x', kind: 'judged', contentHash: HASH, itemId: 'scope', note: '' },
      /judged: unknown verdict/,
    ],
    [
      'judged without a note',
      { ...base, id: 'x', kind: 'judged', contentHash: HASH, itemId: 'scope', verdict: 'pass' },
      /judged: missing note/,
    ],
    [
      'approved without a hash',
      { ...base, id: 'x', kind: 'approved', note: '' },
      /approved: missing content hash/,
    ],
    ['approved without a note', { ...base, id: 'x', kind: 'approved', contentHash: HASH }, /approved:/],
    [
      'changes requested without a hash',
      { ...base, id: 'x', kind: 'changes_requested', reasons: ['r'] },
      /changes requested: missing content hash/,
    ],
    [
      'changes requested without reasons',
      { ...base, id: 'x', kind: 'changes_requested', contentHash: HASH },
      /changes requested: malformed reasons/,
    ],
    ['rejected without a hash', { ...base, id: 'x', kind: 'rejected', reason: 'r' }, /rejected:/],
    ['rejected without a reason', { ...base, id: 'x', kind: 'rejected', contentHash: HASH }, /rejected:/],
    ['reopened without a reason', { ...base, id: 'x', kind: 'reopened' }, /reopened: missing reason/],
    ['archived without a reason', { ...base, id: 'x', kind: 'archived' }, /archived: missing reason/],
  ]
  it.each(missing)('an event with %s is reported and ignored', (_, bad, reason) => {
    const trail = [...goodTrail()]
    trail.splice(3, 0, bad)
    const d = expectStillApproved(trail)
    expect(d.problems).toHaveLength(1)
    expect(d.problems[0]!.index).toBe(3)
    expect(d.problems[0]!.reason).toMatch(reason)
  })
})

describe('a trail with events of the wrong shape', () => {
  /** rita's "changes requested" with the given reasons, right in every other field. */
  const sentBackWith = (reasons: unknown) => ({
    id: 'x',
    v: 1,
    actor: 'rita',
    at: 1,
    kind: 'changes_requested',
    contentHash: HASH,
    reasons,
  })
  const wrongTypes: [string, Record<string, unknown>, RegExp][] = [
    ['a time given as text', { id: 'x', v: 1, actor: 'adam', at: '2025-01-01' }, /missing time/],
    ['a time that is not finite', { id: 'x', v: 1, actor: 'adam', at: Number.NaN }, /missing time/],
    ['a numeric id', { id: 7, v: 1, actor: 'adam', at: 1 }, /missing id/],
    ['an actor that is an object', { id: 'x', v: 1, actor: { id: 'adam' }, at: 1 }, /missing actor/],
    ['a non-string prev', { id: 'x', v: 1, actor: 'adam', at: 1, prev: 1 }, /malformed prev/],
    ['a non-string signature', { id: 'x', v: 1, actor: 'adam', at: 1, sig: [] }, /malformed sig/],
    [
      'an unknown verdict',
      {
        id: 'x',
        v: 1,
        actor: 'rita',
        at: 1,
        kind: 'judged',
        contentHash: HASH,
        itemId: 'scope',
        verdict: 'ok',
      },
      /unknown verdict/,
    ],
    ['reasons given as one string', sentBackWith('fix it'), /malformed reasons/],
    ['reasons that are not all text', sentBackWith(['a', 2]), /malformed reasons/],
    [
      'a numeric content hash',
      { id: 'x', v: 1, actor: 'adam', at: 1, kind: 'approved', contentHash: 42, note: '' },
      /missing content hash/,
    ],
    [
      'an empty content hash',
      { id: 'x', v: 1, actor: 'adam', at: 1, kind: 'approved', contentHash: '', note: '' },
      /missing content hash/,
    ],
    [
      'an absurdly long content hash',
      { id: 'x', v: 1, actor: 'adam', at: 1, kind: 'approved', contentHash: 'f'.repeat(500), note: '' },
      /missing content hash/,
    ],
    [
      'edit counts given as text',
      {
        id: 'x',
        v: 1,
        actor: 'alice',
        at: 1,
        kind: 'edited',
        contentHash: HASH,
        summary: '',
        inserted: '1',
        deleted: 0,
      },
      /edited:/,
    ],
  ]
  it.each(wrongTypes)('an event with %s is reported and ignored', (_, bad, reason) => {
    const d = expectStillApproved([...goodTrail(), { kind: 'approved', ...bad }])
    expect(d.problems).toEqual([
      {
        index: GOOD,
        ...(typeof bad.id === 'string' ? { eventId: 'x' } : {}),
        reason: expect.stringMatching(reason),
      },
    ])
  })

  it.each([
    ['2', 2],
    ['"1" as text', '1'],
    ['missing', undefined],
    ['0', 0],
  ])('an event of schema version %s is reported as unsupported', (_, v) => {
    const forged = { id: 'x', v, kind: 'approved', actor: 'adam', at: 1, contentHash: HASH, note: '' }
    const d = expectStillApproved([...goodTrail(), forged])
    expect(d.problems).toEqual([
      { index: GOOD, eventId: 'x', reason: `unsupported event version ${String(v)}` },
    ])
  })
})

describe('a trail with events that must not count', () => {
  it('a second event with an id already counted is reported as a duplicate and ignored', () => {
    const trail = goodTrail()
    const approval = trail.at(-1)!
    // A replay of the approval under the same id, and a different event reusing that id.
    trail.push({ ...approval }, { ...approval, kind: 'rejected', reason: 'no', note: undefined })
    const d = expectStillApproved(trail)
    expect(d.problems).toEqual([
      { index: GOOD, eventId: approval.id, reason: 'duplicate event id' },
      { index: GOOD + 1, eventId: approval.id, reason: 'duplicate event id' },
    ])
  })

  it('an event from somebody who is not a member is reported and does not count', () => {
    const trail = goodTrail()
    const d0 = derive(input(trail.slice(0, -1)))
    expect(d0.state).toBe('in_review')
    // Mallory "approves" and "rejects"; neither counts, and Adam's real approval still does.
    trail.splice(
      -1,
      0,
      { id: 'm1', v: 1, kind: 'approved', actor: 'mallory', at: 5, contentHash: HASH, note: '' },
      { id: 'm2', v: 1, kind: 'rejected', actor: 'mallory', at: 6, contentHash: HASH, reason: 'mine' },
      {
        id: 'm3',
        v: 1,
        kind: 'created',
        actor: 'mallory',
        at: 7,
        title: 't',
        typeId: TYPE.id,
        contentHash: HASH,
      },
    )
    const d = expectStillApproved(trail)
    expect(d.problems).toEqual([
      {
        index: GOOD - 1,
        eventId: 'm1',
        reason: 'approved by mallory: They are not a member of this workspace.',
      },
      { index: GOOD, eventId: 'm2', reason: 'rejected by mallory: They are not a member of this workspace.' },
      {
        index: GOOD + 1,
        eventId: 'm3',
        reason: 'created by mallory: They are not a member of this workspace.',
      },
    ])
  })

  it('a judgement of an item the type does not have is reported', () => {
    const trail = goodTrail()
    trail.push({
      id: 'j',
      v: 1,
      kind: 'judged',
      actor: 'rita',
      at: 9,
      contentHash: HASH,
      itemId: 'vibes',
      verdict: 'fail',
      note: 'meh',
    })
    const d = expectStillApproved(trail)
    expect(d.problems).toEqual([
      { index: GOOD, eventId: 'j', reason: 'judged an unknown checklist item vibes' },
    ])
  })

  it.each([
    ['null', null],
    ['a number', 42],
    ['an array', ['approved', 'adam']],
    ['a string', 'approved'],
    ['a boolean', true],
    ['undefined', undefined],
  ])('junk (%s) between the events is reported as "not an object"', (_, junk) => {
    const { trail, junkAt } = interleave(junk)
    const d = expectStillApproved(trail)
    expect(d.problems).toEqual(junkAt.map((index) => ({ index, reason: 'not an object' })))
  })

  it('an empty object is reported as missing its id', () => {
    const d = expectStillApproved([{}, ...goodTrail()])
    expect(d.problems).toEqual([{ index: 0, reason: 'missing id' }])
  })

  it('whatever values are mixed into a trail, derivation never throws and the good events still count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(8), fc.anything({ withNullPrototype: true, withBigInt: true })), {
          maxLength: 12,
        }),
        (inserts) => {
          const trail: unknown[] = goodTrail()
          // Insert from the back so earlier positions stay meaningful.
          for (const [at, junk] of [...inserts].sort((a, b) => b[0] - a[0])) trail.splice(at, 0, junk)
          const d = expectStillApproved(trail)
          expect(d.problems).toHaveLength(inserts.length)
          for (const p of d.problems) expect(p.reason.length).toBeGreaterThan(0)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('an event that is well-formed but not allowed where it stands is reported with the rule it broke', () => {
    const trail = goodTrail()
    trail.splice(2, 0, {
      id: 'early',
      v: 1,
      kind: 'approved',
      actor: 'rita',
      at: 3,
      contentHash: HASH,
      note: '',
    })
    const d = expectStillApproved(trail)
    expect(d.problems).toEqual([
      {
        index: 2,
        eventId: 'early',
        reason:
          'approved by rita: Client proposal outputs need an approval from an approver or admin; rita is not one.',
      },
    ])
  })
})
