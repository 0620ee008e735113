/**
 * Commands over members and roles: adding a member and changing roles, only by an admin, and
 * never leaving a workspace without an admin.
 */
import { stripBidi } from '../bidi.ts'
import type { Check } from './derive.ts'
import { newId } from './ids.ts'
import { roleChange } from './member-roles.ts'
import { localOrigin } from './origins.ts'
import type { Member, Role } from './types.ts'
import { ROLES } from './types.ts'
import type { Workspace } from './workspace.ts'

const notAdmin = (ws: Workspace, actorId: string): Check | null =>
  ws.members.get(actorId)?.roles.includes('admin')
    ? null
    : { ok: false, reason: 'Only admins can change this; ask an admin of this workspace.' }

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
  // A name is shown in approvals, receipts and commit messages: a bidi control in it would
  // reorder the text around it ("\u202Enimda" reads as "admin"), so it is left out.
  const trimmed = stripBidi(name).trim()
  const same = members.find((m) => stripBidi(m.name).trim().toLowerCase() === trimmed.toLowerCase())
  if (!trimmed) errors.name = 'Give the member a name.'
  else if (trimmed.length > 80) errors.name = 'Keep the name under 80 characters.'
  else if (same) errors.name = `There is already a member called "${stripBidi(same.name).trim()}".`
  if (roles.length === 0) errors.roles = 'Choose at least one role.'
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, name: trimmed }
}

/**
 * Give or take one role of a member, as an admin. The change is recorded with its time, so what
 * the member decided with their roles before it still counts (member-roles.ts).
 */
export function changeRole(
  ws: Workspace,
  actorId: string,
  targetId: string,
  role: Role,
  now = Date.now(),
): Check {
  const refused = notAdmin(ws, actorId)
  if (refused) return refused
  const next = toggleRole(ws.members.all(), targetId, role)
  if (!next.ok) return next
  const target = ws.members.get(targetId)
  if (!target) return { ok: false, reason: 'That member is no longer in the workspace.' }
  ws.transact(localOrigin(actorId), () => ws.members.patch(targetId, roleChange(target, next.roles, now)))
  return { ok: true }
}

/** Add a member with these roles, as an admin; returns the new member id. */
export function addMember(
  ws: Workspace,
  actorId: string,
  name: string,
  roles: readonly Role[],
  now = Date.now(),
):
  | { ok: true; id: string; name: string }
  | { ok: false; reason: string; errors: { name?: string; roles?: string } } {
  const refused = notAdmin(ws, actorId)
  if (refused && !refused.ok) return { ok: false, reason: refused.reason, errors: {} }
  const v = validateNewMember(name, roles, ws.members.all())
  if (!v.ok) return { ok: false, reason: Object.values(v.errors).join(' '), errors: v.errors }
  const id = newId('m')
  const member: Member = { id, name: v.name, roles: ROLES.filter((r) => roles.includes(r)), joinedAt: now }
  ws.transact(localOrigin(actorId), () => ws.members.put(member))
  return { ok: true, id, name: v.name }
}

/**
 * Rename the workspace (admins): every member's switcher shows the new name once it syncs. The
 * name is what people tell workspaces apart by, so an empty one or one over 120 characters is
 * refused in words rather than cut.
 */
export function renameWorkspace(ws: Workspace, actorId: string, name: string): Check {
  if (!ws.members.get(actorId)?.roles.includes('admin'))
    return { ok: false, reason: 'Only admins can rename the workspace.' }
  // As with members' names: no bidi controls that would turn it round in every list.
  const trimmed = stripBidi(name).trim()
  if (!trimmed) return { ok: false, reason: 'Give the workspace a name.' }
  if (trimmed.length > 120)
    return { ok: false, reason: `That name is ${trimmed.length} characters long: keep it to 120.` }
  if (trimmed === ws.name) return { ok: false, reason: 'That is its name already.' }
  ws.setName(localOrigin(actorId), trimmed)
  return { ok: true }
}
