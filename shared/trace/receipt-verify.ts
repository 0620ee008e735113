/**
 * Checking an approval receipt with nothing but its JSON, as its "howToCheck" tells a person
 * outside the team to (receipt-format.ts). Format /2 receipts (before carried verdicts were
 * listed) still verify; a carried verdict is checked with derivation's own carry-over rule.
 */
import { contentHash } from '../domain/hash.ts'
import { type Policy, policyHash } from '../domain/policies.ts'
import { carryOverRefusal } from '../domain/policy-carry-over.ts'
import { eventMessage, keyLabel, parseSig, verifyBytes } from '../domain/signing.ts'
import type { Verdict } from '../domain/trail.ts'
import type { ApprovalReceipt } from './receipt-format.ts'
import { RECEIPT_FORMAT, RECEIPT_FORMAT_V2 } from './receipt-format.ts'

export interface ReceiptCheck {
  ok: boolean
  problems: string[]
}

interface Scope {
  workspaceId: string
  outputId: string
}

/** A round's rules as listed, once they hold up (their hash, their signed binding event). */
interface CheckedRules {
  round: number
  policy: Policy
}

type Entry = { contentHash?: unknown; who?: unknown; event?: unknown; carried?: unknown }

const KINDS = {
  approval: ['approved', 'auto_approved'],
  'checklist judgement': ['judged'],
  publish: ['published'],
} as const

/** Check a receipt with nothing but its JSON (parsed or as text). */
export function verifyReceipt(input: unknown): ReceiptCheck {
  let r: unknown = input
  if (typeof input === 'string') {
    try {
      r = JSON.parse(input)
    } catch {
      return { ok: false, problems: ['It is not valid JSON.'] }
    }
  }
  const problems: string[] = []
  if (typeof r !== 'object' || r === null) return { ok: false, problems: ['It is not a receipt.'] }
  const rec = r as Partial<Record<keyof ApprovalReceipt, unknown>>
  const v3 = rec.format === RECEIPT_FORMAT
  if (!v3 && rec.format !== RECEIPT_FORMAT_V2) problems.push(`Unknown format ${JSON.stringify(rec.format)}.`)
  if (typeof rec.content !== 'string' || typeof rec.versionHash !== 'string')
    return { ok: false, problems: [...problems, 'The content or the version hash is missing.'] }
  const actual = contentHash(rec.content)
  if (actual !== rec.versionHash)
    problems.push(
      `The content does not match the version hash: its sha256 is ${actual}, the receipt says ${rec.versionHash}.`,
    )
  const list = (v: unknown) => (Array.isArray(v) ? (v as Entry[]) : null)
  const approvals = list(rec.approvals)
  if (!approvals || approvals.length === 0) problems.push('It lists no approval.')
  const output = rec.output as { id?: unknown } | undefined
  const scope: Scope = {
    workspaceId: typeof rec.workspaceId === 'string' ? rec.workspaceId : '',
    outputId: typeof output?.id === 'string' ? output.id : '',
  }
  const signers = new Map<string, string>()
  if (Array.isArray(rec.signers))
    for (const s of rec.signers as { memberId?: unknown; publicKey?: unknown }[])
      if (typeof s?.publicKey === 'string' && typeof s.memberId === 'string')
        signers.set(s.publicKey, s.memberId)
  const signed = (event: unknown, kinds: readonly string[], hash: string | null) =>
    signedEventProblem(event, scope, signers, kinds, hash)

  // The rules are checked first (carried verdicts are judged by them) and reported last.
  const ruleProblems: string[] = []
  const rules =
    rec.rules === undefined ? undefined : checkRules(rec.rules, APPROVED_RULES, signed, ruleProblems)
  const earlier = new Map<number, CheckedRules>()
  if (rec.earlierRounds !== undefined) {
    if (!Array.isArray(rec.earlierRounds)) ruleProblems.push('The earlier rounds are malformed.')
    else
      for (const raw of rec.earlierRounds) {
        const n = (raw as { round?: unknown } | null)?.round
        const checked = checkRules(raw, earlierLabels(n), signed, ruleProblems)
        if (checked) earlier.set(checked.round, checked)
      }
  }

  const entries = { v3, versionHash: rec.versionHash, signedAll: rec.signed === true, signed, rules, earlier }
  for (const [label, items] of [
    ['approval', approvals],
    ['checklist judgement', list(rec.checklist)],
    ['publish', list(rec.publishes)],
  ] as const)
    for (const a of items ?? []) problems.push(...entryProblems(label, a, entries))
  problems.push(...ruleProblems)
  return { ok: problems.length === 0, problems }
}

