/**
 * Nobody judges words that others do not see: a copy of an output whose items sit in another
 * order than the team's canonical copy (a crafted edit, issue 13) refuses review actions that
 * name a version, and the canonical copy takes them.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { NOT_CANONICAL, OutputDoc, perform } from '../../../shared/domain/index.ts'
import { canonicalCopy, isCanonical } from '../../../shared/sync/digest.ts'
import { run } from '../relay/crafted-run.ts'
import { setup } from './fixture.ts'

describe('a copy that is not canonical', () => {
  it('refuses judging, approving and sending back; its canonical copy takes them', () => {
    const { ws, out } = setup('internal-summary', 'Notes for the team.')
    expect(perform(ws, out, 'alice', { action: 'submit' }, 3000)).toEqual({ ok: true })
    const judge = { action: 'judge' as const, itemId: 'accurate', verdict: 'pass' as const, note: '' }
    expect(perform(ws, out, 'rita', judge, 3500)).toEqual({ ok: true })
    // The updates a member applied while an attacker's crafted item reached it (seed 67), in
    // the order they arrived: this copy places the item differently from everyone else.
    for (const u of run(67).member1Updates) Y.applyUpdate(out.doc, u, 'relay')
    expect(isCanonical(out.doc)).toBe(false)
    const trail = out.trail.length
    expect(perform(ws, out, 'rita', judge, 3600)).toEqual({ ok: false, reason: NOT_CANONICAL })
    for (const act of [
      { action: 'approve' as const },
      { action: 'request_changes' as const, reasons: ['no'] },
      { action: 'reject' as const, reason: 'no' },
    ]) {
      expect(perform(ws, out, 'adam', act, 4000)).toEqual({ ok: false, reason: NOT_CANONICAL })
    }
    expect(out.trail.length).toBe(trail)

    const team = new OutputDoc(canonicalCopy(out.doc))
    expect(isCanonical(team.doc)).toBe(true)
    expect(perform(ws, team, 'adam', { action: 'approve' }, 4000)).toEqual({ ok: true })
  })

  it('is never reported for honest edits (the domain property tests run every action through the check)', () => {
    const { ws, out } = setup('internal-summary', 'Notes.')
    out.content.insert(0, 'More ')
    expect(isCanonical(out.doc)).toBe(true)
    expect(perform(ws, out, 'alice', { action: 'submit' }, 3000)).toEqual({ ok: true })
  })
})
