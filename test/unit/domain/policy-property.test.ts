/**
 * Property: reviews, publishes and policy edits made on two members' devices offline, merged in
 * any order, never let a policy edit change what derivation says about the output (its rounds
 * keep their rules), never remove a publish from the shipped log (one made while the other device
 * sent the output back offline stays, flagged), and both devices agree once everything is merged.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  claimPublish,
  type Derived,
  deriveOutput,
  localOrigin,
  OutputDoc,
  type OutputType,
  perform,
  REMOTE,
  recordPublishOutcome,
  saveOutputType,
  startNewRound,
  Workspace,
} from '../../../shared/domain/index.ts'
import { enrollAll } from '../../support/keys.ts'
import { setup } from './fixture.ts'

const TYPE = 'social-post'

interface Peer {
  ws: Workspace
  out: OutputDoc
}

type Op =
  | { kind: 'submit' }
  | { kind: 'review' }
  | { kind: 'changes' }
  | { kind: 'publish' }
  | { kind: 'edit'; text: string }
  | { kind: 'policy'; approvals: number; addItem: boolean; dropFirst: boolean; selfApproval: boolean }
  | { kind: 'newRound' }
  | { kind: 'syncWs' }
  | { kind: 'syncOut' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'submit' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'review' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'changes' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'publish' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      text: fc.constantFrom(' More.', '!', ' Fixed.'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('policy' as const),
      approvals: fc.integer({ min: 1, max: 3 }),
      addItem: fc.boolean(),
      dropFirst: fc.boolean(),
      selfApproval: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'newRound' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'syncWs' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'syncOut' as const }) },
)

function peers(): [Peer, Peer] {
  const { ws, out } = setup(TYPE, 'We ship the board on Monday.')
  ws.transact(localOrigin('admin'), () =>
    ws.destinations.put({ id: 'social', name: 'Social', kind: 'folder' }),
  )
  saveOutputType(ws, 'admin', { ...ws.types.get(TYPE)!, allowedDestinations: ['social'] }, 1500)
  const wsDoc = new Y.Doc()
  const outDoc = new Y.Doc()
  Y.applyUpdate(wsDoc, Y.encodeStateAsUpdate(ws.doc), REMOTE)
  Y.applyUpdate(outDoc, Y.encodeStateAsUpdate(out.doc), REMOTE)
  return [
    { ws, out },
    { ws: enrollAll(new Workspace(wsDoc)), out: new OutputDoc(outDoc) },
  ]
}

const merge = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), REMOTE)
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE)
}

/** What a person sees of the output's review; what a policy edit must never change. */
function view(p: Peer) {
  const d: Derived = deriveOutput(p.ws, p.out).derived
  return {
    state: d.state,
    round: d.round,
    rounds: d.rounds.map((r) => r.hash),
    approvals: d.approvals.map((a) => a.memberId).sort(),
    // Before the first submission the checklist shown is simply the type's current one.
    checklist: d.round > 0 ? d.checklist.map((r) => `${r.item.id}:${r.judgement?.verdict ?? '-'}`) : [],
    published: published(d),
    problems: d.problems.length,
  }
}
/** Everything that went out (counted or not): what the shipped log lists. */
const published = (d: Derived) =>
  [...d.publishes, ...d.unapprovedPublishes]
    .filter((p) => p.status === 'published')
    .map((p) => p.attemptId)
    .sort()

function edited(type: OutputType, op: Op & { kind: 'policy' }, step: number): OutputType {
  let checklist = op.dropFirst && type.checklist.length > 1 ? type.checklist.slice(1) : type.checklist
  if (op.addItem)
    checklist = [
      ...checklist,
      { id: `new-${step}`, title: `New ${step}`, question: '?', guidance: '', severity: 'send-back' },
    ]
  return { ...type, checklist, approvalsRequired: op.approvals, allowSelfApproval: op.selfApproval }
}

function run(p: Peer, other: Peer, op: Op, step: number): void {
  const now = 3000 + step * 10
  const { ws, out } = p
  switch (op.kind) {
    case 'submit':
      perform(ws, out, 'alice', { action: 'submit' }, now)
      return
    case 'review': {
      const d = deriveOutput(ws, out).derived
      for (const row of d.checklist)
        perform(ws, out, 'rita', { action: 'judge', itemId: row.item.id, verdict: 'pass' }, now)
      perform(ws, out, 'adam', { action: 'approve' }, now + 1)
      perform(ws, out, 'amy', { action: 'approve' }, now + 2)
      perform(ws, out, 'admin', { action: 'approve' }, now + 3)
      return
    }
    case 'changes':
      perform(ws, out, 'rita', { action: 'request_changes', reasons: ['Shorter'] }, now)
      return
    case 'publish': {
      const claimed = claimPublish(ws, out, 'alice', 'social', { now })
      if (claimed.ok)
        recordPublishOutcome(ws, out, 'alice', claimed.claim, { ok: true, receipt: {} }, now + 1)
      return
    }
    case 'edit':
      out.transact(localOrigin('alice'), () => out.content.insert(out.content.length, op.text))
      return
    case 'policy': {
      const before = view(p)
      saveOutputType(ws, 'admin', edited(ws.types.get(TYPE)!, op, step), now)
      expect(view(p)).toEqual(before)
      return
    }
    case 'newRound':
      startNewRound(ws, out, 'admin', 'New rules', now)
      return
    case 'syncWs': {
      // The workspace carries type edits and board rows: no decision moves with them, except
      // that a round whose rules had not arrived yet is judged once they do.
      const waiting = (peer: Peer) =>
        deriveOutput(peer.ws, peer.out).derived.problems.some((x) => x.reason.includes('does not hold'))
      const both = [p, other]
      const before = both.map((peer) => (waiting(peer) ? null : view(peer)))
      merge(p.ws.doc, other.ws.doc)
      both.forEach((peer, i) => {
        if (before[i]) expect(view(peer)).toEqual(before[i])
      })
      return
    }
    case 'syncOut':
      merge(p.out.doc, other.out.doc)
      return
  }
}

describe('policy edits across offline peers', () => {
  it('never change a derivation, never remove a publish, and converge', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ who: fc.constantFrom(0, 1), op: opArb }), { minLength: 5, maxLength: 40 }),
        (steps) => {
          const pair = peers()
          const shipped = [new Set<string>(), new Set<string>()]
          steps.forEach(({ who, op }, step) => {
            run(pair[who]!, pair[1 - who]!, op, step)
            pair.forEach((p, i) => {
              const now = published(deriveOutput(p.ws, p.out).derived)
              for (const id of shipped[i]!) expect(now).toContain(id)
              for (const id of now) shipped[i]!.add(id)
            })
          })
          merge(pair[0].ws.doc, pair[1].ws.doc)
          merge(pair[0].out.doc, pair[1].out.doc)
          expect(view(pair[0])).toEqual(view(pair[1]))
          for (const id of [...shipped[0]!, ...shipped[1]!]) expect(view(pair[0]).published).toContain(id)
        },
      ),
      { numRuns: Number(process.env.POLICY_RUNS ?? 60), seed: 20261130 },
    )
  }, 120_000)
})
