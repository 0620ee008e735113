/** Member and role words for the settings screen, and who may change them (the rules are in shared/domain/member-actions.ts). */
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
