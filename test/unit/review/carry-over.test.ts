/**
 * Verdicts that carry over into the next round, as the type's policy version decides: derived
 * once (derive-round.ts beginRound), so the approval gate, the commands and the review panel read
 * the same carried verdicts; and a policy that never set it keeps its hash and its old trails.
 */
import { describe, expect, it } from 'vitest'
import { reviewView } from '../../../renderer/src/output/review-model.ts'
import { draftOf, editType, validateType } from '../../../renderer/src/settings/type-form.ts'
import {
  type CarryOver,
  carryOverSentence,
  checkAction,
  deriveOutput,
  diffPolicies,
  localOrigin,
  type OutputDoc,
  type OutputType,
  parseOutputType,
  parsePolicyVersion,
  perform,
  policyHash,
  policyOf,
  recordEdit,
  saveOutputType,
  type Workspace,
} from '../../../shared/domain/index.ts'
import { edit, setup } from '../domain/fixture.ts'

const TYPE = 'internal-summary'
const state = (ws: Workspace, out: OutputDoc) => deriveOutput(ws, out).derived

function withCarryOver(ws: Workspace, mode: CarryOver, at = 1500, patch: Partial<OutputType> = {}) {
  expect(saveOutputType(ws, 'admin', { ...ws.types.get(TYPE)!, carryOver: mode, ...patch }, at)).toEqual({
    ok: true,
  })
}

/** Round one: Rita passes "accurate", fails "actions" (a warning item) and sends it back; Alice edits and resubmits. */
function roundTwo(ws: Workspace, out: OutputDoc, between: () => void = () => {}) {
  expect(perform(ws, out, 'alice', { action: 'submit' }, 3000)).toEqual({ ok: true })
  perform(ws, out, 'rita', { action: 'judge', itemId: 'accurate', verdict: 'pass' }, 3100)
  perform(ws, out, 'rita', { action: 'judge', itemId: 'actions', verdict: 'fail', note: 'No owner' }, 3200)
  expect(perform(ws, out, 'rita', { action: 'request_changes', reasons: ['No owner'] }, 3300)).toEqual({
    ok: true,
  })
  const before = out.text()
  edit(out, 'alice', ' Owner: Alice.')
  recordEdit(ws, out, 'alice', before, 3400)
  between()
  expect(perform(ws, out, 'alice', { action: 'submit' }, 3500)).toEqual({ ok: true })
}

describe('verdicts that carry over into the next round', () => {
  it('by default none does, and a policy without the setting keeps its hash', () => {
    const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
    const type = ws.types.get(TYPE)!
    // The hashes every workspace recorded before the setting existed (small-team template).
    expect(policyHash(policyOf(type, ws.types.all()))).toBe(
      '241bff7f7b6c9e04c1bced77d3250b3126733370930dc160e01be3e205a26fac',
    )
    expect(policyHash(policyOf(ws.types.get('social-post')!, ws.types.all()))).toBe(
      '4bba67c44ada6271d727a5bce8f3b34b3bbd72e471980818cdf1fd1b7242f267',
    )
    // Spelled-out "never" is the default: the same rules, the same version.
    expect(policyOf({ ...type, carryOver: 'never' }, ws.types.all())).toEqual(policyOf(type, ws.types.all()))
    expect(parseOutputType({ ...type, carryOver: 'never' })).toEqual(type)
    expect(parseOutputType({ ...type, carryOver: 'always' })).toEqual(type)
    // A stored version from before parses under its address, and the form saves no default.
    const hash = ws.currentPolicy(TYPE)!
    expect(parsePolicyVersion(hash, ws.policies.get(hash))?.policy).not.toHaveProperty('carryOver')
    const saved = validateType(draftOf(type), [])
    expect(saved.ok && saved.type).toEqual(type)

    roundTwo(ws, out)
    const d = state(ws, out)
    expect(d.round).toBe(2)
    expect(d.checklist.map((r) => [r.item.id, r.judgement, r.notCarried])).toEqual([
      ['accurate', undefined, undefined],
      ['actions', undefined, undefined],
    ])
    expect(carryOverSentence(d)).toMatch(/^No verdict carries over into round 2/)
    expect(checkAction(d, deriveOutput(ws, out).input, 'adam', 'approve')).toMatchObject({
      ok: false,
      reason: /Matches the source/,
    })
  })

  it('passes on unchanged items carry; failures do not; the carried verdict lets an approval through', () => {
    const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
    withCarryOver(ws, 'passed')
    const round1 = ws.currentPolicy(TYPE)
    roundTwo(ws, out)
    const { input, derived } = deriveOutput(ws, out)
    expect(derived.policy?.hash).toBe(round1)
    const [accurate, actions] = derived.checklist
    expect(accurate?.judgement).toMatchObject({ verdict: 'pass', by: 'rita', carried: { round: 1 } })
    expect(actions?.judgement).toBeUndefined()
    expect(actions?.notCarried).toBe('it failed')
    expect(derived.checklistDone).toBe(1)
    expect(carryOverSentence(derived)).toContain(
      'the verdict on “Matches the source” carried into round 2; the other item is judged again',
    )
    // The review panel marks it.
    const view = reviewView(derived, input, 'rita')
    expect(view.items[0]).toMatchObject({
      carried: 'Carried over from round 1',
      judgement: { text: 'Pass by Rita' },
      earlier: 'Round 1: passed',
    })
    expect(view.items[1]).toMatchObject({
      notCarried: 'Not carried over: it failed.',
      earlier: 'Round 1: failed — No owner',
    })
    // The command layer reads the same: the send-back item stands passed, so Adam may approve.
    expect(checkAction(derived, input, 'adam', 'approve')).toEqual({ ok: true })
    expect(perform(ws, out, 'adam', { action: 'approve' }, 3600)).toEqual({ ok: true })
    expect(state(ws, out).state).toBe('approved')
    expect(ws.summary(out.id)).toMatchObject({ state: 'approved', checklistDone: 1 })
  })

  it('a verdict judged again in the round no longer stands, on any version', () => {
    const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
    withCarryOver(ws, 'passed')
    roundTwo(ws, out)
    perform(
      ws,
      out,
      'rita',
      { action: 'judge', itemId: 'accurate', verdict: 'fail', note: 'Wrong day' },
      3600,
    )
    expect(state(ws, out).checklist[0]?.judgement).toMatchObject({ verdict: 'fail', note: 'Wrong day' })
    edit(out, 'alice', ' Friday it is.')
    const d = state(ws, out)
    expect(d.checklist[0]?.judgement).toBeUndefined()
    expect(d.checklist[0]?.outdated).toMatchObject({ verdict: 'fail' })
  })
})

