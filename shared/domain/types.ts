/** The review domain's plain data shapes. Stored in Yjs as plain JSON values and Y.Maps. */
import type { PreCheckConfig } from '../prechecks/config.ts'
import type { DestinationKind } from '../publish/kinds/index.ts'
import type { RoutingConfig } from '../routing/config.ts'

export const ROLES = ['author', 'reviewer', 'approver', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const RISK_TIERS = ['low', 'medium', 'high', 'critical'] as const
export type RiskTier = (typeof RISK_TIERS)[number]

export interface Member {
  id: string
  name: string
  /** The roles now. */
  roles: Role[]
  joinedAt: number
  /**
   * Every change of roles, oldest first: `roles` held from `at` on (see member-roles.ts). A
   * decision counts under the roles its maker held when they made it, so taking a role away
   * never undoes what was decided with it. Absent on members whose roles never changed.
   */
  roleHistory?: RoleChange[]
}

export interface RoleChange {
  at: number
  roles: Role[]
}

export interface ChecklistItem {
  id: string
  title: string
  /** The question the reviewer answers. */
  question: string
  /** What counts as good enough. */
  guidance: string
  /** 'send-back': a failure sends the output back; 'warning': a failure is noted only. */
  severity: 'send-back' | 'warning'
}

/**
 * Which checklist verdicts of a round carry into the next round of the same output (the next
 * round's rules decide; see carry-over.ts): none, or the items whose latest verdict was a pass
 * (or also "not applicable") and whose wording did not change between the two rounds' rules.
 */
export const CARRY_OVER = ['never', 'passed', 'passed-or-na'] as const
export type CarryOver = (typeof CARRY_OVER)[number]

export interface OutputType {
  id: string
  name: string
  /** What it is for. */
  description: string
  risk: RiskTier
  checklist: ChecklistItem[]
  approvalsRequired: number
  approverRoles: Role[]
  allowSelfApproval: boolean
  /** Destination ids this type may be published to; empty means none yet. */
  allowedDestinations: string[]
  reviewSlaHours: number
  /** Automatic pre-checks run on every content change; absent means none. */
  prechecks?: PreCheckConfig
  /** Who is assigned to review on submission, and the SLA backup; absent means no routing. */
  routing?: RoutingConfig
  /** Verdicts that carry into the next round; absent means 'never' (every item is judged again). */
  carryOver?: CarryOver
}

// Destination kinds are modules in shared/publish/kinds/; the list is derived from them.
export { DESTINATION_KINDS, type DestinationKind } from '../publish/kinds/index.ts'

export interface Destination {
  id: string
  name: string
  kind: DestinationKind
}

/**
 * A destination as it was when an admin removed it: kept so that what was published or scheduled
 * there still reads by name in the cards, the publishing history, Shipped and receipts.
 */
export interface RemovedDestination extends Destination {
  removedAt: number
  removedBy: string
}

export interface OutputSource {
  model?: string
  tool?: string
  prompt?: string
}

/** The longest output title: written so by createOutput and renameOutput, read so from any peer. */
export const TITLE_MAX = 200

export const REVIEW_STATES = [
  'draft',
  'in_review',
  'changes_requested',
  'approved',
  'approved_stale',
  'published',
  'rejected',
  'archived',
] as const
export type ReviewState = (typeof REVIEW_STATES)[number]

/** The small per-output row the board reads from the workspace document. */
export interface OutputSummary {
  id: string
  title: string
  typeId: string
  state: ReviewState
  authorId: string
  assignees: string[]
  tags: string[]
  dueDate?: string
  createdAt: number
  updatedAt: number
  /** When the current review round started, for the SLA clock. */
  submittedAt?: number
  /** The member currently assigned to review this round (routing), if any. */
  reviewer?: string
  /** The review was handed to the backup this round because it ran past the SLA. */
  reassigned?: boolean
  contentHash: string
  approvals: number
  approvalsRequired: number
  checklistDone: number
  checklistTotal: number
  checklistFailed: number
  /** The reasons of the latest "changes requested" / rejection, shown on the card. */
  reasons: string[]
  /** Destinations this version was published to, and the latest failure if any (for the card). */
  publishedTo?: string[]
  /** How many publishes of any version succeeded (a published output edited later still counts). */
  publishCount?: number
  publishError?: { destinationId: string; error: string; at: number }
  /** The next pending scheduled publish, if any, and why it cannot go out as things stand (publishing.ts). */
  nextSchedule?: { destinationId: string; runAt: number; hold?: string }
  /**
   * Set by a member's app that found this row disagreeing with the output's verified trail and
   * rewrote it from the trail: when, and the state the row had claimed.
   */
  corrected?: { at: number; claimed: ReviewState }
}

export interface OutputMeta {
  id: string
  workspaceId: string
  title: string
  typeId: string
  source: OutputSource
  authorId: string
  assignees: string[]
  tags: string[]
  dueDate?: string
  createdAt: number
}
