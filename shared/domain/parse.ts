/** Defensive readers for rows that arrive from other peers. Each returns null for junk. */
import { isObj, isNum as num, type Raw, isStr as str, strings } from '../guards.ts'
import { parsePreCheckConfig } from '../prechecks/config.ts'
import { parseRoutingConfig } from '../routing/config.ts'
import type { ChecklistItem, Destination, Member, OutputSummary, OutputType, Role } from './types.ts'
import { CARRY_OVER, DESTINATION_KINDS, REVIEW_STATES, RISK_TIERS, ROLES } from './types.ts'

const roles = (v: unknown): Role[] =>
  strings(v).filter((r): r is Role => (ROLES as readonly string[]).includes(r))

export function parseMember(r: Raw): Member | null {
  if (!str(r.id) || !str(r.name)) return null
  return {
    id: r.id,
    name: r.name,
    roles: roles(r.roles),
    joinedAt: num(r.joinedAt) ? r.joinedAt : 0,
  }
}

export function parseChecklistItem(v: unknown): ChecklistItem | null {
  if (typeof v !== 'object' || v === null) return null
  const r = v as Raw
  if (!str(r.id) || !str(r.title)) return null
  return {
    id: r.id,
    title: r.title,
    question: str(r.question) ? r.question : r.title,
    guidance: str(r.guidance) ? r.guidance : '',
    severity: r.severity === 'warning' ? 'warning' : 'send-back',
  }
}

export function parseOutputType(r: Raw): OutputType | null {
  if (!str(r.id) || !str(r.name)) return null
  const risk = (RISK_TIERS as readonly unknown[]).includes(r.risk) ? (r.risk as OutputType['risk']) : 'high'
  const checklist = Array.isArray(r.checklist)
    ? r.checklist.map(parseChecklistItem).filter((i): i is ChecklistItem => i !== null)
    : []
  const approverRoles = roles(r.approverRoles)
  return {
    id: r.id,
    name: r.name,
    description: str(r.description) ? r.description : '',
    risk,
    checklist,
    approvalsRequired: num(r.approvalsRequired)
      ? Math.min(10, Math.max(1, Math.floor(r.approvalsRequired)))
      : 1,
    // A type with no approver roles could never be approved; fall back to the strictest sane default.
    approverRoles: approverRoles.length > 0 ? approverRoles : ['approver'],
    allowSelfApproval: r.allowSelfApproval === true,
    allowedDestinations: strings(r.allowedDestinations),
    reviewSlaHours: num(r.reviewSlaHours) && r.reviewSlaHours > 0 ? r.reviewSlaHours : 24,
    // Junk becomes the defaults, field by field; absent (or null) means no pre-checks.
    ...(r.prechecks !== undefined && r.prechecks !== null
      ? { prechecks: parsePreCheckConfig(r.prechecks) }
      : {}),
    // Junk means no routing; 'none' is not stored, so an unrouted type reads the same as before.
    ...routingOf(r.routing),
    // 'never' is the default and is not stored: a type that never set it reads (and hashes) as before.
    ...carryOverOf(r.carryOver),
  }
}

export function parseDestination(r: Raw): Destination | null {
  if (!str(r.id) || !str(r.name)) return null
  if (!(DESTINATION_KINDS as readonly unknown[]).includes(r.kind)) return null
  return { id: r.id, name: r.name, kind: r.kind as Destination['kind'] }
}

export function parseSummary(v: unknown): OutputSummary | null {
  if (typeof v !== 'object' || v === null) return null
  const r = v as Raw
  if (!str(r.id) || !str(r.title) || !str(r.typeId) || !str(r.authorId)) return null
  if (!(REVIEW_STATES as readonly unknown[]).includes(r.state)) return null
  return {
    id: r.id,
    title: r.title,
    typeId: r.typeId,
    state: r.state as OutputSummary['state'],
    authorId: r.authorId,
    assignees: strings(r.assignees),
    tags: strings(r.tags),
    ...(str(r.dueDate) ? { dueDate: r.dueDate } : {}),
    createdAt: num(r.createdAt) ? r.createdAt : 0,
    updatedAt: num(r.updatedAt) ? r.updatedAt : 0,
    ...(num(r.submittedAt) ? { submittedAt: r.submittedAt } : {}),
    ...(str(r.reviewer) && r.reviewer ? { reviewer: r.reviewer } : {}),
    ...(r.reassigned === true ? { reassigned: true } : {}),
    contentHash: str(r.contentHash) ? r.contentHash : '',
    approvals: num(r.approvals) ? r.approvals : 0,
    approvalsRequired: num(r.approvalsRequired) ? r.approvalsRequired : 1,
    checklistDone: num(r.checklistDone) ? r.checklistDone : 0,
    checklistTotal: num(r.checklistTotal) ? r.checklistTotal : 0,
    checklistFailed: num(r.checklistFailed) ? r.checklistFailed : 0,
    reasons: strings(r.reasons),
    ...(Array.isArray(r.publishedTo) ? { publishedTo: strings(r.publishedTo) } : {}),
    ...(num(r.publishCount) && r.publishCount > 0 ? { publishCount: r.publishCount } : {}),
    ...(isObj(r.publishError) && str(r.publishError.destinationId) && str(r.publishError.error)
      ? {
          publishError: {
            destinationId: r.publishError.destinationId,
            error: r.publishError.error,
            at: num(r.publishError.at) ? r.publishError.at : 0,
          },
        }
      : {}),
    ...(isObj(r.nextSchedule) && str(r.nextSchedule.destinationId) && num(r.nextSchedule.runAt)
      ? { nextSchedule: { destinationId: r.nextSchedule.destinationId, runAt: r.nextSchedule.runAt } }
      : {}),
    ...(isObj(r.corrected) &&
    num(r.corrected.at) &&
    (REVIEW_STATES as readonly unknown[]).includes(r.corrected.claimed)
      ? { corrected: { at: r.corrected.at, claimed: r.corrected.claimed as OutputSummary['state'] } }
      : {}),
  }
}

function routingOf(v: unknown): Pick<OutputType, 'routing'> {
  if (v === undefined || v === null) return {}
  const routing = parseRoutingConfig(v)
  return routing.strategy === 'none' && !routing.backupMemberId ? {} : { routing }
}

/** A stored carry-over setting, or nothing for the default and for junk. */
export function carryOverOf(v: unknown): Pick<OutputType, 'carryOver'> {
  return v !== 'never' && (CARRY_OVER as readonly unknown[]).includes(v)
    ? { carryOver: v as NonNullable<OutputType['carryOver']> }
    : {}
}
