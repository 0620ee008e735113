/**
 * Trail events: the append-only record of what happened to an output. Every event carries who
 * and when; every event that judges content names the content hash it judged. Each is signed
 * with its author's device key and chained to the event before it (`sig`, `prev`).
 *
 * The schema below is the one declaration: the `TrailEvent` type is inferred from it and
 * `parseTrailEvent` checks raw values against it.
 */
import { checker, type Field, f, type Infer, optional, type Shape } from '../fields.ts'
import { isObj, type Raw } from '../guards.ts'

export const VERDICTS = ['pass', 'fail', 'na'] as const
const ASSIGN_REASONS = ['auto', 'manual', 'overdue'] as const
export type Verdict = (typeof VERDICTS)[number]
export type AssignReason = (typeof ASSIGN_REASONS)[number]

const base = {
  /** Unique event id. */
  id: f.named(),
  /** Event schema version. */
  v: f.literal(1),
  actor: f.named(),
  /** Milliseconds since the epoch, from the actor's clock (display only: order is the array's). */
  at: f.num(),
  /** The event this one follows: "<event id>:<sha256 of its canonical form>" (see signing.ts). */
  prev: optional(f.str()),
  /** "<device public key>.<Ed25519 signature>" over the event and its scope (see signing.ts). */
  sig: optional(f.str()),
}

const attempt = {
  contentHash: f.hash(),
  destinationId: f.str(),
  attemptId: f.named(),
  scheduleId: optional(f.str()),
}

/** The fields of each kind of event, beside the common ones. */
const KINDS = {
  created: { title: f.str(), typeId: f.str(), contentHash: f.hash() },
  edited: { contentHash: f.hash(), summary: f.str(), inserted: f.num(), deleted: f.num() },
  /**
   * `policy` names the version of the type's review policy the round is judged by (policies.ts);
   * submissions written before versions existed have none (see `PolicyBook.inForceAt`).
   */
  submitted: { contentHash: f.hash(), policy: optional(f.hash()) },
  /** An admin restarts an open round under the type's current rules: judgements and approvals start over. */
  new_round: { contentHash: f.hash(), policy: f.hash(), reason: f.str() },
  /**
   * "Start a new version": a member opens an approved (locked) version for editing, knowing it
   * voids the approvals it names. Without one, a change to approved content does not void them:
   * derivation keeps the approved version and shows the change as unapproved (locks.ts).
   */
  new_version: { contentHash: f.hash(), reason: f.str() },
  judged: { contentHash: f.hash(), itemId: f.named(), verdict: f.oneOf(VERDICTS), note: f.str() },
  /** `viewed`: the version the approver had open when approving (see locks.ts). */
  approved: { contentHash: f.hash(), note: f.str(), viewed: optional(f.hash()) },
  /**
   * Written by any member's app when a low-risk type set to approve automatically passes every
   * pre-check on this version; `checks` records the results it was given on. Derivation counts
   * it as one approval only when those conditions hold for the version it names.
   */
  auto_approved: { contentHash: f.hash(), checks: f.str() },
  changes_requested: { contentHash: f.hash(), reasons: f.strings() },
  rejected: { contentHash: f.hash(), reason: f.str() },
  reopened: { reason: f.str() },
  /**
   * Who is asked to review in one round: written by the submitter's app ('auto'), by any
   * member's app when the review runs past the SLA ('overdue', to the type's backup), or by a
   * person ('manual'). Derivation keeps the first 'auto' of a round in trail order.
   */
  assigned: { assignee: f.named(), reason: f.oneOf(ASSIGN_REASONS), round: f.int(1) },
  archived: { reason: f.str() },
  publish_scheduled: {
    contentHash: f.hash(),
    destinationId: f.str(),
    scheduleId: f.str(),
    runAt: f.num(),
  },
  publish_unscheduled: { scheduleId: f.str(), reason: f.str() },
  publish_claimed: attempt,
  published: {
    ...attempt,
    /** What the destination answered: file path and hash, commit id, HTTP status, message id. */
    receipt: f.record(),
    note: optional(f.unchecked<string>()),
  },
  publish_failed: { ...attempt, error: f.str(), retryable: f.bool() },
} satisfies Record<string, Shape>

