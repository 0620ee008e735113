/**
 * Approval receipts list the verdicts an earlier round carried into the approved one, marked as
 * carried with the signed judgement of the version they were given on and the rules of every
 * round they came through; an outsider's check (verifyReceipt) applies derivation's own
 * carry-over rule and refuses forged ones. Receipts of format /2 still verify.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  type CarryOver,
  deriveOutput,
  localOrigin,
  type OutputDoc,
  type OutputType,
  perform,
  recordEdit,
  saveOutputType,
  startNewRound,
  type TrailEvent,
  type Workspace,
} from '../../../shared/domain/index.ts'
import {
  type ApprovalReceipt,
  approvalReceipt,
  RECEIPT_FORMAT,
  receiptSource,
  verifyReceipt,
} from '../../../shared/trace/receipt.ts'
import { shippedRows } from '../../../shared/trace/shipped.ts'
import { edit, published, setup } from '../domain/fixture.ts'

const TYPE = 'internal-summary'
const OK = { ok: true, problems: [] }
const ok = (c: { ok: boolean }) => expect(c).toEqual({ ok: true })

function withCarryOver(ws: Workspace, mode: CarryOver, at = 1500, patch: Partial<OutputType> = {}) {
  ok(saveOutputType(ws, 'admin', { ...ws.types.get(TYPE)!, carryOver: mode, ...patch }, at))
}

/**
 * Round one: Rita passes "accurate" (sends back) and fails "actions" (a warning) on the first
 * version, and sends it back; Alice edits and resubmits; `between` runs before the resubmission.
 */
function roundTwo(ws: Workspace, out: OutputDoc, between: () => void = () => {}) {
  ok(perform(ws, out, 'alice', { action: 'submit' }, 3000))
  ok(perform(ws, out, 'rita', { action: 'judge', itemId: 'accurate', verdict: 'pass' }, 3100))
  ok(
    perform(ws, out, 'rita', { action: 'judge', itemId: 'actions', verdict: 'fail', note: 'No owner' }, 3200),
  )
  ok(perform(ws, out, 'rita', { action: 'request_changes', reasons: ['No owner'] }, 3300))
  const before = out.text()
  edit(out, 'alice', ' Owner: Alice.')
  recordEdit(ws, out, 'alice', before, 3400)
  between()
  ok(perform(ws, out, 'alice', { action: 'submit' }, 3500))
}

function receiptOf(ws: Workspace, out: OutputDoc): ApprovalReceipt {
  const { input, derived } = deriveOutput(ws, out)
  const r = approvalReceipt(receiptSource(ws, out, input.type, derived), input.members, new Map(), 9000)
  if (typeof r === 'string') throw new Error(r)
  return JSON.parse(JSON.stringify(r)) as ApprovalReceipt
}

/** Carry-over on passes: round two approved by Adam with Rita's round-one pass standing. */
function carriedPass() {
  const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
  withCarryOver(ws, 'passed')
  const first = out.hash()
  roundTwo(ws, out)
  ok(perform(ws, out, 'adam', { action: 'approve' }, 3600))
  expect(deriveOutput(ws, out).derived.state).toBe('approved')
  return { ws, out, first, r: receiptOf(ws, out) }
}

/** The signed round-one judgement of an item, genuinely from the trail. */
function judgedInRoundOne(ws: Workspace, out: OutputDoc, itemId: string): TrailEvent {
  const e = deriveOutput(ws, out).derived.events.find(
    (x) => x.kind === 'judged' && x.itemId === itemId && x.at < 3500,
  )
  if (!e) throw new Error(`no round-one judgement of ${itemId}`)
  return e
}

/**
 * A forger lists a genuinely signed round-one judgement as carried into round two, with round
 * one's genuine rules and submission: only the carry-over rule can tell it should not stand.
 */
function forgeCarried(ws: Workspace, out: OutputDoc, r: ApprovalReceipt, itemId: string): ApprovalReceipt {
  const forged = structuredClone(r)
  const event = judgedInRoundOne(ws, out, itemId) as TrailEvent & { kind: 'judged' }
  const derived = deriveOutput(ws, out).derived
  const one = derived.rounds.find((x) => x.round === 1)!
  forged.checklist = forged.checklist.filter((j) => j.itemId !== itemId)
  forged.checklist.push({
    item: itemId,
    itemId,
    verdict: event.verdict,
    note: event.note,
    who: 'Rita',
    at: new Date(event.at).toISOString(),
    contentHash: event.contentHash,
    carried: { round: 1, rule: forged.rules!.policy.carryOver ?? 'never', why: 'Carried over from round 1' },
    event,
  })
  forged.earlierRounds = [
    {
      round: 1,
      version: one.hash!,
      policy: one.version!.policy,
      event: derived.events.find((e) => e.id === one.eventId)!,
    },
  ]
  for (const k of ws.keyTrust().values())
    if (k.memberId === 'rita' && !forged.signers.some((s) => s.memberId === 'rita'))
      forged.signers.push({ memberId: 'rita', who: 'Rita', publicKey: k.key, device: k.device })
  return forged
}

