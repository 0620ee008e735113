import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  assignReviewer,
  autoAssign,
  deriveOutput,
  localOrigin,
  type Member,
  OutputDoc,
  type OutputType,
  parseOutputType,
  perform,
  reassignOverdue,
  type TrailEventOf,
  Workspace,
} from '../../../shared/domain/index.ts'
import { chooseAssignee, loadsFrom, overdueBackup, overdueSince } from '../../../shared/routing/assign.ts'
import { parseRoutingConfig, type RoutingConfig } from '../../../shared/routing/config.ts'
import { lastAssignedFor } from '../../../shared/routing/state.ts'
import { enrollAll } from '../../support/keys.ts'
import { summaryRow } from '../../support/rows.ts'
import { setup } from '../domain/fixture.ts'

const HOUR = 3_600_000
const m = (id: string, roles: Member['roles']): Member => ({ id, name: id, roles, joinedAt: 0 })
const MEMBERS = [
  m('alice', ['author', 'reviewer']),
  m('bob', ['reviewer']),
  m('cara', ['reviewer']),
  m('dan', ['approver']),
]
const typeWith = (routing: RoutingConfig, allowSelfApproval = false): OutputType => ({
  id: 't',
  name: 'Blog post',
  description: '',
  risk: 'medium',
  checklist: [],
  approvalsRequired: 1,
  approverRoles: ['approver'],
  allowSelfApproval,
  allowedDestinations: [],
  reviewSlaHours: 24,
  routing,
})

/** An `assigned` event that `actor`'s app writes and signs (round 1 unless given). */
function assign(
  ws: Workspace,
  out: OutputDoc,
  e: {
    id: string
    actor: string
    at: number
    assignee: string
    reason: 'auto' | 'manual' | 'overdue'
    round?: number
  },
) {
  const { id, actor, at, assignee, reason, round = 1 } = e
  out.transact(localOrigin(actor), () =>
    out.append({ id, v: 1, kind: 'assigned', actor, at, assignee, reason, round }, ws.signerFor(actor)),
  )
}

describe('routing config', () => {
  it('reads junk as no routing and keeps good fields', () => {
    expect(parseRoutingConfig('x')).toEqual({ strategy: 'none', role: 'reviewer' })
    expect(parseRoutingConfig({ strategy: 'random' })).toEqual({ strategy: 'none', role: 'reviewer' })
    expect(parseRoutingConfig({ strategy: 'fixed' })).toEqual({ strategy: 'none', role: 'reviewer' })
    expect(
      parseRoutingConfig({ strategy: 'fixed', fixedMemberId: 'bob', role: 'boss', backupMemberId: 3 }),
    ).toEqual({
      strategy: 'fixed',
      role: 'reviewer',
      fixedMemberId: 'bob',
    })
    expect(parseRoutingConfig({ strategy: 'least-busy', role: 'approver', backupMemberId: 'dan' })).toEqual({
      strategy: 'least-busy',
      role: 'approver',
      backupMemberId: 'dan',
    })
    const t = parseOutputType({ id: 't', name: 'T', routing: { strategy: 7 } })
    expect(t?.routing).toBeUndefined()
    expect(parseOutputType({ id: 't', name: 'T', routing: { strategy: 'round-robin' } })?.routing).toEqual({
      strategy: 'round-robin',
      role: 'reviewer',
    })
  })
})

