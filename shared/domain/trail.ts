/**
 * Trail events: the append-only record of what happened to an output. Every event carries who
 * and when; every event that judges content names the content hash it judged. Each is signed
 * with its author's device key and chained to the event before it (`sig`, `prev`).
 */

export type Verdict = 'pass' | 'fail' | 'na'
export type AssignReason = 'auto' | 'manual' | 'overdue'

interface Base {
  /** Unique event id. */
  id: string
  /** Event schema version. */
  v: 1
  actor: string
  /** Milliseconds since the epoch, from the actor's clock (display only: order is the array's). */
  at: number
  /** The event this one follows: "<event id>:<sha256 of its canonical form>" (see signing.ts). */
  prev?: string
  /** "<device public key>.<Ed25519 signature>" over the event and its scope (see signing.ts). */
  sig?: string
}

export type TrailEvent =
  | (Base & { kind: 'created'; title: string; typeId: string; contentHash: string })
  | (Base & { kind: 'edited'; contentHash: string; summary: string; inserted: number; deleted: number })
  /**
   * `policy` names the version of the type's review policy the round is judged by (policies.ts);
   * submissions written before versions existed have none (see `PolicyBook.inForceAt`).
   */
  | (Base & { kind: 'submitted'; contentHash: string; policy?: string })
  /** An admin restarts an open round under the type's current rules: judgements and approvals start over. */
  | (Base & { kind: 'new_round'; contentHash: string; policy: string; reason: string })
  | (Base & { kind: 'judged'; contentHash: string; itemId: string; verdict: Verdict; note: string })
  /** `viewed`: the version the approver had open when approving (see locks.ts). */
  | (Base & { kind: 'approved'; contentHash: string; note: string; viewed?: string })
  /**
   * Written by any member's app when a low-risk type set to approve automatically passes every
   * pre-check on this version; `checks` records the results it was given on. Derivation counts
   * it as one approval only when those conditions hold for the version it names.
   */
  | (Base & { kind: 'auto_approved'; contentHash: string; checks: string })
  | (Base & { kind: 'changes_requested'; contentHash: string; reasons: string[] })
  | (Base & { kind: 'rejected'; contentHash: string; reason: string })
  | (Base & { kind: 'reopened'; reason: string })
  /**
   * Who is asked to review in one round: written by the submitter's app ('auto'), by any
   * member's app when the review runs past the SLA ('overdue', to the type's backup), or by a
   * person ('manual'). Derivation keeps the first 'auto' of a round in trail order.
   */
  | (Base & { kind: 'assigned'; assignee: string; reason: AssignReason; round: number })
  | (Base & { kind: 'archived'; reason: string })
  | (Base & {
      kind: 'publish_scheduled'
      contentHash: string
      destinationId: string
      scheduleId: string
      runAt: number
    })
  | (Base & { kind: 'publish_unscheduled'; scheduleId: string; reason: string })
  | (Base & {
      kind: 'publish_claimed'
      contentHash: string
      destinationId: string
      attemptId: string
      scheduleId?: string
    })
  | (Base & {
      kind: 'published'
      contentHash: string
      destinationId: string
      attemptId: string
      scheduleId?: string
      /** What the destination answered: file path and hash, commit id, HTTP status, message id. */
      receipt: Record<string, unknown>
      note?: string
    })
  | (Base & {
      kind: 'publish_failed'
      contentHash: string
      destinationId: string
      attemptId: string
      scheduleId?: string
      error: string
      retryable: boolean
    })

export type TrailEventKind = TrailEvent['kind']
export type TrailEventOf<K extends TrailEventKind> = Extract<TrailEvent, { kind: K }>

/** Why an event in a trail was not counted. */
export interface TrailProblem {
  index: number
  eventId?: string
  reason: string
  /** Its signature, key or chain link failed: it may not be what its author wrote. */
  unverified?: true
}

const isStr = (v: unknown): v is string => typeof v === 'string'
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isHash = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 128

/**
 * Check that a raw value from the shared document is a well-formed event. Returns the event or a
 * sentence saying what is wrong; never throws, because trails arrive from other peers.
 */
