/**
 * Commands over the workspace's shared destinations: add, rename, remove (with its cascade over
 * the output types that allowed it) and which types may go where. Admins only. A change to where
 * a type may go is a new version of its rules (policy-actions.ts), so publishes already made
 * keep counting.
 */
import type { Check } from './derive.ts'
import { newId } from './ids.ts'
import { localOrigin } from './origins.ts'
import { patchOutputTypes } from './policy-actions.ts'
import type { Destination, DestinationKind } from './types.ts'
import type { Workspace } from './workspace.ts'

const ADMINS_ONLY: Check = { ok: false, reason: 'Only admins can change destinations.' }
const isAdmin = (ws: Workspace, actorId: string) => !!ws.members.get(actorId)?.roles.includes('admin')

/**
 * Two destinations of one name would be told apart nowhere (the board's list, the publish
 * dialog, receipts): a name is taken whatever its case, by any destination but `except`.
 */
function nameTaken(ws: Workspace, name: string, except?: string): Check | null {
  const key = name.toLocaleLowerCase()
  const other = ws.destinations
    .all()
    .find((d) => d.id !== except && d.name.trim().toLocaleLowerCase() === key)
  return other
    ? {
        ok: false,
        reason: `There is already a destination named “${other.name}”: give this one another name.`,
      }
    : null
}

export function addDestination(
  ws: Workspace,
  actorId: string,
  name: string,
  kind: DestinationKind,
): { ok: true; destination: Destination } | { ok: false; reason: string } {
  if (!isAdmin(ws, actorId)) return ADMINS_ONLY as { ok: false; reason: string }
  const trimmed = name.trim().slice(0, 120)
  if (!trimmed) return { ok: false, reason: 'Give the destination a name.' }
  const taken = nameTaken(ws, trimmed)
  if (taken) return taken as { ok: false; reason: string }
  const destination: Destination = { id: newId('d'), name: trimmed, kind }
  ws.transact(localOrigin(actorId), () => ws.destinations.put(destination))
  return { ok: true, destination }
}

export function renameDestination(ws: Workspace, actorId: string, id: string, name: string): Check {
  if (!isAdmin(ws, actorId)) return ADMINS_ONLY
  const trimmed = name.trim().slice(0, 120)
  if (!trimmed) return { ok: false, reason: 'Give the destination a name.' }
  if (!ws.destinations.get(id)) return { ok: false, reason: 'That destination no longer exists.' }
  const taken = nameTaken(ws, trimmed, id)
  if (taken) return taken
  ws.transact(localOrigin(actorId), () => ws.destinations.patch(id, { name: trimmed }))
  return { ok: true }
}

/**
 * Remove a destination; every type that allowed it stops allowing it (a new rules version). Its
 * name is kept among the removed ones, so what was published there still says where it went.
 */
export function removeDestination(ws: Workspace, actorId: string, id: string, now = Date.now()): Check {
  if (!isAdmin(ws, actorId)) return ADMINS_ONLY
  const destination = ws.destinations.get(id)
  if (!destination) return { ok: false, reason: 'That destination no longer exists.' }
  ws.transact(localOrigin(actorId), () => {
    ws.removedDestinations.put({ ...destination, removedAt: now, removedBy: actorId })
    ws.destinations.delete(id)
    patchOutputTypes(
      ws,
      actorId,
      ws.types
        .all()
        .filter((t) => t.allowedDestinations.includes(id))
        .map((t) => ({
          typeId: t.id,
          fields: { allowedDestinations: t.allowedDestinations.filter((x) => x !== id) },
        })),
    )
  })
  return { ok: true }
}

/** Let a type go to a destination, or stop it. */
export function allowDestination(
  ws: Workspace,
  actorId: string,
  typeId: string,
  destinationId: string,
  allowed: boolean,
): Check {
  if (!isAdmin(ws, actorId)) return ADMINS_ONLY
  const t = ws.types.get(typeId)
  if (!t) return { ok: false, reason: 'That output type no longer exists.' }
  const next = allowed
    ? [...new Set([...t.allowedDestinations, destinationId])]
    : t.allowedDestinations.filter((x) => x !== destinationId)
  patchOutputTypes(ws, actorId, [{ typeId, fields: { allowedDestinations: next } }])
  return { ok: true }
}