describe('approval receipt: carried verdicts', () => {
  it('lists a carried pass with its round-one judgement, the version it was judged on and why it carried, and verifies', () => {
    const { r, first, out } = carriedPass()
    expect(r.format).toBe(RECEIPT_FORMAT)
    expect(r.format).toBe('signoff-approval-receipt/3')
    expect(r.versionHash).toBe(out.hash())
    expect(first).not.toBe(out.hash())
    expect(r.rules).toMatchObject({ round: 2, policy: { carryOver: 'passed' } })
    expect(r.checklist).toEqual([
      expect.objectContaining({
        itemId: 'accurate',
        item: 'Matches the source',
        verdict: 'pass',
        who: 'Rita',
        contentHash: first,
        carried: {
          round: 1,
          rule: 'passed',
          why: `Carried over from round 1 (judged on version ${first.slice(0, 8)}): the rules carry passes on unchanged items, and this item reads the same in every round since.`,
        },
        event: expect.objectContaining({ kind: 'judged', itemId: 'accurate', contentHash: first }),
      }),
    ])
    // Round one's rules and the signed submission that bound them, for the outsider's check.
    expect(r.earlierRounds).toEqual([
      expect.objectContaining({
        round: 1,
        version: r.rules!.version,
        event: expect.objectContaining({ kind: 'submitted', policy: r.rules!.version }),
      }),
    ])
    expect(r.approvals.map((a) => a.who)).toEqual(['Adam'])
    expect(r.signed).toBe(true)
    expect(r.signers.map((s) => s.who).sort()).toEqual(['Adam', 'Alice', 'Rita'])
    expect(r.howToCheck).toContain('A checklist judgement with "carried"')
    expect(verifyReceipt(JSON.stringify(r))).toEqual(OK)
  })

  it('a verdict carried twice lists every round it came through, each round checked', () => {
    const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
    withCarryOver(ws, 'passed-or-na')
    const first = out.hash()
    ok(perform(ws, out, 'alice', { action: 'submit' }, 3000))
    ok(perform(ws, out, 'rita', { action: 'judge', itemId: 'accurate', verdict: 'pass' }, 3100))
    ok(perform(ws, out, 'rita', { action: 'judge', itemId: 'actions', verdict: 'na' }, 3150))
    ok(perform(ws, out, 'rita', { action: 'request_changes', reasons: ['More'] }, 3200))
    ok(perform(ws, out, 'alice', { action: 'submit' }, 3300))
    ok(perform(ws, out, 'rita', { action: 'request_changes', reasons: ['Still more'] }, 3400))
    ok(perform(ws, out, 'alice', { action: 'submit' }, 3500))
    ok(perform(ws, out, 'adam', { action: 'approve' }, 3600))
    const r = receiptOf(ws, out)
    expect(r.rules?.round).toBe(3)
    expect(r.checklist.map((j) => [j.itemId, j.verdict, j.carried?.round, j.contentHash])).toEqual([
      ['accurate', 'pass', 1, first],
      ['actions', 'na', 1, first],
    ])
    expect(r.earlierRounds?.map((x) => x.round)).toEqual([1, 2])
    expect(verifyReceipt(r)).toEqual(OK)
    // Without round two's rules the carry through it cannot be checked.
    const gap = { ...structuredClone(r), earlierRounds: r.earlierRounds!.filter((x) => x.round !== 2) }
    expect(verifyReceipt(gap).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: the rules of round 2 are not in the receipt (or do not hold up), so the carry cannot be checked.',
      'The checklist judgement by Rita carried over from round 1: the rules of round 2 are not in the receipt (or do not hold up), so the carry cannot be checked.',
    ])
  })
})

