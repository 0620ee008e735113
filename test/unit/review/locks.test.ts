import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  approveOutput,
  contentLock,
  deriveOutput,
  editVoidsWarning,
  localOrigin,
  newVersionWarning,
  OutputDoc,
  parseTrailEvent,
  perform,
  recordEdit,
  startNewVersion,
  Workspace,
} from '../../../shared/domain/index.ts'
import { restoreVersion } from '../../../shared/trace/restore.ts'
import { enrollAll } from '../../support/keys.ts'
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

  it('before an edit voids approvals given in review, the editor is told whose', () => {
    const { ws, out } = ready('pricing-update')
    const warning = (who: string) => {
      const { derived, input } = deriveOutput(ws, out)
      return editVoidsWarning(derived, input, who)
    }
    expect(warning('alice')).toBeNull()
    expect(approveOutput(ws, out, 'adam', { viewed: out.hash() })).toEqual({ ok: true })
    expect(warning('alice')).toBe(
      'Adam approved this version (1 of 2). An edit now makes that approval stale: it must be given again on the new words.',
    )
    expect(warning('adam')).toMatch(
      /^You approved this version \(1 of 2\)\. An edit now makes that approval stale/,
    )
    // Once the edit is made, nothing is left to warn about.
    edit(out, 'alice', ' Taxes extra.')
    expect(warning('alice')).toBeNull()
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
    // A teammate's edit still lands, but without "Start a new version" it voids nothing: the
    // approved version stays approved and locked, and the change is shown as unapproved.
    const approvedHash = out.hash()
    edit(out, 'alice', ' Typo fixed.')
    ;({ input, derived } = deriveOutput(ws, out))
    expect(derived.state).toBe('approved')
    expect(derived.approvedHash).toBe(approvedHash)
    expect(derived.approvals.map((a) => a.memberId)).toEqual(['adam', 'amy'])
    expect(derived.unapprovedChange).toMatchObject({ approvedHash, currentHash: out.hash() })
    const changed = contentLock(derived, input)
    expect(changed.locked).toBe(true)
    expect(changed.reason).toMatch(/changed after approval without “Start a new version”/)
    // Starting a new version keeps the change and voids the approvals: stale, unlocked.
    expect(startNewVersion(ws, out, 'alice', { reason: 'keep the typo fix' })).toEqual({ ok: true })
    ;({ input, derived } = deriveOutput(ws, out))
    expect(derived.state).toBe('approved_stale')
    expect(derived.unapprovedChange).toBeUndefined()
    expect(contentLock(derived, input).locked).toBe(false)
    expect(out.rawTrail().at(-1)).toMatchObject({
      kind: 'new_version',
      contentHash: approvedHash,
      actor: 'alice',
    })
  })

  it('"Start a new version" then an edit voids the approvals; without the edit nothing changes', () => {
    const { ws, out } = approvedPricing()
    expect(startNewVersion(ws, out, 'alice', {})).toEqual({ ok: true })
    let { input, derived } = deriveOutput(ws, out)
    expect(derived.state).toBe('approved')
    expect(contentLock(derived, input).locked).toBe(false)
    edit(out, 'alice', ' v2')
    ;({ input, derived } = deriveOutput(ws, out))
    expect(derived.state).toBe('approved_stale')
    expect(derived.approvals).toEqual([])
  })

  it('a forged or premature "new version" counts for nothing', () => {
    const { ws, out } = ready('pricing-update')
    // Nothing approved yet: there is nothing to open, so the event is a problem and nothing is opened.
    out.transact(localOrigin('alice'), () =>
      out.append(
        { id: 'nv1', v: 1, actor: 'alice', at: 5, kind: 'new_version', contentHash: out.hash(), reason: '' },
        ws.signerFor('alice'),
      ),
    )
    approveOutput(ws, out, 'adam', { viewed: out.hash() })
    approveOutput(ws, out, 'amy', { viewed: out.hash() })
    edit(out, 'alice', ' sneaky')
    const { derived } = deriveOutput(ws, out)
    expect(derived.problems.map((p) => p.reason).join()).toMatch(/new_version by alice: nobody had approved/)
    expect(derived.state).toBe('approved')
    expect(derived.unapprovedChange).toBeDefined()
  })

  it('restoring another version of a locked output needs a confirmed new version; the approved one needs none', () => {
    const { ws, out } = setup('pricing-update')
    const draft = out.text()
    const draftHash = out.hash()
    const beforeEdit = out.text()
    edit(out, 'alice', ' Final.')
    expect(recordEdit(ws, out, 'alice', beforeEdit)).toBe(true)
    expect(perform(ws, out, 'alice', { action: 'submit' })).toEqual({ ok: true })
    for (const j of passAll(ws, out, 'rita'))
      expect(perform(ws, out, 'rita', { action: 'judge', itemId: j.itemId, verdict: 'pass' }).ok).toBe(true)
    approveOutput(ws, out, 'adam', { viewed: out.hash() })
    approveOutput(ws, out, 'amy', { viewed: out.hash() })
    const approvedHash = out.hash()
    const approvedText = out.text()
    edit(out, 'alice', ' unapproved')
    // Going back to the approved bytes discards the unapproved change and voids nothing.
    expect(restoreVersion(ws, out, 'alice', approvedHash)).toEqual({ ok: true })
    expect(out.text()).toBe(approvedText)
    expect(deriveOutput(ws, out).derived).toMatchObject({ state: 'approved', approvedHash })
    expect(deriveOutput(ws, out).derived.unapprovedChange).toBeUndefined()
    // Going back to the draft is a new version: refused with the approvals named, until confirmed.
    const unconfirmed = restoreVersion(ws, out, 'alice', draftHash)
    expect(!unconfirmed.ok && unconfirmed.reason).toMatch(
      /Restoring another version starts a new version: .*Adam and Amy will no longer count/,
    )
    expect(out.text()).toBe(approvedText)
    expect(restoreVersion(ws, out, 'alice', draftHash, Date.now(), { newVersion: true })).toEqual({
      ok: true,
    })
    expect(out.text()).toBe(draft)
    expect(deriveOutput(ws, out).derived.state).toBe('approved_stale')
    expect(
      out
        .rawTrail()
        .slice(-2)
        .map((e) => (e as { kind: string }).kind),
    ).toEqual(['new_version', 'edited'])
  })
})

