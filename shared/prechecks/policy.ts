/**
 * Risk escalation: when a detector with `escalateTo` fires, the output is held to the stricter of
 * its own policy and the target type's. Pure, so the board, the panel and every rule check agree.
 */
import type { OutputType, Role } from '../domain/types.ts'
import { RISK_TIERS } from '../domain/types.ts'
import type { DetectorKind } from './config.ts'
import { DETECTOR_NOUN, type PreCheckResult } from './run.ts'

export interface Escalation {
  detector: DetectorKind
  /** The type whose policy applies. */
  to: string
  toName: string
  /** "Mentions a price (€29): this needs the approvals of a Pricing update: 2 approvals from approver or admin." */
  reason: string
}

export interface EffectiveType {
  /** The policy actually enforced: the own type with the escalated approval rules. */
  type: OutputType
  escalations: Escalation[]
}

const joinOr = (roles: readonly Role[]) => roles.join(' or ')

export function policySentence(t: Pick<OutputType, 'approvalsRequired' | 'approverRoles'>): string {
  return `${t.approvalsRequired} approval${t.approvalsRequired === 1 ? '' : 's'} from ${joinOr(t.approverRoles)}`
}

const article = (name: string) => (/^[aeiou]/i.test(name) ? 'an' : 'a')

/**
 * The policy enforced for one version of an output of `type`, given its pre-check results.
 * Approvals required: the maximum; approver roles: the target's (the roles all targets share when
 * several fire, else the strictest target's); self-approval: only when every policy allows it.
 * Unknown targets and escalation to the type itself are ignored.
 */
export function effectiveType(
  type: OutputType,
  results: readonly PreCheckResult[],
  allTypes: readonly OutputType[] | ReadonlyMap<string, OutputType>,
): EffectiveType {
  const find = (id: string) =>
    allTypes instanceof Map
      ? (allTypes as ReadonlyMap<string, OutputType>).get(id)
      : (allTypes as readonly OutputType[]).find((t) => t.id === id)
  const escalations: Escalation[] = []
  const targets: OutputType[] = []
  for (const r of results) {
    if (r.status !== 'warn' || !r.escalateTo || !r.id.startsWith('detector:')) continue
    const target = find(r.escalateTo)
    if (!target || target.id === type.id) continue
    const detector = r.id.slice('detector:'.length) as DetectorKind
    const sample = r.matches?.[0]?.text
    escalations.push({
      detector,
      to: target.id,
      toName: target.name,
      reason: `Mentions ${DETECTOR_NOUN[detector]}${sample ? ` (${sample})` : ''}: this needs the approvals of ${article(target.name)} ${target.name}: ${policySentence(target)}.`,
    })
    if (!targets.some((t) => t.id === target.id)) targets.push(target)
  }
  if (targets.length === 0) return { type, escalations }
  let roles: Role[] = [...targets[0]!.approverRoles]
  for (const t of targets.slice(1)) roles = roles.filter((r) => t.approverRoles.includes(r))
  if (roles.length === 0) {
    const rank = (t: OutputType) => RISK_TIERS.indexOf(t.risk) * 100 + t.approvalsRequired
    const strictest = [...targets].sort((a, b) => rank(b) - rank(a))[0]!
    roles = [...strictest.approverRoles]
  }
  return {
    type: {
      ...type,
      approvalsRequired: Math.max(type.approvalsRequired, ...targets.map((t) => t.approvalsRequired)),
      approverRoles: roles,
      allowSelfApproval: type.allowSelfApproval && targets.every((t) => t.allowSelfApproval),
    },
    escalations,
  }
}

/** Why auto-approval is not available for this type, or null when it may be switched on. */
export function autoApproveUnavailable(type: Pick<OutputType, 'risk'>): string | null {
  return type.risk === 'low'
    ? null
    : `Only low-risk types may approve automatically; this one is ${type.risk} risk.`
}
