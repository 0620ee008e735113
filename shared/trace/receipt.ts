/**
 * An approval receipt: one version of one output with the approvals and checklist judgements
 * that named it and the publishes that shipped it, in a JSON file a person outside the team can
 * check on its own: the sha256 of the content must be the version hash; every approval,
 * judgement and publish must name that hash; and each carries its signed trail event, whose
 * Ed25519 signature verifies under the listed device key of the member who made it.
 */
import type { Derived } from '../domain/derive.ts'
import { AUTO_APPROVER } from '../domain/derive.ts'
import { contentHash } from '../domain/hash.ts'
import type { KeyTrust } from '../domain/keys.ts'
import { type Policy, policyHash } from '../domain/policies.ts'
import { eventMessage, keyLabel, parseSig, verifyBytes } from '../domain/signing.ts'
import type { TrailEvent } from '../domain/trail.ts'
import type { Member, OutputType } from '../domain/types.ts'
import { evidenceOf } from './evidence.ts'

export const RECEIPT_FORMAT = 'signoff-approval-receipt/2'

const HOW_TO_CHECK = [
  '1. sha256 of the UTF-8 bytes of "content", in lowercase hex, must equal "versionHash".',
  '2. Every approval, checklist judgement and publish, and its "event", must name that same hash.',
  '3. Each "event" is signed: its "sig" is "<public key hex>.<Ed25519 signature hex>". The key must be listed under "signers" for the event\'s "actor".',
  '4. The signature covers the UTF-8 bytes of: "signoff/trail-event/v1", newline, "workspaceId", newline, output id, newline, then the event without "sig" as JSON with keys sorted at every level and no spaces. Any Ed25519 (RFC 8032) library can check it.',
  '5. "rules.version" is the sha256 (hex) of "rules.policy" as JSON with keys sorted at every level and no spaces: the review rules the approvals were given under. "rules.event" is the signed submission (or new round) that bound the round to that version; it is checked like the others, except that it may name an earlier version of the content.',
  "Whether a signer's key really is theirs is what the team vouches for: compare the listed keys with the ones shown in Signoff under Settings → Members.",
].join(' ')

export interface ApprovalReceipt {
  format: typeof RECEIPT_FORMAT
  howToCheck: string
  output: { id: string; title: string }
  type: { id: string; name: string }
  risk: string
  /** The review rules the approvals were given under (absent for rounds from before versions). */
  rules?: { version: string; policy: Policy; event?: TrailEvent }
  versionHash: string
  content: string
  workspaceId: string
  /** The device keys that signed the events below, by member. */
  signers: { memberId: string; who: string; publicKey: string; device: string }[]
  approvals: {
    who: string
    memberId: string
    at: string
    contentHash: string
    recordedBy?: string
    event?: TrailEvent
  }[]
  checklist: {
    item: string
    itemId: string
    verdict: string
    note: string
    who: string
    at: string
    contentHash: string
    event?: TrailEvent
  }[]
  publishes: {
    destination: string
    destinationId: string
    at: string
    by: string
    contentHash: string
    receipt: Record<string, unknown>
    event?: TrailEvent
  }[]
  issuedAt: string
  /** Every approval, judgement and publish carries a signed event. */
  signed: boolean
}

export interface ReceiptSource {
  outputId: string
  title: string
  typeId: string
  type: OutputType | undefined
  derived: Derived
  /** The exact bytes of a version, or undefined when unknown (OutputDoc.version). */
  version: (hash: string) => string | undefined
  workspaceId?: string
  /** Registered device keys (Workspace.keyTrust), to list the signers'. */
  keys?: ReadonlyMap<string, KeyTrust>
}

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * Which version a receipt is about: the latest one shipped, else the approved current one, else
 * the latest version with a counted approval. Undefined when nothing was ever approved.
 */
export function receiptVersion(derived: Derived): string | undefined {
  const shipped = derived.publishes.filter((p) => p.status === 'published')
  if (shipped.length > 0) return shipped[shipped.length - 1]!.contentHash
  if (derived.approvals.length > 0) return derived.approvals[0]!.contentHash
  for (let i = derived.events.length - 1; i >= 0; i--) {
    const e = derived.events[i]!
    if (e.kind === 'approved' || e.kind === 'auto_approved') return e.contentHash
  }
  return undefined
}