/** Approved by Adam and Amy on its current content. */
function approvedPricing() {
  const { ws, out } = ready('pricing-update')
  expect(approveOutput(ws, out, 'adam', { viewed: out.hash() })).toEqual({ ok: true })
  expect(approveOutput(ws, out, 'amy', { viewed: out.hash() })).toEqual({ ok: true })
  return { ws, out }
}

describe('two offline peers: an edit to approved content merged with the approval', () => {
  /** A copy of the workspace and output as another member's device holds it. */
  function peerOf(ws: Workspace, out: OutputDoc) {
    const w = enrollAll(new Workspace(cloneDoc(ws.doc)))
    return { w, o: new OutputDoc(cloneDoc(out.doc)) }
  }
  const cloneDoc = (doc: Y.Doc) => {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    return copy
  }
  const summary = (p: { w: Workspace; o: OutputDoc }) => {
    const { derived } = deriveOutput(p.w, p.o)
    return {
      state: derived.state,
      approvedHash: derived.approvedHash,
      approvals: derived.approvals.map((a) => a.memberId),
      change: derived.unapprovedChange,
      text: p.o.text(),
    }
  }

  for (const order of ['author first', 'approver first'] as const) {
    it(`keeps the approval and flags the author's offline edit (${order})`, () => {
      const { ws, out } = ready('pricing-update')
      expect(approveOutput(ws, out, 'adam', { viewed: out.hash() })).toEqual({ ok: true })
      const author = peerOf(ws, out)
      const approver = peerOf(ws, out)
      const approvedHash = out.hash()
      // Offline: Amy gives the second approval; Alice, not knowing, fixes a typo and it is recorded.
      expect(approveOutput(approver.w, approver.o, 'amy', { viewed: approvedHash })).toEqual({ ok: true })
      const before = author.o.text()
      edit(author.o, 'alice', ' (typo fix)')
      expect(recordEdit(author.w, author.o, 'alice', before)).toBe(true)
      // Back online: the updates are delivered in either order.
      const [first, second] = order === 'author first' ? [author, approver] : [approver, author]
      Y.applyUpdate(second.o.doc, Y.encodeStateAsUpdate(first.o.doc))
      Y.applyUpdate(first.o.doc, Y.encodeStateAsUpdate(second.o.doc))
      const a = summary(author)
      expect(summary(approver)).toEqual(a)
      expect(a.state).toBe('approved')
      expect(a.approvedHash).toBe(approvedHash)
      expect(a.approvals).toEqual(['adam', 'amy'])
      expect(a.text).toMatch(/\(typo fix\)$/)
      expect(a.change).toEqual({ approvedHash, currentHash: author.o.hash(), editors: ['alice'] })
      // Alice then starts a new version on her copy: the approvals are voided everywhere.
      expect(startNewVersion(author.w, author.o, 'alice', {})).toEqual({ ok: true })
      Y.applyUpdate(approver.o.doc, Y.encodeStateAsUpdate(author.o.doc))
      expect(summary(approver).state).toBe('approved_stale')
      expect(summary(author).state).toBe('approved_stale')
    })
  }

  it('a new version started offline on one copy and an approval on another merge to the same state', () => {
    const { ws, out } = approvedPricing()
    const a = peerOf(ws, out)
    const b = peerOf(ws, out)
    expect(startNewVersion(a.w, a.o, 'alice', {})).toEqual({ ok: true })
    edit(a.o, 'alice', ' v2')
    edit(b.o, 'otto', ' other')
    Y.applyUpdate(a.o.doc, Y.encodeStateAsUpdate(b.o.doc))
    Y.applyUpdate(b.o.doc, Y.encodeStateAsUpdate(a.o.doc))
    expect(summary(a)).toEqual(summary(b))
    // The version was opened by Alice's signed event: both changes stand, the approvals are stale.
    expect(summary(a).state).toBe('approved_stale')
  })
})