type Kinds = typeof KINDS
type EventOf<K extends keyof Kinds> = Infer<typeof base & { kind: Field<K, false> } & Kinds[K]>
export type TrailEvent = { [K in keyof Kinds]: EventOf<K> }[keyof Kinds]

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

const checkBase = checker(base)
const CHECK_KIND = new Map<unknown, ReturnType<typeof checker>>(
  Object.entries(KINDS).map(([kind, shape]) => [kind, checker(shape)]),
)

const BASE_PROBLEM: Record<string, (e: Record<string, unknown>) => string> = {
  id: () => 'missing id',
  v: (e) => `unsupported event version ${String(e.v)}`,
  actor: () => 'missing actor',
  at: () => 'missing time',
  prev: () => 'malformed prev',
  sig: () => 'malformed sig',
}

const attemptProblems = (kind: string) => ({
  '': `${kind}: missing hash, destination or attempt`,
  scheduleId: `${kind}: malformed schedule`,
})

/** What to say when a kind's fields do not check: by the first field at fault, '' for any other. */
const KIND_PROBLEM: Record<TrailEventKind, Record<string, string>> = {
  created: { '': 'created: missing title, type or hash' },
  edited: { '': 'edited: missing hash or summary' },
  submitted: { '': 'submitted: missing content hash', policy: 'submitted: malformed policy version' },
  new_round: { '': 'new round: missing content hash, policy version or reason' },
  new_version: { '': 'new version: missing content hash or reason' },
  judged: {
    '': 'judged: missing content hash',
    itemId: 'judged: missing checklist item',
    verdict: 'judged: unknown verdict',
    note: 'judged: missing note',
  },
  approved: { viewed: 'approved: malformed viewed version', '': 'approved: missing content hash' },
  auto_approved: { '': 'auto approved: missing content hash or checks' },
  changes_requested: {
    '': 'changes requested: missing content hash',
    reasons: 'changes requested: malformed reasons',
  },
  rejected: { '': 'rejected: missing hash or reason' },
  reopened: { '': 'reopened: missing reason' },
  assigned: {
    '': 'assigned: missing assignee',
    reason: 'assigned: unknown reason',
    round: 'assigned: malformed round',
  },
  archived: { '': 'archived: missing reason' },
  publish_scheduled: { '': 'publish scheduled: missing hash, destination, schedule or time' },
  publish_unscheduled: { '': 'publish unscheduled: missing schedule or reason' },
  publish_claimed: attemptProblems('publish_claimed'),
  published: { ...attemptProblems('published'), receipt: 'published: missing receipt' },
  publish_failed: {
    ...attemptProblems('publish_failed'),
    error: 'publish failed: missing error',
    retryable: 'publish failed: missing error',
  },
}

/**
 * Check that a raw value from the shared document is a well-formed event. Returns the event (the
 * value itself, unknown fields and all, as it was signed) or a sentence saying what is wrong;
 * never throws, because trails arrive from other peers.
 */
export function parseTrailEvent(raw: unknown): TrailEvent | string {
  if (!isObj(raw)) return 'not an object'
  // Events are never changed in place (integrity.ts remembers facts by object the same way).
  let result = parsed.get(raw)
  if (result === undefined) {
    result = check(raw)
    parsed.set(raw, result)
  }
  return result
}
const parsed = new WeakMap<object, TrailEvent | string>()

function check(raw: Raw): TrailEvent | string {
  const baseFault = checkBase(raw)
  if (baseFault) return BASE_PROBLEM[baseFault]!(raw)
  const checkKind = CHECK_KIND.get(raw.kind)
  if (!checkKind) return `unknown event kind ${JSON.stringify(raw.kind)}`
  const fault = checkKind(raw)
  if (fault === undefined) return raw as TrailEvent
  const problems = KIND_PROBLEM[raw.kind as TrailEventKind]
  return problems[fault] ?? problems['']!
}