/** Build the receipt; a sentence instead when there is no approved version with known bytes. */
export function approvalReceipt(
  src: ReceiptSource,
  members: ReadonlyMap<string, Member>,
  destinations: ReadonlyMap<string, string> = new Map(),
  now = Date.now(),
): ApprovalReceipt | string {
  const hash = receiptVersion(src.derived)
  if (!hash) return 'Nothing about this output was approved yet, so there is no approval receipt.'
  const content = src.version(hash)
  if (content === undefined) return `The bytes of version ${hash.slice(0, 8)} are not on this device.`
  const name = (id: string) => (id === AUTO_APPROVER ? 'Automatic checks' : (members.get(id)?.name ?? id))
  const { byAttempt, current } = evidenceOf(src.derived)
  const shipped = src.derived.publishes.filter((p) => p.status === 'published' && p.contentHash === hash)
  const evidence = (shipped.length > 0 ? byAttempt.get(shipped[0]!.attemptId) : undefined) ?? current(hash)
  // The rules the shipped (or approved) version passed: the round its publish or approval was in.
  const ruleHash = shipped[0]?.policy ?? src.derived.policy?.hash
  const round = ruleHash ? src.derived.rounds.find((r) => r.hash === ruleHash) : undefined
  const rules = round?.version?.policy
  const roundEvent = round ? src.derived.events.find((e) => e.id === round.eventId) : undefined
  const item = (id: string) =>
    (rules?.checklist ?? src.type?.checklist)?.find((i) => i.id === id)?.title ?? id
  const publishedEvent = (attemptId: string) =>
    src.derived.events.find((e) => e.kind === 'published' && e.attemptId === attemptId)
  const events: (TrailEvent | undefined)[] = [
    ...evidence.approvals.map((a) => a.event),
    ...evidence.judgements.map((j) => j.event),
    ...shipped.map((p) => publishedEvent(p.attemptId)),
    ...(roundEvent ? [roundEvent] : []),
  ]
  const signers = new Map<string, ApprovalReceipt['signers'][number]>()
  for (const e of events) {
    const sig = e?.sig ? parseSig(e.sig) : null
    const trust = sig ? src.keys?.get(sig.key) : undefined
    if (sig && trust)
      signers.set(sig.key, {
        memberId: trust.memberId,
        who: name(trust.memberId),
        publicKey: sig.key,
        device: trust.device,
      })
  }
  return {
    format: RECEIPT_FORMAT,
    howToCheck: HOW_TO_CHECK,
    output: { id: src.outputId, title: src.title },
    type: { id: src.typeId, name: src.type?.name ?? src.typeId },
    risk: rules?.risk ?? src.type?.risk ?? 'unknown',
    ...(ruleHash && rules
      ? { rules: { version: ruleHash, policy: rules, ...(roundEvent ? { event: roundEvent } : {}) } }
      : {}),
    versionHash: hash,
    content,
    workspaceId: src.workspaceId ?? '',
    signers: [...signers.values()],
    approvals: evidence.approvals.map((a) => ({
      who: name(a.memberId),
      memberId: a.memberId,
      at: iso(a.at),
      contentHash: a.contentHash,
      ...(a.recordedBy ? { recordedBy: name(a.recordedBy) } : {}),
      event: a.event,
    })),
    checklist: evidence.judgements.map((j) => ({
      item: item(j.itemId),
      itemId: j.itemId,
      verdict: j.verdict,
      note: j.note,
      who: name(j.by),
      at: iso(j.at),
      contentHash: j.contentHash,
      event: j.event,
    })),
    publishes: shipped.map((p) => ({
      destination: destinations.get(p.destinationId) ?? p.destinationId,
      destinationId: p.destinationId,
      at: iso(p.at ?? p.claimedAt),
      by: name(p.by),
      contentHash: p.contentHash,
      receipt: p.receipt ?? {},
      ...(publishedEvent(p.attemptId) ? { event: publishedEvent(p.attemptId)! } : {}),
    })),
    issuedAt: iso(now),
    signed: events.length > 0 && events.every((e) => e?.sig && signers.has(parseSig(e.sig)?.key ?? '')),
  }
}

