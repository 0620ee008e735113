/** The shapes derivation reads and returns (see derive.ts). */
import type { Escalation } from '../prechecks/policy.ts'
import type { PreCheckResult } from '../prechecks/run.ts'
import type { IntegrityInput } from './integrity.ts'
import type { PolicyBook, PolicyVersion } from './policies.ts'
import type { PublishRecord, ScheduleRecord } from './publishing.ts'
import type { TrailEvent, TrailProblem, Verdict } from './trail.ts'
import type { ChecklistItem, Member, OutputType, ReviewState } from './types.ts'

/** The lifecycle phase the events move through; "approved" is derived from a review round. */
export type Phase = 'draft' | 'in_review' | 'changes_requested' | 'rejected' | 'archived'

export interface DeriveInput {
  /** Raw trail values as they come out of the document: validated here, never trusted. */
  trail: readonly unknown[]
  /**
   * The type's rules as they stand now (escalated by the current content's pre-checks): used
   * before the first submission, and for every round when `policies` is not given.
   */
  type: OutputType | undefined
  /** The output's type id (the type itself may have been deleted since). */
  typeId?: string
  /**
   * The workspace's recorded policy versions. When given, each round is judged by the version
   * its submission names, so later edits of the type never change a decided round.
   */
  policies?: PolicyBook
  /** The address of the type's current rules: a round bound to them is judged by the fields above. */
  currentPolicy?: string
  /** The rules enforced for one base policy on the current content (pre-checks, escalation). */
  enforce?: (type: OutputType, targets: ReadonlyMap<string, OutputType> | undefined) => Enforced
  members: ReadonlyMap<string, Member>
  authorId: string
  assignees?: readonly string[]
  currentHash: string
  /** Automatic pre-check results on the current content (a pure function of content and config). */
  preChecks?: readonly PreCheckResult[]
  /** Titles of failed pre-checks on the current content: they hold approval like a failed send-back item. */
  preCheckFailures?: readonly string[]
  /** Escalations already applied to `type` (the policy enforced); stated to people. */
  escalations?: readonly Escalation[]
  /**
   * Pre-check outcome per version: the current one, and every version an `auto_approved` event
   * names whose bytes are known. Auto-approvals of versions missing here are not counted.
   */
  preCheckVersions?: ReadonlyMap<string, PreCheckVersion>
  /**
   * Signatures and chain: when given (the app always gives it), an event counts only if signed by
   * a trusted key of its actor for this output and chained to an unchanged earlier event.
   */
  integrity?: IntegrityInput
}

/** What one policy comes to on the current content: the type as escalated, and the checks' outcome. */
export interface Enforced {
  type: OutputType
  preChecks: readonly PreCheckResult[]
  preCheckFailures: readonly string[]
  escalations: readonly Escalation[]
  versions: ReadonlyMap<string, PreCheckVersion>
}

/** The rules one round is judged by. */
export interface RoundPolicy {
  round: number
  /** The submission (or new round) event that started it. */
  eventId: string
  by: string
  at: number
  /** The recorded version's address, when the round is bound to one. */
  hash?: string
  version?: PolicyVersion
  /** How the version was chosen when the submission did not name one. */
  note?: string
  /**
   * The verdicts of the round before that carried into this one when it began (policy-carry-over.ts),
   * each marked with the round it was given in; absent when none did.
   */
  carried?: Judgement[]
}

export interface PreCheckVersion {
  /** Every pre-check passed (no failure, no detector fired). */
  passed: boolean
  /** Number of failed (blocking) pre-checks. */
  failures: number
  /** A detector with an escalation fired on this version. */
  escalated: boolean
}

/** The approver id under which a valid automatic approval is counted (one per version). */
export const AUTO_APPROVER = 'signoff:automatic-checks'

export interface Judgement {
  itemId: string
  verdict: Verdict
  note: string
  by: string
  at: number
  eventId: string
  contentHash: string
  /**
   * Set when the verdict was given in an earlier round and carries into this one by the round's
   * rules (policy-carry-over.ts): it stands for every version of this round until the item is
   * judged again in it.
   */
  carried?: { round: number }
}

