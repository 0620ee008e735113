/**
 * Decisions stand: a round is judged by the policy version it was submitted under, so editing an
 * output type's rules never changes a decided round and never removes a publish.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addDestination,
  claimPublish,
  deriveOutput,
  destinationLabel,
  diffPolicies,
  localOrigin,
  newRoundCheck,
  OutputDoc,
  type OutputType,
  parsePolicyVersion,
  perform,
  policyChange,
  policyHash,
  policyOf,
  REMOTE,
  recordPublishOutcome,
  removeDestination,
  saveOutputType,
  startNewRound,
  type Workspace,
} from '../../../shared/domain/index.ts'
import { type ApprovalReceipt, approvalReceipt, verifyReceipt } from '../../../shared/trace/receipt.ts'
import { shippedRows } from '../../../shared/trace/shipped.ts'
import { setup } from './fixture.ts'

const TYPE = 'social-post'
const state = (ws: Workspace, out: OutputDoc) => deriveOutput(ws, out).derived

function approvedPost() {
  const ctx = setup(TYPE, 'We ship the new board on Monday. Come and see it.')
  const { ws, out } = ctx
  ws.transact(localOrigin('admin'), () => {
    ws.destinations.put({ id: 'social', name: 'Social folder', kind: 'folder' })
  })
  saveOutputType(ws, 'admin', { ...ws.types.get(TYPE)!, allowedDestinations: ['social'] }, 1500)
  expect(perform(ws, out, 'alice', { action: 'submit' }, 3000)).toEqual({ ok: true })
  for (const item of ws.types.get(TYPE)!.checklist)
    perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' }, 3100)
  expect(perform(ws, out, 'adam', { action: 'approve' }, 3200)).toEqual({ ok: true })
  return ctx
}

function publish(ws: Workspace, out: OutputDoc) {
  const claimed = claimPublish(ws, out, 'alice', 'social', { now: 3300 })
  expect(claimed.ok).toBe(true)
  if (!claimed.ok) throw new Error(claimed.reason)
  recordPublishOutcome(ws, out, 'alice', claimed.claim, { ok: true, receipt: { path: '/x/post.md' } }, 3400)
}

function addItem(ws: Workspace, at = 5000): OutputType {
  const type = ws.types.get(TYPE)!
  const next: OutputType = {
    ...type,
    checklist: [
      ...type.checklist,
      {
        id: 'legal',
        title: 'Legal read it',
        question: 'Did legal sign off?',
        guidance: '',
        severity: 'send-back',
      },
    ],
  }
  expect(saveOutputType(ws, 'admin', next, at)).toEqual({ ok: true })
  return next
}

const shipped = (ws: Workspace, out: OutputDoc) =>
  shippedRows(
    [{ outputId: out.id, title: 'Post', typeId: TYPE, type: ws.types.get(TYPE), derived: state(ws, out) }],
    ws.memberMap(),
  )

describe('policy versions: a change after approval', () => {
  it('a published post stays published, shipped and counted after its type gains a checklist item', () => {
    const { ws, out } = approvedPost()
    publish(ws, out)
    const before = state(ws, out)
    expect(before.state).toBe('published')
    const round = before.policy!.hash!
    expect(out.rawTrail().find((e) => (e as { kind: string }).kind === 'submitted')).toMatchObject({
      policy: round,
    })
    addItem(ws)
    expect(ws.currentPolicy(TYPE)).not.toBe(round)
    const after = state(ws, out)
    expect(after.state).toBe('published')
    expect(after.problems).toEqual([])
    expect(after.policy?.hash).toBe(round)
    expect(after.publishes[0]).toMatchObject({ status: 'published', policy: round, round: 1 })
    // A shipped round is decided: no new round under the new rules, from the app or a forged event.
    expect(policyChange(ws, after, TYPE)).toBeNull()
    out.transact(localOrigin('admin'), () =>
      out.append(
        {
          id: 'nr',
          v: 1,
          kind: 'new_round',
          actor: 'admin',
          at: 6000,
          contentHash: out.hash(),
          policy: ws.recordPolicy(TYPE, 'admin', 6000)!,
          reason: 'x',
        },
        ws.signerFor('admin'),
      ),
    )
    expect(state(ws, out).state).toBe('published')
    expect(state(ws, out).problems.at(-1)?.reason).toMatch(/already shipped/)
    expect(shipped(ws, out)).toHaveLength(1)
    expect(shipped(ws, out)[0]).toMatchObject({ policy: round, risk: 'medium' })
    // The board row agrees after any refresh.
    expect(ws.summary('o1')?.state).toBe('published')
  })

  it('the receipt names the rules the publish passed, after they changed, and an outsider can check them', () => {
    const { ws, out } = approvedPost()
    publish(ws, out)
    const round = state(ws, out).policy!.hash!
    addItem(ws)
    const receipt = approvalReceipt(
      {
        outputId: out.id,
        title: 'Post',
        typeId: TYPE,
        type: ws.types.get(TYPE),
        derived: state(ws, out),
        version: (h) => out.version(h),
        workspaceId: ws.id,
        keys: ws.keyTrust(),
      },
      ws.memberMap(),
    ) as ApprovalReceipt
    expect(receipt.rules?.version).toBe(round)
    expect(receipt.rules?.policy.checklist.map((i) => i.id)).not.toContain('legal')
    expect(receipt.rules?.event).toMatchObject({ kind: 'submitted', policy: round })
    expect(verifyReceipt(JSON.stringify(receipt))).toEqual({ ok: true, problems: [] })
    const laxer = structuredClone(receipt)
    laxer.rules!.policy.approvalsRequired = 0
    expect(verifyReceipt(laxer).problems).toEqual([
      'The review rules do not match their version: they were changed after the fact.',
    ])
    const swapped = structuredClone(receipt)
    swapped.rules!.version = ws.currentPolicy(TYPE)!
    expect(verifyReceipt(swapped).ok).toBe(false)
  })

  it('an open approved round keeps its rules; the change is shown, and an admin may restart it', () => {
    const { ws, out } = approvedPost()
    addItem(ws)
    const { input, derived } = deriveOutput(ws, out)
    expect(derived.state).toBe('approved')
    const change = policyChange(ws, derived, TYPE)
    expect(change?.changes).toEqual(['Checklist item added: “Legal read it” (sends back).'])
    // Only an admin, never silently.
    expect(newRoundCheck(ws, input, derived, 'adam')).toMatchObject({ ok: false, reason: /Only admins/ })
    expect(startNewRound(ws, out, 'adam', 'new rules').ok).toBe(false)
    expect(startNewRound(ws, out, 'admin', '  ')).toEqual({
      ok: false,
      reason: 'Say why the round starts over.',
    })
    expect(startNewRound(ws, out, 'admin', 'Legal must read posts now')).toEqual({ ok: true })
    const restarted = state(ws, out)
    expect(restarted.state).toBe('in_review')
    expect(restarted.round).toBe(2)
    expect(restarted.approvals).toEqual([])
    expect(restarted.checklist.map((r) => r.item.id)).toContain('legal')
    expect(restarted.rounds.map((r) => r.hash)).toEqual([derived.policy!.hash, ws.currentPolicy(TYPE)])
    expect(policyChange(ws, restarted, TYPE)).toBeNull()
    expect(startNewRound(ws, out, 'admin', 'again').ok).toBe(false)
  })
})

describe('policy versions: publishes stand', () => {
  it('a publish made while another device sent the output back offline stays in the shipped log, flagged', () => {
    const { ws, out } = approvedPost()
    // Rita's device: a lower client id, so her offline send-back sorts first in the merged trail.
    const doc = new Y.Doc()
    doc.clientID = 1
    const other = new OutputDoc(doc)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(out.doc), REMOTE)
    expect(perform(ws, other, 'rita', { action: 'request_changes', reasons: ['Wrong date'] }, 3250).ok).toBe(
      true,
    )
    // Meanwhile Alice publishes the approved bytes.
    publish(ws, out)
    expect(state(ws, out).state).toBe('published')
    Y.applyUpdate(out.doc, Y.encodeStateAsUpdate(doc), REMOTE)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(out.doc), REMOTE)
    for (const o of [out, other]) {
      const d = state(ws, o)
      const kinds = o.rawTrail().map((e) => (e as { kind: string }).kind)
      expect(kinds.indexOf('changes_requested')).toBeLessThan(kinds.indexOf('publish_claimed'))
      expect(d.problems.map((x) => x.reason)).toEqual([
        expect.stringMatching(/^publish_claimed by alice: only an approved version/),
        expect.stringMatching(/^published by alice: its claim did not count/),
      ])
      // The send-back stands; the publish happened all the same and stays in the log, flagged.
      expect(d.state).toBe('changes_requested')
      expect(d.publishes).toEqual([])
      expect(d.unapprovedPublishes[0]).toMatchObject({
        status: 'published',
        unapproved: expect.stringMatching(/only an approved version/),
      })
      expect(shipped(ws, o)).toHaveLength(1)
      expect(shipped(ws, o)[0]!.unapproved).toMatch(/only an approved version/)
    }
  })

  it('a type deleted after publishing leaves the publish standing', () => {
    const { ws, out } = approvedPost()
    publish(ws, out)
    ws.transact(localOrigin('admin'), () => ws.types.delete(TYPE))
    const d = state(ws, out)
    expect(d.state).toBe('published')
    expect(d.publishes.filter((p) => p.status === 'published')).toHaveLength(1)
  })

  it('removing the destination later does not remove the publish; a destination added later can be used', () => {
    const { ws, out } = approvedPost()
    publish(ws, out)
    saveOutputType(ws, 'admin', { ...ws.types.get(TYPE)!, allowedDestinations: [] }, 6000)
    expect(state(ws, out).publishes.filter((p) => p.status === 'published')).toHaveLength(1)
    ws.transact(localOrigin('admin'), () => ws.destinations.put({ id: 'blog', name: 'Blog', kind: 'git' }))
    saveOutputType(ws, 'admin', { ...ws.types.get(TYPE)!, allowedDestinations: ['blog'] }, 7000)
    expect(claimPublish(ws, out, 'alice', 'blog', { now: 7100 }).ok).toBe(true)
    // Where a post may go is not a review rule: the round is not told its rules changed.
    expect(policyChange(ws, state(ws, out), TYPE)).toBeNull()
  })
})

describe('policy versions: the recorded rules', () => {
  it('a submission from before versions is judged by the rules recorded at that time, or the earliest', () => {
    const { ws, out } = setup(TYPE, 'An old post.')
    // Written by an app that did not name versions: no `policy` on the submission.
    out.transact(localOrigin('alice'), () => {
      out.keepVersion()
      out.append(
        { id: 'old', v: 1, kind: 'submitted', actor: 'alice', at: 500, contentHash: out.hash() },
        ws.signerFor('alice'),
      )
    })
    const first = state(ws, out)
    expect(first.policy?.hash).toBe(ws.policyBook().history(TYPE)[0]!.hash)
    expect(first.policy?.note).toMatch(/before rounds named their rules/)
    addItem(ws, 9000)
    expect(state(ws, out).policy?.hash).toBe(first.policy?.hash)
    expect(state(ws, out).checklist.map((r) => r.item.id)).not.toContain('legal')
  })

  it('a submission naming rules the workspace does not hold, or another type’s, does not count', () => {
    const { ws, out } = setup(TYPE, 'A post.')
    const append = (id: string, policy: string) =>
      out.transact(localOrigin('alice'), () =>
        out.append(
          { id, v: 1, kind: 'submitted', actor: 'alice', at: 4000, contentHash: out.hash(), policy },
          ws.signerFor('alice'),
        ),
      )
    append('s1', 'e'.repeat(64))
    expect(state(ws, out).problems.at(-1)?.reason).toMatch(/does not hold/)
    ws.transact(localOrigin('admin'), () => ws.recordPolicy('blog-article', 'admin', 100))
    append('s2', ws.currentPolicy('blog-article')!)
    expect(state(ws, out).problems.at(-1)?.reason).toMatch(/another output type/)
    expect(state(ws, out).state).toBe('draft')
  })

  it('a stored version counts only under the hash of what it says', () => {
    const { ws } = setup(TYPE)
    const hash = ws.currentPolicy(TYPE)!
    const stored = ws.policies.get(hash) as { policy: { approvalsRequired: number } }
    expect(parsePolicyVersion(hash, stored)).not.toBeNull()
    const lenient = {
      ...stored,
      policy: { ...stored.policy, approvalsRequired: 1, approverRoles: ['author'] },
    }
    expect(parsePolicyVersion(hash, lenient)).toBeNull()
    ws.transact(localOrigin('otto'), () => ws.policies.set(hash, lenient))
    expect(ws.policyBook().get(hash)).toBeUndefined()
    expect(parsePolicyVersion(hash, null)).toBeNull()
    expect(parsePolicyVersion(hash, { ...stored, policy: { ...stored.policy, checklist: 'x' } })).toBeNull()
  })

  it('two members recording the same rules offline write one version', () => {
    const a = setup(TYPE)
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.ws.doc))
    const hash = policyHash(policyOf(a.ws.types.get(TYPE)!, a.ws.types.all()))
    expect(a.ws.policyBook().get(hash)).toBeDefined()
    expect(a.ws.policies.size).toBe(a.ws.types.all().length)
  })

  it('the diff names each change in words', () => {
    const { ws } = setup(TYPE)
    const type = ws.types.get(TYPE)!
    const before = policyOf(type, ws.types.all())
    const after = policyOf(
      {
        ...type,
        risk: 'high',
        approvalsRequired: 2,
        approverRoles: ['approver'],
        allowSelfApproval: true,
        checklist: type.checklist
          .slice(1)
          .map((i, n) => (n === 0 ? { ...i, severity: 'warning' as const } : i)),
      },
      ws.types.all(),
    )
    const changes = diffPolicies(before, after)
    expect(changes).toEqual(
      expect.arrayContaining([
        'Risk: medium → high.',
        'Approvals required: 1 → 2.',
        'Who approves: reviewer, approver, admin → approver.',
        'Self-approval: not allowed → allowed.',
        `Checklist item removed: “${type.checklist[0]!.title}”.`,
        `“${type.checklist[1]!.title}” is now a warning only.`,
      ]),
    )
  })

  it('names destinations by their names, a removed one as removed, never by id', () => {
    const { ws } = setup(TYPE)
    const drive = addDestination(ws, 'admin', 'Shared drive', 'folder')
    const site = addDestination(ws, 'admin', 'Website', 'git')
    if (!drive.ok || !site.ok) throw new Error('setup')
    const type = ws.types.get(TYPE)!
    const before = policyOf({ ...type, allowedDestinations: [drive.destination.id] }, ws.types.all())
    const after = policyOf({ ...type, allowedDestinations: [site.destination.id] }, ws.types.all())
    expect(removeDestination(ws, 'admin', drive.destination.id).ok).toBe(true)
    expect(diffPolicies(before, after, (id) => destinationLabel(ws, id))).toEqual([
      'Destinations: Shared drive (removed) → Website.',
    ])
  })
})
