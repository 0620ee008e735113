/**
 * An approval receipt: one version of one output with the approvals and checklist judgements
 * that named it and the publishes that shipped it, in a JSON file a person outside the team can
 * check on its own: the sha256 of the content must be the version hash, and every approval,
 * judgement and publish must name that hash. (Signatures are not part of it yet.)
 */
import type { Derived } from '../domain/derive.ts'
import { AUTO_APPROVER } from '../domain/derive.ts'
import { contentHash } from '../domain/hash.ts'
import type { Member, OutputType } from '../domain/types.ts'
import { evidenceOf } from './evidence.ts'

export const RECEIPT_FORMAT = 'signoff-approval-receipt/1'

export interface ApprovalReceipt {
  format: typeof RECEIPT_FORMAT
  howToCheck: string
  output: { id: string; title: string }
  type: { id: string; name: string }
  risk: string
  versionHash: string
  content: string
  approvals: { who: string; memberId: string; at: string; contentHash: string; recordedBy?: string }[]
  checklist: {
    item: string
    itemId: string
    verdict: string
    note: string
    who: string
    at: string
    contentHash: string
  }[]
  publishes: {
    destination: string
    destinationId: string
    at: string
    by: string
    contentHash: string
    receipt: Record<string, unknown>
  }[]
  issuedAt: string
  signed: false
}

export interface ReceiptSource {
  outputId: string
  title: string
  typeId: string
  type: OutputType | undefined
  derived: Derived
  /** The exact bytes of a version, or undefined when unknown (OutputDoc.version). */
  version: (hash: string) => string | undefined
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
  const item = (id: string) => src.type?.checklist.find((i) => i.id === id)?.title ?? id
  return {
    format: RECEIPT_FORMAT,
    howToCheck:
      'sha256 of the UTF-8 bytes of "content", in lowercase hex, must equal "versionHash"; every approval, checklist judgement and publish must name that same hash.',
    output: { id: src.outputId, title: src.title },
    type: { id: src.typeId, name: src.type?.name ?? src.typeId },
    risk: src.type?.risk ?? 'unknown',
    versionHash: hash,
    content,
    approvals: evidence.approvals.map((a) => ({
      who: name(a.memberId),
      memberId: a.memberId,
      at: iso(a.at),
      contentHash: a.contentHash,
      ...(a.recordedBy ? { recordedBy: name(a.recordedBy) } : {}),
    })),
    checklist: evidence.judgements.map((j) => ({
      item: item(j.itemId),
      itemId: j.itemId,
      verdict: j.verdict,
      note: j.note,
      who: name(j.by),
      at: iso(j.at),
      contentHash: j.contentHash,
    })),
    publishes: shipped.map((p) => ({
      destination: destinations.get(p.destinationId) ?? p.destinationId,
      destinationId: p.destinationId,
      at: iso(p.at ?? p.claimedAt),
      by: name(p.by),
      contentHash: p.contentHash,
      receipt: p.receipt ?? {},
    })),
    issuedAt: iso(now),
    signed: false,
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
  for (const [label, items] of [
    ['approval', approvals],
    ['checklist judgement', list(rec.checklist)],
    ['publish', list(rec.publishes)],
  ] as const) {
    for (const a of items ?? [])
      if (a?.contentHash !== rec.versionHash)
        problems.push(`The ${label} by ${String(a?.who ?? 'someone')} names another version.`)
  }
  return { ok: problems.length === 0, problems }
}
