/**
 * An approval receipt: one version of one output with the approvals and checklist judgements
 * that named it, the verdicts an earlier round carried into its round, and the publishes that
 * shipped it, in a JSON file a person outside the team can check on its own: the sha256 of the
 * content must be the version hash; every approval, judgement and publish must name that hash
 * (a carried verdict names the version it was judged on, and the rules show why it carried); and
 * each carries its signed trail event, whose Ed25519 signature verifies under the listed device
 * key of the member who made it. The format and the instructions: receipt-format.ts; the check:
 * receipt-verify.ts.
 */
import type { Derived, RoundPolicy } from '../domain/derive.ts'
import { AUTO_APPROVER } from '../domain/derive.ts'
import { shortHash } from '../domain/hash.ts'
import type { KeyTrust } from '../domain/keys.ts'
import type { OutputDoc } from '../domain/output.ts'
import { CARRY_OVER_WORDS } from '../domain/policies.ts'
import { parseSig } from '../domain/signing.ts'
import type { TrailEvent } from '../domain/trail.ts'
import type { Member, OutputType } from '../domain/types.ts'
import type { Workspace } from '../domain/workspace.ts'
import { evidenceOf, type JudgementFact } from './evidence.ts'
import {
  type ApprovalReceipt,
  HOW_TO_CHECK,
  RECEIPT_FORMAT,
  type ReceiptJudgement,
  type ReceiptRules,
} from './receipt-format.ts'

export * from './receipt-format.ts'
export { type ReceiptCheck, verifyReceipt } from './receipt-verify.ts'

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

/** What a receipt is made from for an output whose document is on this device. */
export function receiptSource(
  ws: Workspace,
  out: OutputDoc,
  type: OutputType | undefined,
  derived: Derived,
): ReceiptSource {
  const meta = out.readMeta()
  return {
    outputId: meta.id,
    title: meta.title,
    typeId: meta.typeId,
    type,
    derived,
    version: (h) => out.version(h),
    workspaceId: meta.workspaceId,
    keys: ws.keyTrust(),
  }
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
  const first = shipped[0]
  const round = first ? src.derived.rounds.find((r) => r.round === first.round) : src.derived.policy
  const rules = round?.version?.policy
  const eventOf = (id: string) => src.derived.events.find((e) => e.id === id)
  const roundEvent = round ? eventOf(round.eventId) : undefined
  const listed = round ? listedRules(round, roundEvent) : null
  const item = (id: string) =>
    (rules?.checklist ?? src.type?.checklist)?.find((i) => i.id === id)?.title ?? id
  const publishedEvent = (attemptId: string) =>
    src.derived.events.find((e) => e.kind === 'published' && e.attemptId === attemptId)
  // The rounds a carried verdict came through, each with its rules and the event that bound them.
  const earliest = Math.min(...evidence.judgements.map((j) => j.carried?.round ?? Number.POSITIVE_INFINITY))
  const earlierRounds = round
    ? src.derived.rounds
        .filter((r) => r.round >= earliest && r.round < round.round)
        .flatMap((r) => listedRules(r, eventOf(r.eventId)) ?? [])
    : []
  const events: (TrailEvent | undefined)[] = [
    ...evidence.approvals.map((a) => a.event),
    ...evidence.judgements.map((j) => j.event),
    ...shipped.map((p) => publishedEvent(p.attemptId)),
    ...(roundEvent ? [roundEvent] : []),
    ...earlierRounds.map((r) => r.event),
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
    ...(listed ? { rules: listed } : {}),
    ...(earlierRounds.length > 0 ? { earlierRounds } : {}),
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
    checklist: evidence.judgements.map(
      (j): ReceiptJudgement => ({
        item: item(j.itemId),
        itemId: j.itemId,
        verdict: j.verdict,
        note: j.note,
        who: name(j.by),
        at: iso(j.at),
        contentHash: j.contentHash,
        ...(j.carried ? { carried: carriedEntry(j, j.carried.round, rules?.carryOver ?? 'never') } : {}),
        event: j.event,
      }),
    ),
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

/** Why a verdict of an earlier round is listed: the approved round's rule, in words too. */
function carriedEntry(
  j: JudgementFact,
  from: number,
  rule: NonNullable<ReceiptJudgement['carried']>['rule'],
): NonNullable<ReceiptJudgement['carried']> {
  return {
    round: from,
    rule,
    why: `Carried over from round ${from} (judged on version ${shortHash(j.contentHash)}): the rules carry ${CARRY_OVER_WORDS[rule]}, and this item reads the same in every round since.`,
  }
}

/** A round's rules as the receipt lists them, or null for a round bound to no recorded version. */
function listedRules(
  r: RoundPolicy,
  event: TrailEvent | undefined,
): (ReceiptRules & { round: number }) | null {
  if (!r.hash || !r.version) return null
  return { version: r.hash, policy: r.version.policy, round: r.round, ...(event ? { event } : {}) }
}
