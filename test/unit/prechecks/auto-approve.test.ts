/**
 * Pre-checks in the review rules: escalated policies, failures holding approval, and automatic
 * approval with its conditions, including forged auto_approved events.
 */
import { describe, expect, it } from 'vitest'
import {
  AUTO_APPROVER,
  allowedActions,
  derive,
  deriveInput,
  deriveOutput,
  localOrigin,
  maybeAutoApprove,
  type OutputDoc,
  perform,
  recordEdit,
  reviewDecision,
  startNewRound,
  type Workspace,
} from '../../../shared/domain/index.ts'
import type { PreCheckConfig } from '../../../shared/prechecks/index.ts'
import { setup } from '../domain/fixture.ts'
import { policyViolation } from '../domain/oracle.ts'

const AUTO: PreCheckConfig = {
  banned: [],
  required: [],
  placeholders: true,
  links: true,
  detectors: [{ kind: 'email' }, { kind: 'price', escalateTo: 'pricing-update' }],
  autoApprove: true,
}

function summary(content = 'Notes from Monday: ship it.', prechecks: PreCheckConfig = AUTO) {
  const w = setup('internal-summary', content)
  w.ws.transact(localOrigin('admin'), () => w.ws.types.patch('internal-summary', { prechecks }))
  return w
}
const state = (ws: Workspace, out: OutputDoc) => deriveOutput(ws, out).derived
const kinds = (out: OutputDoc) => out.rawTrail().map((e) => (e as { kind: string }).kind)
function replace(ws: Workspace, out: OutputDoc, who: string, text: string) {
  const before = out.text()
  out.transact(localOrigin(who), () => {
    out.content.delete(0, out.content.length)
    out.content.insert(0, text)
  })
  return recordEdit(ws, out, who, before, 9000)
}
/** An event written past the app's checks, signed by its actor's own device (a member's forgery). */
function forge(ws: Workspace, out: OutputDoc, actor: string, hash = out.hash(), id = `f${out.trail.length}`) {
  out.transact(localOrigin(actor), () =>
    out.append(
      { id, v: 1, kind: 'auto_approved', actor, at: 7000, contentHash: hash, checks: 'forged' },
      ws.signerFor(actor),
    ),
  )
}
/** The oracle agrees whenever derivation says approved. */
function oracleAgrees(ws: Workspace, out: OutputDoc) {
  const { input, derived } = deriveOutput(ws, out)
  if (derived.state === 'approved') expect(policyViolation(input)).toBeNull()
}

describe('escalation in the enforced policy', () => {
  it('a blog article mentioning a price needs two approvals from approvers; the board shows it', () => {
    const { ws, out } = setup('blog-article', 'Our new plan costs €29 a month.')
    const { input, derived } = deriveOutput(ws, out)
    expect(input.type?.approvalsRequired).toBe(2)
    expect(input.type?.approverRoles).toEqual(['approver', 'admin'])
    expect(derived.escalations.map((e) => e.to)).toEqual(['pricing-update'])
    expect(derived.escalations[0]!.reason).toMatch(
      /^Mentions a price \(€29\): this needs the approvals of a Pricing update: 2 approvals from approver or admin/,
    )
    expect(ws.summary('o1')?.approvalsRequired).toBe(2)
    // The reviewer could approve a plain blog article, not this one.
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('blog-article')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    const r = perform(ws, out, 'rita', { action: 'approve' })
    expect(!r.ok && r.reason).toMatch(/approver or admin/)
    expect(perform(ws, out, 'adam', { action: 'approve' })).toEqual({ ok: true })
    expect(state(ws, out).state).toBe('in_review')
    expect(perform(ws, out, 'amy', { action: 'approve' })).toEqual({ ok: true })
    expect(state(ws, out).state).toBe('approved')
    oracleAgrees(ws, out)
  })

  it('removing the price drops the escalation (and the approvals on the old version go stale)', () => {
    const { ws, out } = setup('blog-article', 'Our new plan costs €29 a month.')
    replace(ws, out, 'alice', 'Our new plan is great.')
    expect(deriveInput(ws, out).type?.approvalsRequired).toBe(1)
    expect(ws.summary('o1')?.approvalsRequired).toBe(1)
  })
})