export function parseTrailEvent(raw: unknown): TrailEvent | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not an object'
  const e = raw as Record<string, unknown>
  if (!isStr(e.id) || e.id.length === 0) return 'missing id'
  if (e.v !== 1) return `unsupported event version ${String(e.v)}`
  if (!isStr(e.actor) || e.actor.length === 0) return 'missing actor'
  if (!isNum(e.at)) return 'missing time'
  if (e.prev !== undefined && !isStr(e.prev)) return 'malformed prev'
  if (e.sig !== undefined && !isStr(e.sig)) return 'malformed sig'
  switch (e.kind) {
    case 'created':
      if (!isStr(e.title) || !isStr(e.typeId) || !isHash(e.contentHash))
        return 'created: missing title, type or hash'
      break
    case 'edited':
      if (!isHash(e.contentHash) || !isStr(e.summary) || !isNum(e.inserted) || !isNum(e.deleted))
        return 'edited: missing hash or summary'
      break
    case 'submitted':
      if (!isHash(e.contentHash)) return 'submitted: missing content hash'
      if (e.policy !== undefined && !isHash(e.policy)) return 'submitted: malformed policy version'
      break
    case 'new_round':
      if (!isHash(e.contentHash) || !isHash(e.policy) || !isStr(e.reason))
        return 'new round: missing content hash, policy version or reason'
      break
    case 'judged':
      if (!isHash(e.contentHash)) return 'judged: missing content hash'
      if (!isStr(e.itemId) || e.itemId.length === 0) return 'judged: missing checklist item'
      if (e.verdict !== 'pass' && e.verdict !== 'fail' && e.verdict !== 'na') return 'judged: unknown verdict'
      if (!isStr(e.note)) return 'judged: missing note'
      break
    case 'approved':
      if (!isHash(e.contentHash) || !isStr(e.note)) return 'approved: missing content hash'
      if (e.viewed !== undefined && !isHash(e.viewed)) return 'approved: malformed viewed version'
      break
    case 'auto_approved':
      if (!isHash(e.contentHash) || !isStr(e.checks)) return 'auto approved: missing content hash or checks'
      break
    case 'changes_requested':
      if (!isHash(e.contentHash)) return 'changes requested: missing content hash'
      if (!Array.isArray(e.reasons) || !e.reasons.every(isStr)) return 'changes requested: malformed reasons'
      break
    case 'rejected':
      if (!isHash(e.contentHash) || !isStr(e.reason)) return 'rejected: missing hash or reason'
      break
    case 'assigned':
      if (!isStr(e.assignee) || e.assignee.length === 0) return 'assigned: missing assignee'
      if (e.reason !== 'auto' && e.reason !== 'manual' && e.reason !== 'overdue')
        return 'assigned: unknown reason'
      if (!isNum(e.round) || !Number.isInteger(e.round) || e.round < 1) return 'assigned: malformed round'
      break
    case 'reopened':
    case 'archived':
      if (!isStr(e.reason)) return `${e.kind}: missing reason`
      break
    case 'publish_scheduled':
      if (!isHash(e.contentHash) || !isStr(e.destinationId) || !isStr(e.scheduleId) || !isNum(e.runAt))
        return 'publish scheduled: missing hash, destination, schedule or time'
      break
    case 'publish_unscheduled':
      if (!isStr(e.scheduleId) || !isStr(e.reason)) return 'publish unscheduled: missing schedule or reason'
      break
    case 'publish_claimed':
    case 'published':
    case 'publish_failed':
      if (
        !isHash(e.contentHash) ||
        !isStr(e.destinationId) ||
        !isStr(e.attemptId) ||
        e.attemptId.length === 0
      )
        return `${e.kind}: missing hash, destination or attempt`
      if (e.scheduleId !== undefined && !isStr(e.scheduleId)) return `${e.kind}: malformed schedule`
      if (
        e.kind === 'published' &&
        (typeof e.receipt !== 'object' || e.receipt === null || Array.isArray(e.receipt))
      )
        return 'published: missing receipt'
      if (e.kind === 'publish_failed' && (!isStr(e.error) || typeof e.retryable !== 'boolean'))
        return 'publish failed: missing error'
      break
    default:
      return `unknown event kind ${JSON.stringify(e.kind)}`
  }
  return e as unknown as TrailEvent
}