describe('chooseAssignee', () => {
  const none = new Map<string, number>()
  it('fixed: the named member, unless they may not review it', () => {
    // alice's output, routed to one named reviewer.
    const fixedTo = (memberId: string) =>
      chooseAssignee(
        typeWith({ strategy: 'fixed', role: 'reviewer', fixedMemberId: memberId }),
        MEMBERS,
        none,
        undefined,
        'alice',
      )
    expect(fixedTo('bob').assignee).toBe('bob')
    const self = fixedTo('alice')
    expect(self.assignee).toBeNull()
    expect(self.reason).toMatch(/own author/)
    const gone = fixedTo('zed')
    expect(gone.assignee).toBeNull()
    expect(gone.reason).toMatch(/not a member/)
  })
  it('round-robin: next by id after the last pick, wrapping, never the author', () => {
    const t = typeWith({ strategy: 'round-robin', role: 'reviewer' })
    expect(chooseAssignee(t, MEMBERS, none, undefined, 'alice').assignee).toBe('bob')
    expect(chooseAssignee(t, MEMBERS, none, 'bob', 'alice').assignee).toBe('cara')
    expect(chooseAssignee(t, MEMBERS, none, 'cara', 'alice').assignee).toBe('bob')
    expect(chooseAssignee(t, MEMBERS, none, 'bob', 'dan').assignee).toBe('cara')
    expect(chooseAssignee(t, MEMBERS, none, 'cara', 'dan').assignee).toBe('alice')
    // Self-approval allowed: the author is in the rotation.
    expect(
      chooseAssignee(
        typeWith({ strategy: 'round-robin', role: 'reviewer' }, true),
        MEMBERS,
        none,
        undefined,
        'alice',
      ).assignee,
    ).toBe('alice')
  })
  it('least-busy: fewest in-review outputs assigned, ties in rotation order', () => {
    const t = typeWith({ strategy: 'least-busy', role: 'reviewer' })
    expect(
      chooseAssignee(
        t,
        MEMBERS,
        new Map([
          ['bob', 3],
          ['cara', 1],
        ]),
        undefined,
        'alice',
      ).assignee,
    ).toBe('cara')
    expect(
      chooseAssignee(
        t,
        MEMBERS,
        new Map([
          ['bob', 1],
          ['cara', 1],
        ]),
        'bob',
        'alice',
      ).assignee,
    ).toBe('cara')
    expect(chooseAssignee(t, MEMBERS, new Map(), undefined, 'dan').assignee).toBe('alice')
  })
  it('nobody eligible: no assignee, with a reason', () => {
    const c = chooseAssignee(
      typeWith({ strategy: 'round-robin', role: 'approver' }),
      MEMBERS,
      none,
      undefined,
      'dan',
    )
    expect(c).toEqual({ assignee: null, reason: expect.stringMatching(/approver/) })
    expect(
      chooseAssignee(typeWith({ strategy: 'none', role: 'reviewer' }), MEMBERS, none, undefined, 'x')
        .assignee,
    ).toBeNull()
  })
  it('loads count in-review outputs per reviewer', () => {
    const loads = loadsFrom([
      summaryRow({ id: '1', state: 'in_review', reviewer: 'bob' }),
      summaryRow({ id: '2', state: 'in_review', reviewer: 'bob' }),
      summaryRow({ id: '3', state: 'approved', reviewer: 'cara' }),
    ])
    expect([...loads]).toEqual([['bob', 2]])
  })
})

describe('SLA', () => {
  const t = typeWith({ strategy: 'none', role: 'reviewer', backupMemberId: 'cara' })
  it('overdue only in review and past submission + SLA', () => {
    expect(overdueSince({ state: 'in_review', submittedAt: 0 }, t, 24 * HOUR)).toBeNull()
    expect(overdueSince({ state: 'in_review', submittedAt: 0 }, t, 24 * HOUR + 1)).toBe(24 * HOUR)
    expect(overdueSince({ state: 'approved', submittedAt: 0 }, t, 48 * HOUR)).toBeNull()
    expect(overdueSince({ state: 'in_review' }, t, 48 * HOUR)).toBeNull()
    expect(overdueSince({ state: 'in_review', submittedAt: 0 }, undefined, 48 * HOUR)).toBeNull()
  })
  it('backup only when overdue, not yet reassigned, and not already the reviewer', () => {
    const s = { state: 'in_review' as const, submittedAt: 0, reviewer: 'bob', authorId: 'alice' }
    expect(overdueBackup(s, t, MEMBERS, HOUR)).toBeNull()
    expect(overdueBackup(s, t, MEMBERS, 25 * HOUR)).toBe('cara')
    expect(overdueBackup({ ...s, reassigned: true }, t, MEMBERS, 25 * HOUR)).toBeNull()
    expect(overdueBackup({ ...s, reviewer: 'cara' }, t, MEMBERS, 25 * HOUR)).toBeNull()
    expect(overdueBackup({ ...s, authorId: 'cara' }, t, MEMBERS, 25 * HOUR)).toBeNull()
  })
})

/** The fixture's workspace with round-robin routing on the output's type, submitted by alice. */
function routed(
  routing: RoutingConfig = { strategy: 'round-robin', role: 'approver', backupMemberId: 'rita' },
) {
  const { ws, out } = setup()
  const type = ws.types.get('pricing-update')!
  ws.transact(localOrigin('admin'), () => {
    ws.types.put({ ...type, routing })
    // The admin only administers here, so the approvers are adam and amy.
    ws.members.put({ ...ws.members.get('admin')!, roles: ['admin'] })
  })
  return { ws, out, sla: type.reviewSlaHours * HOUR }
}