describe('verdicts that carry over: rewording, the setting, the type form', () => {
  it('a reworded item, or "not applicable" under passes only, is judged again', () => {
    const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
    withCarryOver(ws, 'passed')
    roundTwo(ws, out, () => {
      const type = ws.types.get(TYPE)!
      const checklist = type.checklist.map((i) =>
        i.id === 'accurate' ? { ...i, question: 'Does it match the meeting notes?' } : i,
      )
      withCarryOver(ws, 'passed', 3450, { checklist })
    })
    const d = state(ws, out)
    expect(d.checklist[0]?.judgement).toBeUndefined()
    expect(d.checklist[0]?.notCarried).toBe('the item was reworded since')

    const na = setup(TYPE, 'Decisions: ship Friday.')
    withCarryOver(na.ws, 'passed')
    perform(na.ws, na.out, 'alice', { action: 'submit' }, 3000)
    perform(na.ws, na.out, 'rita', { action: 'judge', itemId: 'actions', verdict: 'na' }, 3100)
    perform(na.ws, na.out, 'rita', { action: 'request_changes', reasons: ['More'] }, 3200)
    perform(na.ws, na.out, 'alice', { action: 'submit' }, 3300)
    expect(state(na.ws, na.out).checklist[1]?.notCarried).toBe('only passes carry over')
  })

  it('"passes and not applicable" carries both, and a verdict carried twice keeps its round', () => {
    const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
    withCarryOver(ws, 'passed-or-na')
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    perform(ws, out, 'rita', { action: 'judge', itemId: 'accurate', verdict: 'pass' }, 3100)
    perform(ws, out, 'rita', { action: 'judge', itemId: 'actions', verdict: 'na' }, 3150)
    perform(ws, out, 'rita', { action: 'request_changes', reasons: ['More'] }, 3200)
    perform(ws, out, 'alice', { action: 'submit' }, 3300)
    perform(ws, out, 'rita', { action: 'request_changes', reasons: ['Still more'] }, 3400)
    perform(ws, out, 'alice', { action: 'submit' }, 3500)
    const d = state(ws, out)
    expect(d.round).toBe(3)
    expect(d.checklist.map((r) => [r.judgement?.verdict, r.judgement?.carried?.round])).toEqual([
      ['pass', 1],
      ['na', 1],
    ])
  })

  it('a round submitted under rules without carry-over derives as before after the type turns it on', () => {
    const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
    roundTwo(ws, out)
    const before = state(ws, out)
    withCarryOver(ws, 'passed', 5000)
    const after = state(ws, out)
    expect(after.policy?.hash).toBe(before.policy?.hash)
    expect(after.checklist).toEqual(before.checklist)
    expect(after.state).toBe(before.state)
    // The next round binds to the new rules, and the version diff says what changed.
    const [older, newer] = ws.policyBook().history(TYPE).slice(-2)
    expect(diffPolicies(older!.policy, newer!.policy)).toEqual([
      'Verdicts carried into the next round: none → passes on unchanged items.',
    ])
  })

  it('the type form edits it and saves only what is not the default', () => {
    const { ws } = setup(TYPE)
    const draft = editType(draftOf(ws.types.get(TYPE)!), { kind: 'carryOver', value: 'passed-or-na' })
    const v = validateType(draft, [])
    expect(v.ok && v.type.carryOver).toBe('passed-or-na')
    ws.transact(localOrigin('admin'), () => ws.types.put(v.ok ? v.type : ws.types.get(TYPE)!))
    expect(ws.types.get(TYPE)?.carryOver).toBe('passed-or-na')
    expect(draftOf(ws.types.get(TYPE)!).carryOver).toBe('passed-or-na')
  })
})
