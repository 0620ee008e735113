/**
 * A board row is a cache anyone who can write may edit: `verifySummary` checks it against the
 * output's verified trail and rewrites (and marks) a row that claims what the trail does not say.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { OutputDoc, perform, REMOTE, verifySummary } from '../../../shared/domain/index.ts'
import { setup } from './fixture.ts'

function inReview() {
  const ctx = setup('internal-summary', 'Decisions: ship on Friday.')
  expect(perform(ctx.ws, ctx.out, 'alice', { action: 'submit' }, 3000)).toEqual({ ok: true })
  return ctx
}

describe('board rows are checked against trails', () => {
  it('a row forged to say approved is rewritten from the trail and marked with what it claimed', () => {
    const { ws, out } = inReview()
    const row = ws.summary('o1')!
    ws.transact(REMOTE, () => ws.putSummary({ ...row, state: 'approved', approvals: 1 }))
    expect(ws.summary('o1')?.state).toBe('approved')
    const checked = verifySummary(ws, out, 'rita', 5000)
    expect(checked?.claimed).toBe('approved')
    expect(ws.summary('o1')).toMatchObject({
      state: 'in_review',
      approvals: 0,
      corrected: { at: 5000, claimed: 'approved' },
    })
    // Checked again: it holds, nothing is written.
    const before = Y.encodeStateVector(ws.doc)
    expect(verifySummary(ws, out, 'rita', 6000)?.claimed).toBeNull()
    expect(Y.encodeStateVector(ws.doc)).toEqual(before)
  })

  it('an approval rewritten in the trail takes the row out of Approved', () => {
    const { ws, out } = inReview()
    for (const item of ws.types.get('internal-summary')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' }, 3100)
    expect(perform(ws, out, 'adam', { action: 'approve' }, 3200)).toEqual({ ok: true })
    expect(ws.summary('o1')?.state).toBe('approved')
    const trail = out.trail
    const index = trail.toArray().findIndex((e) => (e as { kind: string }).kind === 'approved')
    const approval = trail.get(index) as Record<string, unknown>
    out.transact(REMOTE, () => {
      trail.delete(index, 1)
      trail.insert(index, [{ ...approval, note: 'Checked by legal too.' }])
    })
    // The row still claims approved until somebody checks it.
    expect(ws.summary('o1')?.state).toBe('approved')
    expect(verifySummary(ws, out, 'alice', 7000)?.claimed).toBe('approved')
    expect(ws.summary('o1')?.state).toBe('in_review')
  })

  it('a document that has not arrived yet, or a non-member, checks nothing', () => {
    const { ws } = inReview()
    expect(verifySummary(ws, new OutputDoc(new Y.Doc()), 'rita')).toBeNull()
    const { out } = inReview()
    expect(verifySummary(ws, out, 'ghost')).toBeNull()
  })

  it('the next action writes a row without the marker', () => {
    const { ws, out } = inReview()
    ws.transact(REMOTE, () => ws.putSummary({ ...ws.summary('o1')!, state: 'published' }))
    verifySummary(ws, out, 'rita', 5000)
    expect(ws.summary('o1')?.corrected).toBeDefined()
    perform(ws, out, 'rita', { action: 'request_changes', reasons: ['Shorter'] }, 6000)
    expect(ws.summary('o1')?.state).toBe('changes_requested')
    expect(ws.summary('o1')?.corrected).toBeUndefined()
  })
})