describe('assignment in the trail', () => {
  it('submitting assigns by the routing; the summary shows the reviewer; the rotation moves on', () => {
    const { ws, out } = routed()
    expect(perform(ws, out, 'alice', { action: 'submit' }, 3000).ok).toBe(true)
    const { derived } = deriveOutput(ws, out)
    expect(derived.assignment).toMatchObject({ assignee: 'adam', reason: 'auto', round: 1, by: 'alice' })
    expect(ws.summary('o1')?.reviewer).toBe('adam')
    expect(lastAssignedFor(ws, 'pricing-update')).toBe('adam')
    // A second submission round goes to the next approver.
    perform(ws, out, 'adam', { action: 'request_changes', reasons: ['fix'] }, 4000)
    expect(ws.summary('o1')?.reviewer).toBeUndefined()
    perform(ws, out, 'alice', { action: 'submit' }, 5000)
    expect(ws.summary('o1')?.reviewer).toBe('amy')
  })

  it('a later automatic assignment of the same round is superseded; a stale round is refused', () => {
    const { ws, out } = routed()
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    assign(ws, out, { id: 'x1', actor: 'otto', at: 3100, assignee: 'amy', reason: 'auto' })
    assign(ws, out, { id: 'x2', actor: 'otto', at: 3100, assignee: 'amy', reason: 'auto', round: 7 })
    assign(ws, out, { id: 'x3', actor: 'otto', at: 3100, assignee: 'alice', reason: 'manual' })
    const { derived } = deriveOutput(ws, out)
    expect(derived.assignment?.assignee).toBe('adam')
    expect(derived.problems.map((p) => p.eventId)).toEqual(['x1', 'x2', 'x3'])
    expect(derived.problems[0]?.reason).toMatch(/superseded/)
    // A reviewer may reassign by hand.
    assign(ws, out, { id: 'x4', actor: 'rita', at: 3200, assignee: 'amy', reason: 'manual' })
    expect(deriveOutput(ws, out).derived.assignment?.assignee).toBe('amy')
  })

  it('no eligible member: nothing is written and the reason is returned', () => {
    const { ws, out } = routed({ strategy: 'fixed', role: 'reviewer', fixedMemberId: 'alice' })
    const before = out.trail.length
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    expect(out.trail.length).toBe(before + 1)
    expect(deriveOutput(ws, out).derived.assignment).toBeUndefined()
  })

  it('an overdue review goes to the backup once, and not before the SLA', () => {
    const { ws, out, sla } = routed()
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    expect(reassignOverdue(ws, out, 'otto', 3000 + sla)).toBeNull()
    expect(reassignOverdue(ws, out, 'otto', 3001 + sla)).toBe('rita')
    expect(reassignOverdue(ws, out, 'amy', 3002 + sla)).toBeNull()
    const s = ws.summary('o1')!
    expect(s).toMatchObject({ reviewer: 'rita', reassigned: true })
    // An early hand-over written by a peer with a fast clock does not count.
    const { ws: ws2, out: out2 } = routed()
    perform(ws2, out2, 'alice', { action: 'submit' }, 3000)
    assign(ws2, out2, { id: 'early', actor: 'otto', at: 4000, assignee: 'rita', reason: 'overdue' })
    expect(deriveOutput(ws2, out2).derived.problems.at(-1)?.reason).toMatch(/not overdue yet/)
  })
})

