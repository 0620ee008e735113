/** Member and role rules for the settings screen: who may change them, and the last admin. */
import type { Check } from '../../../shared/domain/derive.ts'
import type { Member, Role } from '../../../shared/domain/types.ts'

export const ROLE_LABEL: Record<Role, string> = {
  author: 'Author',
  reviewer: 'Reviewer',
  approver: 'Approver',
  admin: 'Admin',
}

export function isAdmin(members: readonly Member[], memberId: string): boolean {
  return members.some((m) => m.id === memberId && m.roles.includes('admin'))
}

export function canManage(members: readonly Member[], memberId: string): Check {
  return isAdmin(members, memberId)
    ? { ok: true }
    : { ok: false, reason: 'Only admins can change this; ask an admin of this workspace.' }
}

/** The roles a member would have after toggling one, or why not. */
export function toggleRole(
  members: readonly Member[],
  targetId: string,
  role: Role,
): { ok: true; roles: Role[] } | { ok: false; reason: string } {
  const target = members.find((m) => m.id === targetId)
  if (!target) return { ok: false, reason: 'That member is no longer in the workspace.' }
  const has = target.roles.includes(role)
  if (has && role === 'admin') {
    const admins = members.filter((m) => m.roles.includes('admin'))
    if (admins.length <= 1)
      return {
        ok: false,
        reason: `${target.name} is the last admin: make someone else an admin first, or nobody could manage this workspace.`,
      }
  }
  const roles = has ? target.roles.filter((r) => r !== role) : [...target.roles, role]
  return {
    ok: true,
    roles: (['author', 'reviewer', 'approver', 'admin'] as const).filter((r) => roles.includes(r)),
  }
}

export function validateNewMember(
  name: string,
  roles: readonly Role[],
  members: readonly Member[],
): { ok: true; name: string } | { ok: false; errors: { name?: string; roles?: string } } {
  const errors: { name?: string; roles?: string } = {}
  const trimmed = name.trim()
  if (!trimmed) errors.name = 'Give the member a name.'
  else if (trimmed.length > 80) errors.name = 'Keep the name under 80 characters.'
  else if (members.some((m) => m.name.trim().toLowerCase() === trimmed.toLowerCase()))
    errors.name = `There is already a member called "${trimmed}".`
  if (roles.length === 0) errors.roles = 'Choose at least one role.'
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, name: trimmed }
}