/** Why one listed approval, judgement or publish does not hold up (none when it does). */
function entryProblems(
  label: keyof typeof KINDS,
  a: Entry,
  r: {
    v3: boolean
    versionHash: string
    signedAll: boolean
    signed: (event: unknown, kinds: readonly string[], hash: string | null) => string | null
    rules: CheckedRules | null | undefined
    earlier: ReadonlyMap<number, CheckedRules>
  },
): string[] {
  const out: string[] = []
  const who = String(a?.who ?? 'someone')
  const carried = label === 'checklist judgement' && a?.carried !== undefined
  const entry = carried
    ? `The checklist judgement by ${who} carried over from round ${String((a.carried as { round?: unknown })?.round)}`
    : `The ${label} by ${who}`
  if (carried && !r.v3) out.push(`${entry}: format /2 lists no carried verdicts.`)
  // A carried verdict names the version it was judged on; everything else the receipt's own.
  const hash = carried ? (typeof a.contentHash === 'string' ? a.contentHash : '') : r.versionHash
  if (!carried && a?.contentHash !== r.versionHash) out.push(`The ${label} by ${who} names another version.`)
  if (a?.event === undefined) {
    if (r.signedAll || carried) out.push(`${entry} carries no signed event.`)
    return out
  }
  const why =
    r.signed(a.event, KINDS[label], hash) ?? (label === 'checklist judgement' ? listedAsSigned(a) : null)
  const refused = why ?? (carried ? carriedProblem(a, r.rules, r.earlier) : null)
  if (refused) out.push(`${entry}: ${refused}`)
  return out
}

/** What to call a listed round's rules in a problem. */
interface RulesLabels {
  rules: string
  binding: string
  names: string
}

const APPROVED_RULES: RulesLabels = {
  rules: 'The review rules',
  binding: 'The submission that bound the rules',
  names: 'The signed submission names other review rules.',
}

const earlierLabels = (round: unknown): RulesLabels => ({
  rules: `The rules of round ${String(round)}`,
  binding: `The submission that bound round ${String(round)}`,
  names: `The signed submission of round ${String(round)} names other review rules.`,
})

/**
 * A listed round's rules: they must hash to their version and be bound by a signed event naming
 * it. Returns them once they hold up and say their round, for checking carried verdicts.
 */
function checkRules(
  raw: unknown,
  label: RulesLabels,
  signed: (event: unknown, kinds: readonly string[], hash: string | null) => string | null,
  problems: string[],
): CheckedRules | null {
  const rules = raw as { version?: unknown; policy?: unknown; event?: unknown; round?: unknown } | null
  if (typeof rules !== 'object' || rules === null || typeof rules.version !== 'string') {
    problems.push(`${label.rules} are malformed.`)
    return null
  }
  const before = problems.length
  const policy = typeof rules.policy === 'object' && rules.policy !== null ? (rules.policy as Policy) : null
  if (!policy || policyHash(policy) !== rules.version)
    problems.push(`${label.rules} do not match their version: they were changed after the fact.`)
  if (rules.event !== undefined) {
    const why = signed(rules.event, ['submitted', 'new_round'], null)
    if (why) problems.push(`${label.binding}: ${why}`)
    else if ((rules.event as { policy?: unknown }).policy !== rules.version) problems.push(label.names)
  }
  if (problems.length > before || !policy || typeof rules.round !== 'number') return null
  return { round: rules.round, policy }
}