export interface ReceiptCheck {
  ok: boolean
  problems: string[]
}

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
  if (rec.format !== RECEIPT_FORMAT) problems.push(`Unknown format ${JSON.stringify(rec.format)}.`)
  if (typeof rec.content !== 'string' || typeof rec.versionHash !== 'string')
    return { ok: false, problems: [...problems, 'The content or the version hash is missing.'] }
  const actual = contentHash(rec.content)
  if (actual !== rec.versionHash)
    problems.push(
      `The content does not match the version hash: its sha256 is ${actual}, the receipt says ${rec.versionHash}.`,
    )
  const list = (v: unknown) => (Array.isArray(v) ? (v as { contentHash?: unknown; who?: unknown }[]) : null)
  const approvals = list(rec.approvals)
  if (!approvals || approvals.length === 0) problems.push('It lists no approval.')
  const output = rec.output as { id?: unknown } | undefined
  const scope = {
    workspaceId: typeof rec.workspaceId === 'string' ? rec.workspaceId : '',
    outputId: typeof output?.id === 'string' ? output.id : '',
  }
  const signers = new Map<string, string>()
  if (Array.isArray(rec.signers))
    for (const s of rec.signers as { memberId?: unknown; publicKey?: unknown }[])
      if (typeof s?.publicKey === 'string' && typeof s.memberId === 'string')
        signers.set(s.publicKey, s.memberId)
  const KINDS = {
    approval: ['approved', 'auto_approved'],
    'checklist judgement': ['judged'],
    publish: ['published'],
  }
  for (const [label, items] of [
    ['approval', approvals],
    ['checklist judgement', list(rec.checklist)],
    ['publish', list(rec.publishes)],
  ] as const) {
    for (const a of items ?? []) {
      const who = String(a?.who ?? 'someone')
      if (a?.contentHash !== rec.versionHash) problems.push(`The ${label} by ${who} names another version.`)
      const event = (a as { event?: unknown } | undefined)?.event
      if (event === undefined) {
        if (rec.signed === true) problems.push(`The ${label} by ${who} carries no signed event.`)
        continue
      }
      const why = signedEventProblem(event, scope, signers, KINDS[label], rec.versionHash)
      if (why) problems.push(`The ${label} by ${who}: ${why}`)
    }
  }
  if (rec.rules !== undefined) problems.push(...rulesProblems(rec.rules, scope, signers))
  return { ok: problems.length === 0, problems }
}

function rulesProblems(
  raw: unknown,
  scope: { workspaceId: string; outputId: string },
  signers: ReadonlyMap<string, string>,
): string[] {
  const rules = raw as { version?: unknown; policy?: unknown; event?: unknown } | null
  if (typeof rules !== 'object' || rules === null || typeof rules.version !== 'string')
    return ['The review rules are malformed.']
  const out: string[] = []
  if (policyHash(rules.policy as Policy) !== rules.version)
    out.push('The review rules do not match their version: they were changed after the fact.')
  if (rules.event !== undefined) {
    const why = signedEventProblem(rules.event, scope, signers, ['submitted', 'new_round'], null)
    if (why) out.push(`The submission that bound the rules: ${why}`)
    else if ((rules.event as { policy?: unknown }).policy !== rules.version)
      out.push('The signed submission names other review rules.')
  }
  return out
}

/** Why a receipt's signed event does not hold up, or null. */
function signedEventProblem(
  event: unknown,
  scope: { workspaceId: string; outputId: string },
  signers: ReadonlyMap<string, string>,
  kinds: readonly string[],
  /** The version the event must name; null for a submission, which may name an earlier one. */
  versionHash: string | null,
): string | null {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    return 'its event is not an object.'
  const e = event as Record<string, unknown>
  if (!kinds.includes(String(e.kind))) return `its event is a ${String(e.kind)}, not what it is listed as.`
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