describe('approval receipt: carried verdicts refused', () => {
  it('refuses a carried verdict under rules that carry nothing, even with every signature genuine', () => {
    const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
    roundTwo(ws, out)
    ok(perform(ws, out, 'rita', { action: 'judge', itemId: 'accurate', verdict: 'pass' }, 3550))
    ok(perform(ws, out, 'adam', { action: 'approve' }, 3600))
    const r = receiptOf(ws, out)
    expect(verifyReceipt(r)).toEqual(OK)
    expect(r.checklist.some((j) => j.carried)).toBe(false)
    expect(r.earlierRounds).toBeUndefined()
    const forged = forgeCarried(ws, out, r, 'accurate')
    expect(forged.checklist.at(-1)?.carried?.rule).toBe('never')
    expect(verifyReceipt(forged).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: it could not carry from round 1 into round 2: this type’s rules judge every item again each round.',
    ])
    // Naming a rule the receipt's rules do not hold is refused too.
    const claimed = structuredClone(forged)
    claimed.checklist.at(-1)!.carried!.rule = 'passed'
    expect(verifyReceipt(claimed).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: it names the rule "passed", but the review rules say "never".',
    ])
    // And rules edited to carry passes no longer match their version, nor the signed submission.
    const lax = structuredClone(claimed)
    lax.rules!.policy.carryOver = 'passed'
    expect(verifyReceipt(lax).ok).toBe(false)
    expect(verifyReceipt(lax).problems).toContain(
      'The review rules do not match their version: they were changed after the fact.',
    )
  })

  it('refuses a failed (or n/a) verdict carried when only passes carry', () => {
    const { ws, out, r } = carriedPass()
    const failed = forgeCarried(ws, out, r, 'actions')
    expect(failed.checklist.at(-1)).toMatchObject({ verdict: 'fail', carried: { rule: 'passed' } })
    expect(verifyReceipt(failed).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: it could not carry from round 1 into round 2: it failed.',
    ])
    // Listing it as a pass does not help: the signed event says it failed.
    const relabelled = structuredClone(failed)
    relabelled.checklist.at(-1)!.verdict = 'pass'
    expect(verifyReceipt(relabelled).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: its listed item or verdict is not what its signed event says.',
    ])
  })

  it('refuses a tampered carried judgement, and earlier rules changed after the fact', () => {
    const { r } = carriedPass()
    const altered = structuredClone(r)
    altered.checklist[0]!.event = { ...altered.checklist[0]!.event!, note: 'checked twice' } as TrailEvent
    expect(verifyReceipt(altered).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: its signature does not verify: the event was changed, or belongs to another output.',
    ])
    // A carried entry claiming the approved version while its event names the first one.
    const moved = structuredClone(r)
    moved.checklist[0]!.contentHash = r.versionHash
    expect(verifyReceipt(moved).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: its signed event names another version.',
    ])
    // A carried entry whose signed event is of another kind (an approval dressed as a judgement).
    const rekinded = structuredClone(r)
    rekinded.checklist[0]!.event = { ...rekinded.checklist[0]!.event!, kind: 'approved' } as TrailEvent
    expect(verifyReceipt(rekinded).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: its event is “approved”, not “judged” as it is listed.',
    ])
    const stripped = structuredClone(r)
    delete stripped.checklist[0]!.event
    expect(verifyReceipt(stripped).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1 carries no signed event.',
    ])
    // A plain entry (not marked carried) must still name the receipt's version.
    const unmarked = structuredClone(r)
    delete unmarked.checklist[0]!.carried
    expect(verifyReceipt(unmarked).problems[0]).toBe('The checklist judgement by Rita names another version.')
    const reworded = structuredClone(r)
    reworded.earlierRounds![0]!.policy.checklist[0]!.question = 'Anything?'
    expect(verifyReceipt(reworded).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: the rules of round 1 are not in the receipt (or do not hold up), so the carry cannot be checked.',
      'The rules of round 1 do not match their version: they were changed after the fact.',
    ])
  })

  it('refuses a verdict on an item reworded since it was judged', () => {
    const { ws, out } = setup(TYPE, 'Decisions: ship Friday.')
    withCarryOver(ws, 'passed')
    roundTwo(ws, out, () => {
      const checklist = ws.types
        .get(TYPE)!
        .checklist.map((i) =>
          i.id === 'accurate' ? { ...i, question: 'Does it match the meeting notes?' } : i,
        )
      withCarryOver(ws, 'passed', 3450, { checklist })
    })
    // Derivation did not carry it: Rita judges it again and Adam approves.
    expect(deriveOutput(ws, out).derived.checklist[0]?.notCarried).toBe('the item was reworded since')
    ok(perform(ws, out, 'rita', { action: 'judge', itemId: 'accurate', verdict: 'pass' }, 3550))
    ok(perform(ws, out, 'adam', { action: 'approve' }, 3600))
    const r = receiptOf(ws, out)
    expect(verifyReceipt(r)).toEqual(OK)
    expect(r.checklist.map((j) => [j.itemId, j.carried])).toEqual([['accurate', undefined]])
    // Rounds one and two are bound to different rules; the forger lists round one's genuine ones.
    const forged = forgeCarried(ws, out, r, 'accurate')
    expect(forged.earlierRounds![0]!.version).not.toBe(r.rules!.version)
    expect(verifyReceipt(forged).problems).toEqual([
      'The checklist judgement by Rita carried over from round 1: it could not carry from round 1 into round 2: the item was reworded since.',
    ])
  })
})

