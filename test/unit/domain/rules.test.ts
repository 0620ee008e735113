import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  allowedActions,
  approverShortfall,
  createOutput,
  deriveOutput,
  localOrigin,
  OutputDoc,
  perform,
  recordEdit,
  reviewDecision,
  startNewVersion,
} from '../../../shared/domain/index.ts'
import { changeRole } from '../../../shared/domain/member-actions.ts'
import { edit, passAll, setup } from './fixture.ts'

function judgeAll(ws: ReturnType<typeof setup>['ws'], out: ReturnType<typeof setup>['out'], who: string) {
  for (const item of ws.types.get(out.readMeta().typeId)!.checklist) {
    expect(perform(ws, out, who, { action: 'judge', itemId: item.id, verdict: 'pass' })).toEqual({ ok: true })
  }
}
const state = (ws: ReturnType<typeof setup>['ws'], out: ReturnType<typeof setup>['out']) =>
  deriveOutput(ws, out).derived

describe('review lifecycle', () => {
  it('a new output is a draft with its checklist unjudged', () => {
    const { ws, out } = setup()
    const d = state(ws, out)
    expect(d.state).toBe('draft')
    expect(d.checklistDone).toBe(0)
    expect(d.checklistTotal).toBe(5)
    expect(ws.summary('o1')?.state).toBe('draft')
  })

  it('submitting puts it in review and starts the SLA clock', () => {
    const { ws, out } = setup()
    expect(perform(ws, out, 'alice', { action: 'submit' }, 5000)).toEqual({ ok: true })
    const d = state(ws, out)
    expect(d.state).toBe('in_review')
    expect(d.submittedAt).toBe(5000)
    expect(ws.summary('o1')?.submittedAt).toBe(5000)
  })

  it('only the author, an assignee or an admin can submit', () => {
    const { ws, out } = setup()
    const r = perform(ws, out, 'otto', { action: 'submit' })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.reason).toMatch(/author, an assignee or an admin/)
  })

  it('an output in review tells a reviewer it is in review, not that only its author may submit it', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    const { derived, input } = deriveOutput(ws, out)
    expect(allowedActions(derived, input, 'rita').submit).toEqual({
      ok: false,
      reason: 'It is already in review.',
    })
  })

  it('an output cannot be submitted twice in a row', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    const r = perform(ws, out, 'alice', { action: 'submit' })
    expect(!r.ok && r.reason).toMatch(/already in review/)
  })

  it('checklist items can only be judged while in review', () => {
    const { ws, out } = setup()
    const r = perform(ws, out, 'rita', { action: 'judge', itemId: 'numbers', verdict: 'pass' })
    expect(!r.ok && r.reason).toMatch(/in review/)
  })

  it('a failed item needs a note saying why', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    const r = perform(ws, out, 'rita', { action: 'judge', itemId: 'numbers', verdict: 'fail' })
    expect(!r.ok && r.reason).toMatch(/Say why/)
  })

  it('a failed send-back item turns the decision into "request changes" with its note as the reason', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    perform(ws, out, 'rita', {
      action: 'judge',
      itemId: 'numbers',
      verdict: 'fail',
      note: 'Price book says 31 EUR',
    })
    const decision = reviewDecision(state(ws, out))
    expect(decision).toEqual({
      decision: 'request_changes',
      reasons: ['Numbers match the price book: Price book says 31 EUR'],
    })
    expect(perform(ws, out, 'rita', { action: 'request_changes', reasons: decision.reasons }).ok).toBe(true)
    const d = state(ws, out)
    expect(d.state).toBe('changes_requested')
    expect(d.reasons).toEqual(['Numbers match the price book: Price book says 31 EUR'])
    expect(ws.summary('o1')?.reasons).toEqual(d.reasons)
  })

  it('a failed warning item does not send it back', () => {
    const { ws, out } = setup('blog-article')
    perform(ws, out, 'alice', { action: 'submit' })
    perform(ws, out, 'rita', { action: 'judge', itemId: 'voice', verdict: 'fail', note: 'a bit stiff' })
    expect(reviewDecision(state(ws, out)).decision).toBe('approve')
  })

  it('resubmitting starts a new round: earlier judgements and reasons are cleared', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    perform(ws, out, 'rita', { action: 'judge', itemId: 'numbers', verdict: 'fail', note: 'wrong' })
    perform(ws, out, 'rita', { action: 'request_changes', reasons: ['wrong'] })
    edit(out, 'alice', ' Fixed.')
    expect(perform(ws, out, 'alice', { action: 'submit' }).ok).toBe(true)
    const d = state(ws, out)
    expect(d.round).toBe(2)
    expect(d.checklistDone).toBe(0)
    expect(d.reasons).toEqual([])
  })

  it('rejection is final until someone reopens it', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    expect(perform(ws, out, 'adam', { action: 'reject', reason: 'We are not changing prices' }).ok).toBe(true)
    expect(state(ws, out).state).toBe('rejected')
    expect(perform(ws, out, 'alice', { action: 'submit' }).ok).toBe(false)
    expect(perform(ws, out, 'alice', { action: 'reopen' }).ok).toBe(true)
    expect(state(ws, out).state).toBe('draft')
  })

  it('a reviewer cannot reject a type whose approvers are approvers', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    const r = perform(ws, out, 'rita', { action: 'reject', reason: 'no' })
    expect(!r.ok && r.reason).toMatch(/may not reject/)
  })

  it('archived outputs cannot be edited in the trail or submitted', () => {
    const { ws, out } = setup()
    expect(perform(ws, out, 'alice', { action: 'archive' }).ok).toBe(true)
    expect(state(ws, out).state).toBe('archived')
    const { derived, input } = deriveOutput(ws, out)
    expect(allowedActions(derived, input, 'alice').edit.ok).toBe(false)
    expect(allowedActions(derived, input, 'alice').submit.ok).toBe(false)
  })

  it('an edit is summarised in the trail once per change, not per keystroke', () => {
    const { ws, out } = setup()
    const before = out.text()
    edit(out, 'alice', ' Annual: 290 EUR.')
    expect(recordEdit(ws, out, 'alice', before)).toBe(true)
    expect(recordEdit(ws, out, 'alice', out.text())).toBe(false)
    const last = out.rawTrail().at(-1) as { kind: string; inserted: number }
    expect(last.kind).toBe('edited')
    expect(last.inserted).toBe(17)
  })
})

