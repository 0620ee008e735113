import { describe, expect, it } from 'vitest'
import {
  approveOutput,
  contentLock,
  deriveOutput,
  newVersionWarning,
  parseTrailEvent,
  perform,
} from '../../../shared/domain/index.ts'
import { edit, passAll, setup } from '../domain/fixture.ts'

/** Submit and pass the whole checklist as Rita, so only approvals are missing. */
function ready(typeId: string) {
  const { ws, out } = setup(typeId)
  expect(perform(ws, out, 'alice', { action: 'submit' })).toEqual({ ok: true })
  for (const j of passAll(ws, out, 'rita'))
    expect(perform(ws, out, 'rita', { action: 'judge', itemId: j.itemId, verdict: 'pass' })).toEqual({
      ok: true,
    })
  return { ws, out }
}

describe('approvals that mean something', () => {
  it('a high or critical output is approved only with its current version open, and the approval records it', () => {
    const { ws, out } = ready('pricing-update')
    const unseen = approveOutput(ws, out, 'adam', {})
    expect(unseen.ok).toBe(false)
    expect(!unseen.ok && unseen.reason).toMatch(/^Open it to approve: Pricing update is a critical-risk type/)
    // The version the approver opened, before someone changed the text.
    const stale = approveOutput(ws, out, 'adam', { viewed: 'a-version-before-an-edit' })
    expect(!stale.ok && stale.reason).toMatch(/content changed since you opened it/)
    expect(approveOutput(ws, out, 'adam', { viewed: out.hash() })).toEqual({ ok: true })
    const last = out.trail.get(out.trail.length - 1) as { kind: string; viewed?: string }
    expect(last).toMatchObject({ kind: 'approved', viewed: out.hash() })
    expect(deriveOutput(ws, out).derived.approvals.map((a) => a.memberId)).toEqual(['adam'])
  })

  it('a low-risk output may be approved from the board, unopened', () => {
    const { ws, out } = ready('internal-summary')
    expect(approveOutput(ws, out, 'adam', {})).toEqual({ ok: true })
  })

  it('a malformed viewed version is not counted', () => {
    const e = {
      id: 'e1',
      v: 1,
      actor: 'adam',
      at: 1,
      kind: 'approved',
      contentHash: 'h',
      note: '',
      viewed: 7,
    }
    expect(parseTrailEvent(e)).toBe('approved: malformed viewed version')
  })
})

describe('approved content is locked', () => {
  it('locks approved and published content and names the approvals an edit voids', () => {
    const { ws, out } = ready('pricing-update')
    let { input, derived } = deriveOutput(ws, out)
    expect(contentLock(derived, input).locked).toBe(false)
    approveOutput(ws, out, 'adam', { viewed: out.hash() })
    approveOutput(ws, out, 'amy', { viewed: out.hash() })
    ;({ input, derived } = deriveOutput(ws, out))
    const lock = contentLock(derived, input)
    expect(lock).toMatchObject({ locked: true, voids: ['Adam', 'Amy'], published: false })
    expect(newVersionWarning(lock)).toBe(
      'Editing starts a new version: the approvals of Adam and Amy will no longer count, and it must be approved again.',
    )
    // A teammate's edit still lands (the lock is the app's, not the document's): stale, unlocked.
    edit(out, 'alice', ' Typo fixed.')
    ;({ input, derived } = deriveOutput(ws, out))
    expect(derived.state).toBe('approved_stale')
    expect(contentLock(derived, input).locked).toBe(false)
  })
})