describe('approval receipt: carried verdicts in the shipped list', () => {
  it('the shipped list and its receipt count the carried verdict the publish stood on', () => {
    const { ws, out } = carriedPass()
    ws.transact(localOrigin('admin'), () => {
      ws.destinations.put({ id: 'site', name: 'Website folder', kind: 'folder' })
      ws.types.patch(TYPE, { allowedDestinations: ['site'] })
    })
    // The round's rules allow no destination yet: the type's current ones are offered too.
    published(ws, out, 'alice', 'site', '/srv/notes.md', [4000, 4100])
    const { input, derived } = deriveOutput(ws, out)
    expect(derived.state).toBe('published')
    const rows = shippedRows(
      [{ outputId: out.id, title: 'Weekly notes', typeId: TYPE, type: input.type, derived }],
      input.members,
      new Map([['site', 'Website folder']]),
    )
    // The type's second item was left open in both rounds.
    expect(rows[0]?.checklist).toBe('1 passed, 0 failed, 0 n/a (1 carried over); 1 not judged')
    const r = receiptOf(ws, out)
    expect(r.publishes).toHaveLength(1)
    expect(r.checklist.map((j) => j.carried?.round)).toEqual([1])
    expect(verifyReceipt(r)).toEqual(OK)
  })
})

describe('approval receipt: format /2', () => {
  // Issued by Signoff before carried verdicts were listed (generated with that code, kept as is).
  const v2 = JSON.parse(
    readFileSync(new URL('./fixtures/receipt-v2.json', import.meta.url), 'utf8'),
  ) as ApprovalReceipt & { format: string }

  it('still verifies, and tampering with it is still caught', () => {
    expect(v2.format).toBe('signoff-approval-receipt/2')
    expect(verifyReceipt(v2)).toEqual(OK)
    const tampered = structuredClone(v2)
    tampered.checklist[0]!.event = { ...tampered.checklist[0]!.event!, verdict: 'fail' } as TrailEvent
    expect(verifyReceipt(tampered).ok).toBe(false)
    expect(verifyReceipt({ ...v2, content: `${v2.content}!` }).problems[0]).toMatch(
      /content does not match the version hash/,
    )
  })

  it('lists no carried verdict: one marked carried in a /2 receipt is refused', () => {
    const marked = structuredClone(v2)
    marked.checklist[0]!.carried = { round: 1, rule: 'passed', why: 'x' }
    expect(verifyReceipt(marked).problems[0]).toBe(
      'The checklist judgement by Adam carried over from round 1: format /2 lists no carried verdicts.',
    )
  })
})

describe('approval receipt: what stood in the round', () => {
  it('a round an admin started over lists only what counted in it, as derivation does', () => {
    const POST = 'social-post'
    const { ws, out } = setup(POST, 'We ship the new board on Monday.')
    ok(perform(ws, out, 'alice', { action: 'submit' }, 3000))
    for (const item of ws.types.get(POST)!.checklist)
      ok(perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' }, 3100))
    ok(perform(ws, out, 'adam', { action: 'approve' }, 3200))
    // New rules (the same items, one more approval needed); the admin starts the round over.
    ok(saveOutputType(ws, 'admin', { ...ws.types.get(POST)!, approvalsRequired: 2 }, 4000))
    ok(startNewRound(ws, out, 'admin', 'Two approvals now'))
    for (const item of ws.types.get(POST)!.checklist)
      ok(perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' }, 4200))
    ok(perform(ws, out, 'amy', { action: 'approve' }, 4300))
    const { derived } = deriveOutput(ws, out)
    expect(derived.round).toBe(2)
    expect(derived.approvals.map((a) => a.memberId)).toEqual(['amy'])
    const r = receiptOf(ws, out)
    // Adam's approval was given in round one, under other rules: it does not stand here.
    expect(r.approvals.map((a) => a.who)).toEqual(['Amy'])
    expect(r.rules?.round).toBe(2)
    expect(r.checklist.every((j) => j.at === new Date(4200).toISOString())).toBe(true)
    expect(verifyReceipt(r)).toEqual(OK)
  })
})