describe('approval policy', () => {
  function inReviewWithChecklistPassed(typeId = 'pricing-update') {
    const ctx = setup(typeId)
    perform(ctx.ws, ctx.out, 'alice', { action: 'submit' })
    judgeAll(ctx.ws, ctx.out, 'rita')
    return ctx
  }

  it('a critical type needs as many approvals as its policy says', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    expect(perform(ws, out, 'adam', { action: 'approve' }).ok).toBe(true)
    expect(state(ws, out).state).toBe('in_review')
    expect(state(ws, out).approvals).toHaveLength(1)
    expect(perform(ws, out, 'amy', { action: 'approve' }).ok).toBe(true)
    expect(state(ws, out).state).toBe('approved')
    expect(ws.summary('o1')).toMatchObject({ state: 'approved', approvals: 2, approvalsRequired: 2 })
  })

  it('an approved output tells whoever looks that it is approved, not that it is in review', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    perform(ws, out, 'adam', { action: 'approve' })
    perform(ws, out, 'amy', { action: 'approve' })
    const { derived, input } = deriveOutput(ws, out)
    expect(derived.state).toBe('approved')
    expect(allowedActions(derived, input, 'alice').submit).toEqual({
      ok: false,
      reason: 'It is already approved.',
    })
    expect(perform(ws, out, 'alice', { action: 'submit' })).toEqual({
      ok: false,
      reason: 'It is already approved.',
    })
  })

  it('the same member approving twice counts once', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    perform(ws, out, 'adam', { action: 'approve' })
    const r = perform(ws, out, 'adam', { action: 'approve' })
    expect(!r.ok && r.reason).toMatch(/already approved this version/)
  })

  it('the author cannot approve their own output where the risk forbids it', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    ws.transact({ kind: 'local', memberId: 'admin' }, () =>
      ws.members.patch('alice', { roles: ['author', 'approver'] }),
    )
    const r = perform(ws, out, 'alice', { action: 'approve' })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.reason).toMatch(/author cannot approve their own output/)
  })

  it('the author may approve their own output where the type allows it', () => {
    const { ws, out } = setup('internal-summary')
    ws.transact({ kind: 'local', memberId: 'admin' }, () =>
      ws.members.patch('alice', { roles: ['author', 'reviewer'] }),
    )
    perform(ws, out, 'alice', { action: 'submit' })
    judgeAll(ws, out, 'alice')
    expect(perform(ws, out, 'alice', { action: 'approve' }).ok).toBe(true)
    expect(state(ws, out).state).toBe('approved')
  })

  it('names the roles that may approve with the right article', () => {
    const { ws, out } = setup('internal-summary')
    perform(ws, out, 'alice', { action: 'submit' })
    const { derived, input } = deriveOutput(ws, out)
    const r = allowedActions(derived, input, 'otto').approve
    expect(!r.ok && r.reason).toMatch(
      /need an approval from a reviewer, approver or admin; \w+ is not one\.$/,
    )
  })

  it('a member without an approving role cannot approve', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    const r = perform(ws, out, 'rita', { action: 'approve' })
    expect(!r.ok && r.reason).toMatch(/need an approval from an approver or admin; Rita is not one/)
  })

  it('approval waits until every send-back item is judged', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    perform(ws, out, 'rita', { action: 'judge', itemId: 'numbers', verdict: 'pass' })
    const r = perform(ws, out, 'adam', { action: 'approve' })
    expect(!r.ok && r.reason).toMatch(/4 checklist items still need a judgement/)
  })

  it('names the items still open in quotes, so a title with a comma reads as one item', () => {
    const { ws, out } = setup()
    const items = ws.types.get('pricing-update')!.checklist
    ws.types.patch('pricing-update', {
      checklist: items.map((i) => (i.id === 'numbers' ? { ...i, title: 'Right people, right numbers' } : i)),
    })
    perform(ws, out, 'alice', { action: 'submit' })
    for (const i of items.slice(1))
      perform(ws, out, 'rita', { action: 'judge', itemId: i.id, verdict: 'pass' })
    const r = perform(ws, out, 'adam', { action: 'approve' })
    expect(!r.ok && r.reason).toBe(
      '1 checklist item still needs a judgement on this version: “Right people, right numbers”.',
    )
  })

  it('in review with fewer members who may approve than approvals needed, it says who may and what to do', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    const shortfall = () => {
      const { derived, input } = deriveOutput(ws, out)
      return approverShortfall(derived, input)
    }
    // Adam, Amy and the admin may approve a pricing update; it needs two.
    expect(shortfall()).toBeNull()
    const t = Date.now()
    expect(changeRole(ws, 'admin', 'amy', 'approver', t)).toEqual({ ok: true })
    expect(shortfall()).toBeNull()
    expect(changeRole(ws, 'admin', 'adam', 'approver', t + 1)).toEqual({ ok: true })
    expect(shortfall()).toBe(
      'It cannot be approved yet: it needs 2 approvals from an approver or admin, and only Ada Admin may give one. An admin can give another member the role in Settings → Members.',
    )
    // Giving the role back is enough: nothing else has to happen to the output.
    expect(changeRole(ws, 'admin', 'amy', 'approver', t + 2)).toEqual({ ok: true })
    expect(shortfall()).toBeNull()
    // Once approved, a role taken away later does not make it say it cannot be approved.
    for (const j of passAll(ws, out, 'rita'))
      expect(perform(ws, out, 'rita', { action: 'judge', itemId: j.itemId, verdict: 'pass' }).ok).toBe(true)
    expect(perform(ws, out, 'amy', { action: 'approve' }).ok).toBe(true)
    expect(perform(ws, out, 'admin', { action: 'approve' }).ok).toBe(true)
    expect(changeRole(ws, 'admin', 'amy', 'approver', t + 60_000)).toEqual({ ok: true })
    expect(deriveOutput(ws, out).derived.state).toBe('approved')
    expect(shortfall()).toBeNull()
  })

  it('needing three approvals with two members who may, it names both', () => {
    const { ws, out } = setup()
    ws.types.patch('pricing-update', { approvalsRequired: 3 })
    expect(changeRole(ws, 'admin', 'adam', 'approver', Date.now())).toEqual({ ok: true })
    perform(ws, out, 'alice', { action: 'submit' })
    const { derived, input } = deriveOutput(ws, out)
    expect(approverShortfall(derived, input)).toBe(
      'It cannot be approved yet: it needs 3 approvals from an approver or admin, and only 2 members may give them: Ada Admin, Amy. An admin can give another member the role in Settings → Members.',
    )
  })

  it('the author who may not approve their own is named as the reason', () => {
    const { ws } = setup()
    const out = new OutputDoc(new Y.Doc())
    createOutput(ws, out, {
      id: 'o2',
      title: 'By the admin',
      typeId: 'pricing-update',
      content: 'Pro: 9 EUR.',
      authorId: 'admin',
    })
    perform(ws, out, 'admin', { action: 'submit' })
    expect(changeRole(ws, 'admin', 'amy', 'approver', Date.now())).toEqual({ ok: true })
    const { derived, input } = deriveOutput(ws, out)
    expect(approverShortfall(derived, input)).toBe(
      'It cannot be approved yet: it needs 2 approvals from an approver or admin, and only Adam may give one (the author may not approve a Pricing update). An admin can give another member the role in Settings → Members.',
    )
  })

  it('approval is refused while a send-back item has failed', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    perform(ws, out, 'rita', { action: 'judge', itemId: 'terms', verdict: 'fail', note: 'ToS §4 conflicts' })
    const r = perform(ws, out, 'adam', { action: 'approve' })
    expect(!r.ok && r.reason).toMatch(/failed item that sends it back \(“Terms and legal”\)/)
  })

  it('an edit after approval makes the approval stale until re-approved', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    perform(ws, out, 'adam', { action: 'approve' })
    perform(ws, out, 'amy', { action: 'approve' })
    expect(startNewVersion(ws, out, 'alice', { reason: 'typo' })).toEqual({ ok: true })
    edit(out, 'alice', ' (typo fix)')
    let d = state(ws, out)
    expect(d.state).toBe('approved_stale')
    expect(d.approvals).toHaveLength(0)
    expect(d.staleApprovals).toHaveLength(2)
    // The judgements named the old version too: the new one needs its own review.
    expect(perform(ws, out, 'adam', { action: 'approve' }).ok).toBe(false)
    judgeAll(ws, out, 'rita')
    perform(ws, out, 'adam', { action: 'approve' })
    perform(ws, out, 'amy', { action: 'approve' })
    d = state(ws, out)
    expect(d.state).toBe('approved')
  })

  it('undoing the edit brings the original approval back, because it named those exact bytes', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    perform(ws, out, 'adam', { action: 'approve' })
    perform(ws, out, 'amy', { action: 'approve' })
    const len = out.content.length
    expect(startNewVersion(ws, out, 'alice', {})).toEqual({ ok: true })
    edit(out, 'alice', '!')
    expect(state(ws, out).state).toBe('approved_stale')
    out.content.delete(len, 1)
    expect(state(ws, out).state).toBe('approved')
  })

  it('an approval stands when its giver loses the approving role afterwards; one given after does not count', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    const t = Date.now()
    perform(ws, out, 'adam', { action: 'approve' }, t)
    perform(ws, out, 'amy', { action: 'approve' }, t + 1)
    expect(changeRole(ws, 'admin', 'amy', 'approver', t + 10)).toEqual({ ok: true })
    expect(ws.members.get('amy')?.roles).toEqual([])
    const d = state(ws, out)
    expect(d.state).toBe('approved')
    expect(d.approvals.map((a) => a.memberId).sort()).toEqual(['adam', 'amy'])
    expect(d.problems).toEqual([])
    // Now, without the role, Amy is refused, and a (forged) approval written after the change
    // does not count.
    const { derived, input } = deriveOutput(ws, out)
    expect(allowedActions(derived, input, 'amy').approve.ok).toBe(false)
    const ctx = setup()
    perform(ctx.ws, ctx.out, 'alice', { action: 'submit' }, t)
    judgeAll(ctx.ws, ctx.out, 'rita')
    changeRole(ctx.ws, 'admin', 'amy', 'approver', t + 10)
    ctx.out.transact(localOrigin('amy'), () =>
      ctx.out.append(
        {
          id: 'late',
          v: 1,
          kind: 'approved',
          actor: 'amy',
          at: t + 20,
          contentHash: ctx.out.hash(),
          note: '',
        },
        ctx.ws.signerFor('amy'),
      ),
    )
    const late = state(ctx.ws, ctx.out)
    expect(late.approvals).toEqual([])
    expect(late.problems.map((p) => p.reason).join()).toMatch(/Amy is not one/)
  })

  it('a decision made on a device whose clock is behind the role change still counts', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    const t = Date.now()
    // The admin's device gave Otto the role at t + 60 s; Otto's device thinks it is t.
    expect(changeRole(ws, 'admin', 'otto', 'approver', t + 60_000)).toEqual({ ok: true })
    expect(perform(ws, out, 'otto', { action: 'approve' }, t)).toEqual({ ok: true })
    const d = state(ws, out)
    expect(d.approvals.map((a) => a.memberId)).toEqual(['otto'])
    expect(d.problems).toEqual([])
  })

  it('a role given later counts from then on, not before', () => {
    const { ws, out } = inReviewWithChecklistPassed()
    const t = Date.now()
    expect(changeRole(ws, 'admin', 'otto', 'approver', t)).toEqual({ ok: true })
    perform(ws, out, 'otto', { action: 'approve' }, t + 5)
    expect(state(ws, out).approvals.map((a) => a.memberId)).toEqual(['otto'])
    expect(ws.members.get('otto')?.roleHistory).toEqual([
      { at: 0, roles: ['author'] },
      { at: t, roles: ['author', 'approver'] },
    ])
  })

  it('requesting changes after approval sends it back', () => {
    const { ws, out } = inReviewWithChecklistPassed('client-proposal')
    perform(ws, out, 'adam', { action: 'approve' })
    expect(state(ws, out).state).toBe('approved')
    expect(
      perform(ws, out, 'rita', { action: 'request_changes', reasons: ['Client name is wrong'] }).ok,
    ).toBe(true)
    expect(state(ws, out).state).toBe('changes_requested')
  })
})
