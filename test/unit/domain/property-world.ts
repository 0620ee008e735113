/**
 * The world the domain property tests act in: one workspace with members of varied roles, one
 * output of a chosen type, the random moves people make and the checks every step must pass.
 */

import fc from 'fast-check'
import { expect } from 'vitest'
import * as Y from 'yjs'
import {
  createOutput,
  type Derived,
  deriveInput,
  deriveOutput,
  localOrigin,
  OutputDoc,
  perform,
  type ReviewAction,
  ROLES,
  type Role,
  recordEdit,
  SMALL_TEAM_TYPES,
  type TrailEvent,
  type Workspace,
} from '../../../shared/domain/index.ts'
import { enrollAll } from '../../support/keys.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'
import { policyViolation } from './oracle.ts'

// ---------------------------------------------------------------------------------------------
// The world: one workspace with members of varied roles, one output of a chosen type.

export const MEMBERS: Record<string, Role[]> = {
  admin: [...ROLES],
  alice: ['author'],
  rita: ['reviewer'],
  adam: ['approver'],
  amy: ['approver'],
  otto: ['author'],
  rex: ['author', 'reviewer', 'approver'],
}
/** Everyone who may try something, including somebody who is not a member. */
export const ACTORS = [...Object.keys(MEMBERS), 'ghost']
export const TYPE_IDS = SMALL_TEAM_TYPES.map((t) => t.id)

export interface World {
  ws: Workspace
  out: OutputDoc
}

export function world(typeId: string, authorId: string, assignees: string[], clientId?: number): World {
  const wsDoc = new Y.Doc()
  const outDoc = new Y.Doc()
  if (clientId !== undefined) {
    wsDoc.clientID = clientId
    outDoc.clientID = clientId
  }
  const ws = smallTeamWorkspace(wsDoc, 'ws1', 'Acme', { id: 'admin', name: 'Ada Admin' }, 1000)
  ws.transact(localOrigin('admin'), () => {
    for (const [id, roles] of Object.entries(MEMBERS)) {
      if (id !== 'admin')
        ws.members.put({ id, name: id[0]!.toUpperCase() + id.slice(1), roles, joinedAt: 1000 })
    }
  })
  enrollAll(ws)
  const out = new OutputDoc(outDoc)
  createOutput(ws, out, {
    id: 'o1',
    title: 'Out',
    typeId,
    content: 'Draft one.',
    authorId,
    assignees,
    now: 2000,
  })
  return { ws, out }
}

// ---------------------------------------------------------------------------------------------
// Moves: what one person does in one step.

export type Move =
  | { kind: 'submit' }
  | { kind: 'judge'; item: number; verdict: 'pass' | 'fail' | 'na'; note: string }
  /** Judge every checklist item "pass", then approve: makes approval reachable often. */
  | { kind: 'review' }
  | { kind: 'approve' }
  | { kind: 'request_changes'; reasons: string[] }
  | { kind: 'reject'; reason: string }
  | { kind: 'reopen' }
  | { kind: 'archive' }
  | { kind: 'edit'; pos: number; del: number; text: string; record: boolean }
  /** Put the content back to an earlier text, so old approvals name the current bytes again. */
  | { kind: 'revert'; back: number; record: boolean }
  /** The admin changes somebody's roles (only the admin may; others' attempts are skipped). */
  | { kind: 'roles'; member: number; roles: Role[] }
  /**
   * An event appended straight to the trail, bypassing `perform`'s checks: an older or buggy
   * client, or a forgery. Derivation must hold the rules against these on its own.
   */
  | { kind: 'raw'; event: RawKind; item: number; verdict: 'pass' | 'fail' | 'na' }

const RAW_KINDS = [
  'submitted',
  'judged',
  'approved',
  'changes_requested',
  'rejected',
  'reopened',
  'archived',
  'new_version',
] as const
type RawKind = (typeof RAW_KINDS)[number]

export const moveArb: fc.Arbitrary<Move> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'submit' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('judge' as const),
      item: fc.nat(6),
      verdict: fc.constantFrom('pass' as const, 'pass' as const, 'na' as const, 'fail' as const),
      note: fc.constantFrom('', 'because'),
    }),
  },
  { weight: 8, arbitrary: fc.constant({ kind: 'review' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'approve' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('request_changes' as const),
      reasons: fc.constantFrom<string[]>([], ['  '], ['Fix the numbers']),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('reject' as const), reason: fc.constantFrom('', 'No') }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'archive' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      pos: fc.nat(40),
      del: fc.nat(3),
      text: fc.string({ maxLength: 4 }),
      record: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('revert' as const), back: fc.nat(5), record: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      event: fc.constantFrom(...RAW_KINDS, 'approved' as const, 'approved' as const),
      item: fc.nat(6),
      verdict: fc.constantFrom('pass' as const, 'fail' as const, 'na' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('roles' as const),
      member: fc.nat(Object.keys(MEMBERS).length - 1),
      roles: fc.subarray([...ROLES]),
    }),
  },
)

