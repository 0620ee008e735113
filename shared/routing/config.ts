/**
 * Per-type routing: who is asked to review an output when it is submitted, and who takes it over
 * when the review runs past the type's SLA. The config arrives from other peers inside the
 * workspace document, so its reader turns junk into "no routing", never a throw.
 */

export const ROUTING_STRATEGIES = ['none', 'fixed', 'round-robin', 'least-busy'] as const
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number]

export const ROUTING_ROLES = ['reviewer', 'approver'] as const
export type RoutingRole = (typeof ROUTING_ROLES)[number]

export interface RoutingConfig {
  strategy: RoutingStrategy
  /** The role a member must hold to be picked (round-robin and least-busy). */
  role: RoutingRole
  /** The person every review goes to (strategy 'fixed'). */
  fixedMemberId?: string
  /** Who takes over a review that runs past the SLA; absent means nobody. */
  backupMemberId?: string
}

export const NO_ROUTING: RoutingConfig = { strategy: 'none', role: 'reviewer' }

const id = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= 200 ? v.trim() : undefined

/** Read a routing config from a stored value; anything malformed means no routing. */
export function parseRoutingConfig(raw: unknown): RoutingConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ...NO_ROUTING }
  const r = raw as Record<string, unknown>
  if (!(ROUTING_STRATEGIES as readonly unknown[]).includes(r.strategy)) return { ...NO_ROUTING }
  const strategy = r.strategy as RoutingStrategy
  const role: RoutingRole = r.role === 'approver' ? 'approver' : 'reviewer'
  const fixedMemberId = id(r.fixedMemberId)
  // A fixed strategy without a person cannot route anything.
  if (strategy === 'fixed' && !fixedMemberId) return { ...NO_ROUTING }
  const backupMemberId = id(r.backupMemberId)
  return {
    strategy,
    role,
    ...(strategy === 'fixed' && fixedMemberId ? { fixedMemberId } : {}),
    ...(backupMemberId ? { backupMemberId } : {}),
  }
}