export interface ChecklistRow {
  item: ChecklistItem
  /** The latest judgement of this item in the current round on the current content, if any. */
  judgement?: Judgement
  /** A judgement given in this round to an earlier version of the content. */
  outdated?: Judgement
  /** Why the item's verdict in the round before did not carry over, when the rules carry some. */
  notCarried?: string
}

/** Who is asked to review in the current round, from the first counted `assigned` event. */
export interface Assignment {
  assignee: string
  reason: 'auto' | 'manual' | 'overdue'
  by: string
  at: number
  round: number
  eventId: string
}

export interface CountedApproval {
  memberId: string
  at: number
  eventId: string
  contentHash: string
  /** Set for an automatic approval (memberId is AUTO_APPROVER): the member whose app wrote it. */
  auto?: { writtenBy: string; checks: string }
}

/** A change to locked content that no "Start a new version" allowed: the approvals still hold. */
export interface UnapprovedChange {
  approvedHash: string
  currentHash: string
  /** Members whose recorded edits made it, as far as the trail says. */
  editors: string[]
}

export interface Derived {
  state: ReviewState
  phase: Phase
  /** Number of times the output was submitted for review. */
  round: number
  /** The rules the current round is judged by (the type's current rules before any submission). */
  type: OutputType | undefined
  /** The current round's policy version; absent before the first submission. */
  policy?: RoundPolicy
  /** Every counted round with the rules it was judged by, in trail order. */
  rounds: RoundPolicy[]
  /** Pre-check outcome per version under the current round's rules. */
  preCheckVersions: ReadonlyMap<string, PreCheckVersion>
  /** Destinations a publish of this round may go to. */
  allowedDestinations: readonly string[]
  submittedAt?: number
  approvals: CountedApproval[]
  /** Approvals in this round given to another version of the content: no longer counted. */
  staleApprovals: CountedApproval[]
  /** The version the counted approvals are for, when approved or published. */
  approvedHash?: string
  /**
   * The approved version that is locked: a person approved it and nobody has started a new version
   * from it. Editing it needs "Start a new version" (locks.ts).
   */
  lockedHash?: string
  /** The content changed away from the locked version without "Start a new version". */
  unapprovedChange?: UnapprovedChange
  approvalsRequired: number
  checklist: ChecklistRow[]
  checklistDone: number
  checklistTotal: number
  /** Send-back items judged "fail" on the current content in this round. */
  checklistFailed: number
  /** Why the output was last sent back or rejected (cleared by a new submission). */
  reasons: string[]
  /** Events that were not counted, and why. */
  problems: TrailProblem[]
  /** Events that counted, in trail order. */
  events: TrailEvent[]
  /** Every publish attempt (claims and their outcomes), in trail order. */
  publishes: PublishRecord[]
  /**
   * Claims that did not count (no approval stood where they are in the merged trail), with the
   * outcomes their members recorded: publishes that may have gone out all the same.
   */
  unapprovedPublishes: PublishRecord[]
  schedules: ScheduleRecord[]
  lastEventAt: number
  /** The current round's reviewer (routing), if one was assigned. */
  assignment?: Assignment
  /** The review was handed to the backup this round because it ran past the SLA. */
  reassigned: boolean
  /** Automatic pre-checks on the current content, their failures and the escalations applied. */
  preChecks: readonly PreCheckResult[]
  preCheckFailures: string[]
  escalations: readonly Escalation[]
}

export type Action =
  | 'edit'
  | 'submit'
  | 'judge'
  | 'approve'
  | 'request_changes'
  | 'reject'
  | 'reopen'
  | 'archive'
export const ACTIONS: readonly Action[] = [
  'edit',
  'submit',
  'judge',
  'approve',
  'request_changes',
  'reject',
  'reopen',
  'archive',
]

export type Check = { ok: true } | { ok: false; reason: string }