describe('concurrent assignment from two offline members', () => {
  function peer(wsUpdate: Uint8Array, outUpdate: Uint8Array, clientID: number) {
    const wsDoc = new Y.Doc()
    wsDoc.clientID = clientID
    Y.applyUpdate(wsDoc, wsUpdate)
    const outDoc = new Y.Doc()
    outDoc.clientID = clientID
    Y.applyUpdate(outDoc, outUpdate)
    return { ws: enrollAll(new Workspace(wsDoc)), out: new OutputDoc(outDoc) }
  }

  it.each([
    ['a then b', false],
    ['b then a', true],
  ])('both peers end on the same assignee when merged %s', (_, reverse) => {
    const { ws, out } = routed({ strategy: 'least-busy', role: 'approver' })
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    // Clear the submitter's assignment so both offline members route the same round.
    const base = peer(Y.encodeStateAsUpdate(ws.doc), Y.encodeStateAsUpdate(out.doc), 1)
    const trail = base.out.trail
    base.out.transact(localOrigin('admin'), () => trail.delete(trail.length - 1, 1))
    const wsU = Y.encodeStateAsUpdate(base.ws.doc)
    const outU = Y.encodeStateAsUpdate(base.out.doc)
    const a = peer(wsU, outU, 100)
    const b = peer(wsU, outU, 200)
    // Offline, each peer sees a different load and picks a different approver.
    a.ws.transact(localOrigin('adam'), () =>
      a.ws.summaries.set('busy', {
        ...a.ws.summary('o1')!,
        id: 'busy',
        state: 'in_review',
        reviewer: 'adam',
      }),
    )
    b.ws.transact(localOrigin('amy'), () =>
      b.ws.summaries.set('busy', { ...b.ws.summary('o1')!, id: 'busy', state: 'in_review', reviewer: 'amy' }),
    )
    expect(autoAssign(a.ws, a.out, 'adam', 3100)?.assignee).toBe('amy')
    expect(autoAssign(b.ws, b.out, 'amy', 3200)?.assignee).toBe('adam')
    const ua = Y.encodeStateAsUpdate(a.out.doc)
    const ub = Y.encodeStateAsUpdate(b.out.doc)
    if (reverse) {
      Y.applyUpdate(b.out.doc, ua)
      Y.applyUpdate(a.out.doc, ub)
    } else {
      Y.applyUpdate(a.out.doc, ub)
      Y.applyUpdate(b.out.doc, ua)
    }
    const onA = deriveOutput(a.ws, a.out).derived
    const onB = deriveOutput(b.ws, b.out).derived
    expect(onA.assignment?.assignee).toBeDefined()
    expect(onA.assignment).toEqual(onB.assignment)
    expect(onA.problems.map((p) => p.reason)).toEqual(onB.problems.map((p) => p.reason))
    expect(onA.problems.some((p) => /superseded/.test(p.reason))).toBe(true)
  })

  it('the winner is the same whichever order the updates arrive in', () => {
    const winners = new Set<string | undefined>()
    for (const reverse of [false, true]) {
      const { ws, out } = routed({ strategy: 'fixed', role: 'reviewer', fixedMemberId: 'rita' })
      const a = peer(Y.encodeStateAsUpdate(ws.doc), Y.encodeStateAsUpdate(out.doc), 100)
      const b = peer(Y.encodeStateAsUpdate(ws.doc), Y.encodeStateAsUpdate(out.doc), 200)
      // Both submit offline; each app assigns its own round 1, one to rita and one by hand to amy.
      perform(a.ws, a.out, 'alice', { action: 'submit' }, 3000)
      perform(b.ws, b.out, 'alice', { action: 'submit' }, 3001)
      b.out.transact(localOrigin('alice'), () => {
        const t = b.out.trail
        const last = t.get(t.length - 1) as TrailEventOf<'assigned'>
        t.delete(t.length - 1, 1)
        b.out.append({ ...last, id: 'b-auto', assignee: 'amy' }, b.ws.signerFor('alice'))
      })
      const ua = Y.encodeStateAsUpdate(a.out.doc)
      const ub = Y.encodeStateAsUpdate(b.out.doc)
      const first = reverse ? b : a
      const second = reverse ? a : b
      Y.applyUpdate(first.out.doc, reverse ? ua : ub)
      Y.applyUpdate(second.out.doc, reverse ? ub : ua)
      const x = deriveOutput(a.ws, a.out).derived.assignment
      const y = deriveOutput(b.ws, b.out).derived.assignment
      expect(x).toEqual(y)
      winners.add(x?.assignee)
    }
    expect(winners.size).toBe(1)
  })
})

describe('reassigning by hand', () => {
  it('a reviewer hands the review to another eligible member; the rules refuse the rest', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    expect(assignReviewer(ws, out, 'rita', 'amy', 3100)).toEqual({ ok: true })
    expect(deriveOutput(ws, out).derived.assignment).toMatchObject({
      assignee: 'amy',
      reason: 'manual',
      by: 'rita',
    })
    expect(ws.summary('o1')?.reviewer).toBe('amy')
    expect(assignReviewer(ws, out, 'rita', 'amy')).toEqual({ ok: false, reason: 'Amy already reviews it.' })
    expect(assignReviewer(ws, out, 'otto', 'adam')).toEqual({
      ok: false,
      reason: 'Otto may not assign reviews: that needs a reviewer, approver or admin.',
    })
    expect(assignReviewer(ws, out, 'rita', 'alice')).toEqual({
      ok: false,
      reason: 'Alice is not a reviewer or approver.',
    })
    expect(assignReviewer(ws, out, 'rita', 'ghost').ok).toBe(false)
    expect(deriveOutput(ws, out).derived.problems).toEqual([])
  })

  it('only in review', () => {
    const { ws, out } = setup()
    expect(assignReviewer(ws, out, 'rita', 'amy')).toEqual({
      ok: false,
      reason: 'Only outputs in review are assigned.',
    })
  })
})