/** The review action a move asks `perform` for (several for "review"), or null for content moves. */
function reviewActions(w: World, move: Move): ReviewAction[] | null {
  const type = w.ws.types.get(w.out.readMeta().typeId)!
  switch (move.kind) {
    case 'submit':
    case 'approve':
    case 'reopen':
    case 'archive':
      return [{ action: move.kind }]
    case 'judge':
      // Indexes past the checklist name an item the type does not have.
      return [
        {
          action: 'judge',
          itemId: type.checklist[move.item]?.id ?? 'no-such-item',
          verdict: move.verdict,
          note: move.note,
        },
      ]
    case 'review':
      return [
        ...type.checklist.map((i) => ({ action: 'judge' as const, itemId: i.id, verdict: 'pass' as const })),
        { action: 'approve' },
      ]
    case 'request_changes':
      return [{ action: 'request_changes', reasons: move.reasons }]
    case 'reject':
      return [{ action: 'reject', reason: move.reason }]
    default:
      return null
  }
}

/** Content and membership moves: direct document writes, as the editor and settings make them. */
function writeDirectly(w: World, actor: string, move: Move, history: string[], now: number): void {
  const { out, ws } = w
  const before = out.text()
  switch (move.kind) {
    case 'edit': {
      const pos = move.pos % (before.length + 1)
      const del = Math.min(move.del, before.length - pos)
      out.transact(localOrigin(actor), () => {
        if (del > 0) out.content.delete(pos, del)
        if (move.text) out.content.insert(pos, move.text)
      })
      if (move.record) recordEdit(ws, out, actor, before, now)
      break
    }
    case 'revert': {
      const target = history[Math.max(0, history.length - 1 - move.back)] ?? before
      out.transact(localOrigin(actor), () => {
        out.content.delete(0, out.content.length)
        out.content.insert(0, target)
      })
      if (move.record) recordEdit(ws, out, actor, before, now)
      break
    }
    case 'roles': {
      if (actor !== 'admin') break
      const id = Object.keys(MEMBERS)[move.member]!
      if (id === 'admin') break
      ws.transact(localOrigin(actor), () => ws.members.patch(id, { roles: move.roles }))
      break
    }
    case 'raw': {
      const type = ws.types.get(out.readMeta().typeId)!
      const event = {
        id: `raw-${now}-${out.trail.length}`,
        v: 1,
        kind: move.event,
        actor,
        at: now,
        contentHash: out.hash(),
        itemId: type.checklist[move.item]?.id ?? 'no-such-item',
        verdict: move.verdict,
        note: '',
        reasons: ['forged'],
        reason: 'forged',
      }
      out.transact(localOrigin(actor), () => out.append(event as TrailEvent, ws.signerFor(actor)))
      break
    }
    default:
      break
  }
  const after = out.text()
  if (after !== before) history.push(after)
}

export function assertValid(w: World, d: Derived): void {
  const input = deriveInput(w.ws, w.out)
  if (d.state === 'approved') {
    const why = policyViolation(input, d.approvedHash)
    if (why !== null) throw new Error(`approved although ${why}`)
  }
  expect(d.approvals.length).toBeLessThanOrEqual(new Set(d.approvals.map((a) => a.memberId)).size)
  expect(d.checklistDone).toBeLessThanOrEqual(d.checklistTotal)
  expect(d.problems.length + d.events.length).toBe(input.trail.length)
}

/** Perform one review action and check that a refusal wrote nothing and an acceptance counted. */
function performChecked(w: World, actor: string, act: ReviewAction, now: number): boolean {
  const { ws, out } = w
  const svOut = Y.encodeStateVector(out.doc)
  const svWs = Y.encodeStateVector(ws.doc)
  const length = out.trail.length
  const result = perform(ws, out, actor, act, now)
  if (!result.ok) {
    expect(result.reason.length).toBeGreaterThan(0)
    expect(Y.encodeStateVector(out.doc)).toEqual(svOut)
    expect(Y.encodeStateVector(ws.doc)).toEqual(svWs)
    return false
  }
  expect(out.trail.length).toBe(length + 1)
  const { derived } = deriveOutput(ws, out)
  expect(derived.problems.find((p) => p.index === length)).toBeUndefined()
  expect(ws.summary(out.id)?.state).toBe(derived.state)
  return true
}

/**
 * One person's move: the review actions it asks for, each checked, or a direct write; then the
 * output must still derive to a valid state, which is returned.
 */
export function play(w: World, who: string, move: Move, history: string[], now: number): Derived {
  const acts = reviewActions(w, move)
  if (acts) for (const act of acts) performChecked(w, who, act, now)
  else writeDirectly(w, who, move, history, now)
  const { derived } = deriveOutput(w.ws, w.out)
  assertValid(w, derived)
  return derived
}
