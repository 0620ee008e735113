/**
 * Roles over time. A decision (a judgement, an approval, a new round, a device confirmation)
 * counts under the roles its maker held when they made it, by the time the decision carries: an
 * admin who takes Bea's approver role away stops her approving from then on, and every approval
 * she gave before keeps counting, with what was published on it. Nothing decided is rewritten by
 * a later change of roles.
 *
 * The limit is the clock: the time is the one the decider's device wrote, so a decision made
 * just after a change, on a device whose clock runs behind, is read as made before it. To stop
 * someone at once, revoke their relay token too (Settings → Sync & hosting, or
 * `npm run relay -- token revoke`).
 */
import type { Member, Role } from './types.ts'

/** How many role changes a member keeps; the oldest kept one then covers everything before it. */
export const MAX_ROLE_HISTORY = 100

/** The roles `member` held at `at`; without a time (a check made now), the roles now. */
export function rolesAt(member: Member, at?: number): Role[] {
  const history = member.roleHistory
  if (at === undefined || !history || history.length === 0) return member.roles
  let i = history.length - 1
  while (i >= 0 && history[i]!.at > at) i--
  // From the latest change on, the member's roles are the current ones (they are what every
  // peer's view agrees on, even if two admins' changes crossed).
  if (i === history.length - 1) return member.roles
  return history[Math.max(i, 0)]!.roles
}

/** The member as they stood at `at` (their roles then). */
export function memberAt(member: Member, at?: number): Member {
  const roles = rolesAt(member, at)
  return roles === member.roles ? member : { ...member, roles }
}

/** The fields that record a change of `member`'s roles to `roles` at `at`. */
export function roleChange(member: Member, roles: Role[], at: number): Pick<Member, 'roles' | 'roleHistory'> {
  // A member whose roles never changed held their current ones from the start.
  const before = member.roleHistory?.length ? member.roleHistory : [{ at: 0, roles: member.roles }]
  return { roles, roleHistory: [...before, { at, roles }].slice(-MAX_ROLE_HISTORY) }
}

/**
 * The time to write on a decision `member` makes now: `now`, or, when this device's clock is
 * behind the latest change of their roles (made on another device), that change's time, so the
 * decision is read under the roles that allowed it here.
 */
export function decisionTime(member: Member | undefined, now: number): number {
  const last = member?.roleHistory?.at(-1)?.at
  return last !== undefined && last > now ? last : now
}
