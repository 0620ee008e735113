import { describe, expect, it } from 'vitest'
import { approvalOutcome, reviewView } from '../../../../renderer/src/output/review-model.ts'
import { deriveOutput, localOrigin, perform, startNewVersion } from '../../../../shared/domain/index.ts'
import { setup } from '../../domain/fixture.ts'

const view = (
  ws: Parameters<typeof deriveOutput>[0],
  out: Parameters<typeof deriveOutput>[1],
  who: string,
) => {
  const { input, derived } = deriveOutput(ws, out)
  return reviewView(derived, input, who)
}

describe('review panel view model', () => {
  it('shows the type, its risk in words and every checklist item with question and guidance', () => {
    const { ws, out } = setup()
    const v = view(ws, out, 'rita')
    expect(v.typeName).toBe('Pricing update')
    expect(v.riskLabel).toBe('Critical risk')
    expect(v.typeDescription).toMatch(/prices/)
    expect(v.items.length).toBeGreaterThan(0)
    for (const item of v.items) {
      expect(item.question).not.toBe('')
      expect(item.severityLabel).toMatch(/sends it back|Warning/)
    }
    expect(v.stateLabel).toBe('Draft')
  })

  it('enables only what the rules allow and says why for the rest', () => {
    const { ws, out } = setup()
    const author = view(ws, out, 'alice')
    expect(author.actions.submit.enabled).toBe(true)
    expect(author.actions.approve.enabled).toBe(false)
    expect(author.actions.approve.reason).toMatch(/submit it first/)
    expect(author.canJudge).toBe(false)
    expect(author.judgeReason).not.toBe('')
    perform(ws, out, 'alice', { action: 'submit' })
    const approver = view(ws, out, 'adam')
    expect(approver.canJudge).toBe(true)
    expect(approver.actions.approve.enabled).toBe(false)
    expect(approver.actions.approve.reason).toMatch(/still need/)
    expect(view(ws, out, 'alice').actions.approve.reason).toMatch(/Alice is not one/)
  })

  it('a failed send-back item turns the decision into request changes with its note', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    const first = view(ws, out, 'adam').items[0]!
    expect(first.severity).toBe('send-back')
    expect(
      perform(ws, out, 'adam', { action: 'judge', itemId: first.id, verdict: 'fail', note: 'Wrong price' })
        .ok,
    ).toBe(true)
    const v = view(ws, out, 'adam')
    expect(v.decision).toBe('request_changes')
    expect(v.decisionReasons).toEqual([`${first.title}: Wrong price`])
    expect(v.items[0]!.judgement?.text).toBe('Fail by Adam: Wrong price')
    expect(v.progress).toMatch(/1 failed/)
    perform(ws, out, 'adam', { action: 'request_changes', reasons: v.decisionReasons })
    const after = view(ws, out, 'alice')
    expect(after.state).toBe('changes_requested')
    expect(after.reasons).toEqual([`${first.title}: Wrong price`])
  })

  it('an edit after approval shows "Approved, stale", lists the stale approvals and marks judgements outdated', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    for (const who of ['adam', 'amy']) {
      for (const item of view(ws, out, who).items)
        expect(perform(ws, out, who, { action: 'judge', itemId: item.id, verdict: 'pass' }).ok).toBe(true)
      expect(perform(ws, out, who, { action: 'approve' }).ok).toBe(true)
    }
    const approved = view(ws, out, 'alice')
    expect(approved.stateLabel).toBe('Approved')
    expect(approved.approvals.summary).toBe('2 of 2 approvals')
    expect(approved.approvals.by).toEqual(['Adam', 'Amy'])
    expect(startNewVersion(ws, out, 'alice', {})).toEqual({ ok: true })
    out.transact(localOrigin('alice'), () => out.content.insert(0, 'Update: '))
    const stale = view(ws, out, 'alice')
    expect(stale.state).toBe('approved_stale')
    expect(stale.stateLabel).toBe('Approved, stale')
    expect(stale.stateExplanation).toMatch(/changed since it was approved/)
    expect(stale.approvals.summary).toBe('0 of 2 approvals')
    expect(stale.approvals.stale).toHaveLength(2)
    expect(stale.items[0]!.judgement).toBeUndefined()
    expect(stale.items[0]!.outdated).toMatch(/^Outdated: .* judged an earlier version\.$/)
  })

  it('says "Approved." only while it is approved: not after one of two approvals, nor once stale (issue 12 #9)', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    const approve = (who: string) => {
      for (const item of view(ws, out, who).items)
        expect(perform(ws, out, who, { action: 'judge', itemId: item.id, verdict: 'pass' }).ok).toBe(true)
      expect(perform(ws, out, who, { action: 'approve' }).ok).toBe(true)
    }
    approve('adam')
    expect(approvalOutcome(view(ws, out, 'adam'))).toBe('Your approval is recorded: 1 of 2 approvals so far.')
    approve('amy')
    expect(approvalOutcome(view(ws, out, 'amy'))).toBe('Approved.')
    expect(startNewVersion(ws, out, 'alice', {})).toEqual({ ok: true })
    out.transact(localOrigin('alice'), () => out.content.insert(0, 'Update: '))
    expect(approvalOutcome(view(ws, out, 'amy'))).toMatch(/^Your approval no longer counts/)
  })

  it('one approval of two, then an edit: it no longer says the approval is recorded', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of view(ws, out, 'adam').items)
      expect(perform(ws, out, 'adam', { action: 'judge', itemId: item.id, verdict: 'pass' }).ok).toBe(true)
    expect(perform(ws, out, 'adam', { action: 'approve' }).ok).toBe(true)
    expect(view(ws, out, 'adam').approvals.mine).toBe('counted')
    expect(view(ws, out, 'amy').approvals.mine).toBe('none')
    out.transact(localOrigin('alice'), () => out.content.insert(0, 'Update: '))
    const after = view(ws, out, 'adam')
    expect(after.state).toBe('in_review')
    expect(after.approvals.mine).toBe('stale')
    expect(approvalOutcome(after)).toBe(
      'Your approval no longer counts: the content changed after it. 0 of 2 approvals on this version.',
    )
  })

  it('lists events that did not count', () => {
    const { ws, out } = setup()
    out.transact(localOrigin('mallory'), () =>
      out.trail.push([
        { id: 'x1', v: 1, kind: 'approved', actor: 'mallory', at: 5, contentHash: out.hash(), note: '' },
      ]),
    )
    const v = view(ws, out, 'alice')
    expect(v.problems).toHaveLength(1)
    expect(v.problems[0]).toMatch(/^Not counted: approved by mallory: They are not a member/)
  })
})
