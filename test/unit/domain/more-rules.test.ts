/**
 * The review rules not already spelled out in rules.test.ts: who may do what, and what each
 * action does to the round. Read the test names as the rule book.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  allowedActions,
  deriveOutput,
  localOrigin,
  OutputDoc,
  perform,
  REMOTE,
  recordEdit,
  Workspace,
} from '../../../shared/domain/index.ts'
import { enrollAll } from '../../support/keys.ts'
import { edit, setup } from './fixture.ts'

type Ctx = ReturnType<typeof setup>
const state = ({ ws, out }: Ctx) => deriveOutput(ws, out).derived
const judgeAll = ({ ws, out }: Ctx, who: string) => {
  for (const item of ws.types.get(out.readMeta().typeId)!.checklist)
    expect(perform(ws, out, who, { action: 'judge', itemId: item.id, verdict: 'pass' }).ok).toBe(true)
}
const reason = (r: { ok: boolean; reason?: string }) => (r.ok ? '' : (r as { reason: string }).reason)

describe('who may submit', () => {
  it('an admin may submit somebody else’s output', () => {
    const c = setup()
    expect(perform(c.ws, c.out, 'admin', { action: 'submit' }).ok).toBe(true)
  })

  it('an assignee may submit the output they were assigned', () => {
    const c = setup()
    c.out.transact(localOrigin('alice'), () => c.out.meta.set('assignees', ['otto']))
    expect(perform(c.ws, c.out, 'otto', { action: 'submit' }).ok).toBe(true)
  })

  it('somebody who is not a member can do nothing at all', () => {
    const c = setup()
    const { derived, input } = deriveOutput(c.ws, c.out)
    for (const check of Object.values(allowedActions(derived, input, 'mallory'))) {
      expect(check).toEqual({ ok: false, reason: 'They are not a member of this workspace.' })
    }
  })

  it('an output whose type was deleted cannot be submitted', () => {
    const c = setup()
    c.ws.transact(localOrigin('admin'), () => c.ws.types.delete('pricing-update'))
    expect(reason(perform(c.ws, c.out, 'alice', { action: 'submit' }))).toMatch(/no known type/)
  })
})

describe('who may judge and send back', () => {
  it('an author cannot judge their own output where self-approval is not allowed', () => {
    const c = setup()
    c.ws.transact(localOrigin('admin'), () => c.ws.members.patch('alice', { roles: ['author', 'reviewer'] }))
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    expect(
      reason(perform(c.ws, c.out, 'alice', { action: 'judge', itemId: 'numbers', verdict: 'pass' })),
    ).toMatch(/cannot be reviewed by their own author/)
  })

  it('an author without a reviewing role cannot judge or send back', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    expect(reason(perform(c.ws, c.out, 'otto', { action: 'request_changes', reasons: ['x'] }))).toMatch(
      /not a reviewer or approver/,
    )
  })

  it('judging an item the type does not have is refused', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    expect(
      reason(perform(c.ws, c.out, 'rita', { action: 'judge', itemId: 'vibes', verdict: 'pass' })),
    ).toMatch(/no item "vibes"/)
  })

  it('sending back needs at least one non-blank reason', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    expect(reason(perform(c.ws, c.out, 'rita', { action: 'request_changes', reasons: ['  ', ''] }))).toBe(
      'Say what needs to change.',
    )
  })

  it('a later judgement of the same item replaces the earlier one', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    perform(c.ws, c.out, 'rita', { action: 'judge', itemId: 'numbers', verdict: 'fail', note: 'typo' })
    perform(c.ws, c.out, 'adam', { action: 'judge', itemId: 'numbers', verdict: 'pass' })
    const row = state(c).checklist.find((r) => r.item.id === 'numbers')!
    expect(row.judgement).toMatchObject({ verdict: 'pass', by: 'adam' })
    expect(state(c).checklistFailed).toBe(0)
  })

  it('"not applicable" satisfies a send-back item', () => {
    const c = setup('client-proposal')
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    judgeAll(c, 'rita')
    perform(c.ws, c.out, 'rita', { action: 'judge', itemId: 'pricing', verdict: 'na' })
    expect(perform(c.ws, c.out, 'adam', { action: 'approve' }).ok).toBe(true)
    expect(state(c).state).toBe('approved')
  })
})

describe('rejecting, reopening and archiving', () => {
  it('an admin may reject any output', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    expect(perform(c.ws, c.out, 'admin', { action: 'reject', reason: 'Not now' }).ok).toBe(true)
    expect(state(c).reasons).toEqual(['Not now'])
  })

  it('a rejection needs a reason', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    expect(reason(perform(c.ws, c.out, 'adam', { action: 'reject', reason: ' ' }))).toBe(
      'Say why it is rejected.',
    )
  })

  it('an output that was sent back can still be rejected', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    perform(c.ws, c.out, 'rita', { action: 'request_changes', reasons: ['x'] })
    expect(perform(c.ws, c.out, 'adam', { action: 'reject', reason: 'Drop it' }).ok).toBe(true)
  })

  it('a draft cannot be rejected', () => {
    const c = setup()
    expect(reason(perform(c.ws, c.out, 'adam', { action: 'reject', reason: 'no' }))).toMatch(
      /in review or sent back/,
    )
  })

  it('a draft cannot be reopened', () => {
    const c = setup()
    expect(reason(perform(c.ws, c.out, 'alice', { action: 'reopen' }))).toBe('It is already a draft.')
  })

  it('reopening returns it to draft and forgets the round’s judgements', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    judgeAll(c, 'rita')
    perform(c.ws, c.out, 'rita', { action: 'reopen' })
    expect(state(c)).toMatchObject({ state: 'draft', checklistDone: 0, approvals: [] })
  })

  it('only the author or an admin can archive', () => {
    const c = setup()
    expect(reason(perform(c.ws, c.out, 'adam', { action: 'archive' }))).toMatch(/author or an admin/)
    expect(perform(c.ws, c.out, 'admin', { action: 'archive' }).ok).toBe(true)
    expect(reason(perform(c.ws, c.out, 'alice', { action: 'archive' }))).toBe('It is already archived.')
  })

  it('archiving an approved output ends its approval; reopening brings it back to draft', () => {
    const c = setup('client-proposal')
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    judgeAll(c, 'rita')
    perform(c.ws, c.out, 'adam', { action: 'approve' })
    perform(c.ws, c.out, 'alice', { action: 'archive' })
    expect(state(c)).toMatchObject({ state: 'archived', approvals: [] })
    perform(c.ws, c.out, 'alice', { action: 'reopen' })
    expect(state(c).state).toBe('draft')
  })

  it('the content of an archived output cannot be recorded as edited', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'archive' })
    const before = c.out.text()
    const length = c.out.trail.length
    edit(c.out, 'alice', ' late change')
    expect(recordEdit(c.ws, c.out, 'alice', before)).toBe(false)
    expect(c.out.trail.length).toBe(length)
    expect(state(c).problems).toEqual([])
  })
})

describe('rounds and approvals', () => {
  it('approvals from an earlier round do not count after resubmission', () => {
    const c = setup('client-proposal')
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    judgeAll(c, 'rita')
    perform(c.ws, c.out, 'adam', { action: 'approve' })
    perform(c.ws, c.out, 'rita', { action: 'request_changes', reasons: ['Late change'] })
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    expect(state(c)).toMatchObject({ state: 'in_review', round: 2, approvals: [], checklistDone: 0 })
  })

  it('an admin may approve any type, since every type lists admins among its approvers', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    judgeAll(c, 'rita')
    expect(perform(c.ws, c.out, 'admin', { action: 'approve' }).ok).toBe(true)
    expect(perform(c.ws, c.out, 'adam', { action: 'approve' }).ok).toBe(true)
    expect(state(c).state).toBe('approved')
  })

  it('a further approval of an approved output is refused', () => {
    const c = setup('client-proposal')
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    judgeAll(c, 'rita')
    perform(c.ws, c.out, 'adam', { action: 'approve' })
    expect(reason(perform(c.ws, c.out, 'amy', { action: 'approve' }))).toMatch(/already approved \(1 of 1\)/)
  })

  it('two approvals given offline on two copies both count once merged', () => {
    const c = setup()
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    judgeAll(c, 'rita')
    const copy = () => {
      const ws = new Y.Doc()
      const out = new Y.Doc()
      Y.applyUpdate(ws, Y.encodeStateAsUpdate(c.ws.doc), REMOTE)
      Y.applyUpdate(out, Y.encodeStateAsUpdate(c.out.doc), REMOTE)
      return { ws: enrollAll(new Workspace(ws)), out: new OutputDoc(out) }
    }
    const a = copy()
    const b = copy()
    perform(a.ws, a.out, 'adam', { action: 'approve' })
    perform(b.ws, b.out, 'amy', { action: 'approve' })
    expect(deriveOutput(a.ws, a.out).derived.state).toBe('in_review')
    Y.applyUpdate(a.out.doc, Y.encodeStateAsUpdate(b.out.doc), REMOTE)
    const d = deriveOutput(a.ws, a.out).derived
    expect(d.state).toBe('approved')
    expect(d.approvals.map((x) => x.memberId).sort()).toEqual(['adam', 'amy'])
  })

  it('an approval and a send-back given offline merge into one state: whichever the trail puts first wins', () => {
    const c = setup('client-proposal')
    perform(c.ws, c.out, 'alice', { action: 'submit' })
    judgeAll(c, 'rita')
    const docs = [new Y.Doc(), new Y.Doc()]
    docs[0]!.clientID = 1
    docs[1]!.clientID = 2
    for (const d of docs) Y.applyUpdate(d, Y.encodeStateAsUpdate(c.out.doc), REMOTE)
    const [a, b] = docs.map((d) => new OutputDoc(d)) as [OutputDoc, OutputDoc]
    perform(c.ws, a, 'adam', { action: 'approve' })
    perform(c.ws, b, 'rita', { action: 'request_changes', reasons: ['Wrong client'] })
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc), REMOTE)
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc), REMOTE)
    const da = deriveOutput(c.ws, a).derived
    const db = deriveOutput(c.ws, b).derived
    expect(da.state).toBe(db.state)
    expect(da.problems).toEqual(db.problems)
    expect(['approved', 'changes_requested']).toContain(da.state)
  })
})