describe('failed pre-checks hold approval', () => {
  it('checkAction refuses to approve, naming the failed checks', () => {
    const { ws, out } = setup('blog-article', 'Draft with a TODO and http://example.com')
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('blog-article')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    const { input, derived } = deriveOutput(ws, out)
    expect(derived.preCheckFailures).toEqual([
      'No placeholders or AI leftovers',
      'Links are well-formed and https',
    ])
    const r = allowedActions(derived, input, 'rita').approve
    expect(!r.ok && r.reason).toMatch(/automatic checks fail \(No placeholders or AI leftovers, Links/)
    expect(allowedActions(derived, input, 'rita').request_changes.ok).toBe(true)
  })

  it('derive does not count a forged approval past failing pre-checks; fixing the content does', () => {
    const { ws, out } = setup('blog-article', 'Lorem ipsum.')
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('blog-article')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    out.transact(localOrigin('rita'), () =>
      out.append(
        { id: 'x1', v: 1, kind: 'approved', actor: 'rita', at: 8000, contentHash: out.hash(), note: '' },
        ws.signerFor('rita'),
      ),
    )
    const input = deriveInput(ws, out)
    expect(derive(input).state).toBe('in_review')
    expect(derive({ ...input, preCheckFailures: [] }).state).toBe('approved')
    expect(derive({ ...input, preCheckFailures: ['Length'] }).state).toBe('in_review')
    oracleAgrees(ws, out)
  })

  it('without pre-check input derivation behaves as before', () => {
    const { ws, out } = setup('blog-article', 'Fine text.')
    const input = deriveInput(ws, out)
    const plain = { ...input }
    delete plain.preChecks
    delete plain.preCheckFailures
    delete plain.preCheckVersions
    delete plain.escalations
    expect(derive(plain).state).toBe(derive(input).state)
  })
})

describe('automatic approval', () => {
  it('a low-risk type set to auto-approve is approved on submit when every check passes', () => {
    const { ws, out } = summary()
    expect(perform(ws, out, 'alice', { action: 'submit' }, 5000)).toEqual({ ok: true })
    expect(kinds(out)).toEqual(['created', 'submitted', 'auto_approved'])
    const d = state(ws, out)
    expect(d.state).toBe('approved')
    expect(d.approvals).toEqual([
      expect.objectContaining({
        memberId: AUTO_APPROVER,
        auto: { writtenBy: 'alice', checks: expect.any(String) },
      }),
    ])
    expect(ws.summary('o1')?.state).toBe('approved')
    oracleAgrees(ws, out)
    // Not twice.
    expect(maybeAutoApprove(ws, out, 'alice')).toBe(false)
  })

  it('is a trail event like any other: it names the version and what the checks said', () => {
    const { ws, out } = summary()
    perform(ws, out, 'alice', { action: 'submit' })
    const e = out.rawTrail()[2] as Record<string, unknown>
    expect(e).toMatchObject({ kind: 'auto_approved', actor: 'alice', contentHash: out.hash() })
    expect(e.checks).toBe('placeholders=pass;links=pass;detector:email=pass;detector:price=pass')
    expect(out.version(out.hash())).toBe(out.text())
  })

  it.each([
    ['a failing check', 'Notes: TODO', AUTO],
    ['a detector that fired', 'Mail ada@example.com', AUTO],
    ['an escalation', 'The plan is €29', AUTO],
    ['auto-approve off', 'Notes', { ...AUTO, autoApprove: false }],
    ['no checks configured', 'Notes', { ...AUTO, placeholders: false, links: false, detectors: [] }],
  ])('does not happen with %s', (_why, content, config) => {
    const { ws, out } = summary(content, config)
    perform(ws, out, 'alice', { action: 'submit' })
    expect(kinds(out)).toEqual(['created', 'submitted'])
    expect(state(ws, out).state).toBe('in_review')
  })

  it('does not happen for a type that is not low risk, even if configured', () => {
    const { ws, out } = summary()
    ws.transact(localOrigin('admin'), () => ws.types.patch('internal-summary', { risk: 'medium' }))
    perform(ws, out, 'alice', { action: 'submit' })
    expect(kinds(out)).toEqual(['created', 'submitted'])
  })

  it('an edit in review that fixes the content approves it; an edit that breaks it makes it stale', () => {
    const { ws, out } = summary('Notes: TODO')
    perform(ws, out, 'alice', { action: 'submit' })
    expect(state(ws, out).state).toBe('in_review')
    replace(ws, out, 'alice', 'Notes: done.')
    expect(kinds(out).slice(-2)).toEqual(['edited', 'auto_approved'])
    expect(state(ws, out).state).toBe('approved')
    replace(ws, out, 'alice', 'Notes: lorem ipsum')
    const d = state(ws, out)
    expect(d.state).toBe('approved_stale')
    expect(d.approvals).toEqual([])
    expect(d.staleApprovals.map((a) => a.memberId)).toEqual([AUTO_APPROVER])
    oracleAgrees(ws, out)
  })

  it('a person’s failed send-back item still holds an auto-approved output', () => {
    const { ws, out } = summary()
    perform(ws, out, 'alice', { action: 'submit' })
    perform(ws, out, 'rita', { action: 'judge', itemId: 'accurate', verdict: 'fail', note: 'Wrong owner' })
    expect(state(ws, out).state).toBe('in_review')
    oracleAgrees(ws, out)
  })

  describe('forged events are reported and not counted', () => {
    it('on a type that is not set to auto-approve', () => {
      const { ws, out } = setup('blog-article', 'Fine text.')
      perform(ws, out, 'alice', { action: 'submit' })
      forge(ws, out, 'alice')
      const d = state(ws, out)
      expect(d.state).toBe('in_review')
      expect(d.problems.at(-1)?.reason).toMatch(/auto_approved by alice: Blog article is a medium-risk type/)
    })
    it('when a check fails on that version', () => {
      const { ws, out } = summary('Notes: TODO')
      perform(ws, out, 'alice', { action: 'submit' })
      forge(ws, out, 'alice')
      const d = state(ws, out)
      expect(d.state).toBe('in_review')
      expect(d.problems.at(-1)?.reason).toMatch(/do not all pass/)
      expect(policyViolation(deriveInput(ws, out))).not.toBeNull()
    })
    it('when an escalation applies', () => {
      const { ws, out } = summary('Price €5')
      perform(ws, out, 'alice', { action: 'submit' })
      forge(ws, out, 'alice')
      expect(state(ws, out).problems.at(-1)?.reason).toMatch(/escalates/)
    })
    it('for a version whose bytes are unknown', () => {
      const { ws, out } = summary()
      ws.transact(localOrigin('admin'), () =>
        ws.types.patch('internal-summary', { prechecks: { ...AUTO, autoApprove: false } }),
      )
      perform(ws, out, 'alice', { action: 'submit' })
      // The round keeps the rules it was submitted under until an admin restarts it under new ones.
      ws.transact(localOrigin('admin'), () => ws.types.patch('internal-summary', { prechecks: AUTO }))
      expect(startNewRound(ws, out, 'admin', 'Automatic approval is on now')).toEqual({ ok: true })
      forge(ws, out, 'alice', 'f'.repeat(64))
      expect(state(ws, out).problems.at(-1)?.reason).toMatch(/could not be run/)
    })
    it('outside review, or by a non-member', () => {
      const { ws, out } = summary()
      forge(ws, out, 'alice')
      expect(state(ws, out).problems.at(-1)?.reason).toMatch(/Only outputs in review/)
      forge(ws, out, 'ghost')
      expect(state(ws, out).problems.at(-1)?.reason).toMatch(/not a member/)
      expect(state(ws, out).state).toBe('draft')
    })
    it('a valid one written by any member counts once, however many are written', () => {
      const { ws, out } = summary()
      ws.transact(localOrigin('admin'), () =>
        ws.types.patch('internal-summary', { prechecks: { ...AUTO, autoApprove: false } }),
      )
      perform(ws, out, 'alice', { action: 'submit' })
      ws.transact(localOrigin('admin'), () =>
        ws.types.patch('internal-summary', { approvalsRequired: 2, prechecks: AUTO }),
      )
      expect(startNewRound(ws, out, 'admin', 'Two approvals now')).toEqual({ ok: true })
      forge(ws, out, 'otto')
      forge(ws, out, 'rita')
      const d = state(ws, out)
      expect(d.problems).toEqual([])
      expect(d.approvals).toHaveLength(1)
      expect(d.state).toBe('in_review')
      oracleAgrees(ws, out)
    })
  })
})

describe('the reviewer’s decision', () => {
  it('a failed automatic check suggests "request changes" with its finding as the reason', () => {
    const { ws, out } = setup('blog-article', 'Draft. TODO')
    const { derived } = deriveOutput(ws, out)
    expect(reviewDecision(derived)).toEqual({
      decision: 'request_changes',
      reasons: ['No placeholders or AI leftovers: Found a leftover: “TODO”.'],
    })
  })
})