/** A checklist entry's item and verdict must be its signed event's. */
function listedAsSigned(a: Entry): string | null {
  const e = a.event as { itemId?: unknown; verdict?: unknown }
  const listed = a as { itemId?: unknown; verdict?: unknown }
  if (listed.itemId !== e.itemId || listed.verdict !== e.verdict)
    return 'its listed item or verdict is not what its signed event says.'
  return null
}

/**
 * Why a carried verdict should not have carried into the approved round, or null: step by step
 * from the round it was given in, each round's rules decide with derivation's own rule
 * (policy-carry-over.ts `carryOverRefusal`).
 */
function carriedProblem(
  a: Entry,
  rules: CheckedRules | null | undefined,
  earlier: ReadonlyMap<number, CheckedRules>,
): string | null {
  const carried = a.carried as { round?: unknown; rule?: unknown } | null
  const event = a.event as { itemId: string; verdict: Verdict }
  if (typeof carried !== 'object' || carried === null || typeof carried.round !== 'number')
    return 'it does not say which round it came from.'
  if (!rules) return 'the receipt has no checked review rules to carry it by.'
  if (carried.rule !== (rules.policy.carryOver ?? 'never'))
    return `it names the rule ${JSON.stringify(carried.rule)}, but the review rules say ${JSON.stringify(rules.policy.carryOver ?? 'never')}.`
  if (carried.round >= rules.round)
    return `it cannot carry from round ${carried.round} into round ${rules.round}.`
  for (let k = carried.round; k < rules.round; k++) {
    const from = earlier.get(k)
    if (!from)
      return `the rules of round ${k} are not in the receipt (or do not hold up), so the carry cannot be checked.`
    const to = k + 1 === rules.round ? rules : earlier.get(k + 1)
    if (!to)
      return `the rules of round ${k + 1} are not in the receipt (or do not hold up), so the carry cannot be checked.`
    if (from.policy.typeId !== to.policy.typeId) return `the rules of round ${k} are of another output type.`
    const after = to.policy.checklist?.find((i) => i.id === event.itemId)
    if (!after) return `the item is not in the rules of round ${k + 1}.`
    const before = from.policy.checklist?.find((i) => i.id === event.itemId)
    const why = carryOverRefusal(to.policy.carryOver, event, before, after)
    if (why) return `it could not carry from round ${k} into round ${k + 1}: ${why}.`
  }
  return null
}

/** Why a receipt's signed event does not hold up, or null. */
function signedEventProblem(
  event: unknown,
  scope: Scope,
  signers: ReadonlyMap<string, string>,
  kinds: readonly string[],
  /** The version the event must name; null for a submission, which may name an earlier one. */
  versionHash: string | null,
): string | null {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    return 'its event is not an object.'
  const e = event as Record<string, unknown>
  if (!kinds.includes(String(e.kind)))
    return `its event is “${String(e.kind).slice(0, 40)}”, not ${kinds.map((k) => `“${k}”`).join(' or ')} as it is listed.`
  if (versionHash !== null && e.contentHash !== versionHash) return 'its signed event names another version.'
  const sig = typeof e.sig === 'string' ? parseSig(e.sig) : null
  if (!sig) return 'its event is not signed.'
  const member = signers.get(sig.key)
  if (member === undefined)
    return `it is signed with key ${keyLabel(sig.key)}, which is not among the signers.`
  if (member !== e.actor)
    return `it is signed with ${member}'s key but names ${String(e.actor)} as its author.`
  if (!verifyBytes(sig.key, eventMessage(scope, e), sig.signature))
    return 'its signature does not verify: the event was changed, or belongs to another output.'
  return null
}
