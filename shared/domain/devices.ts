/** Registering this device's key with a member, and confirming a member's other device. */

import type { Check } from './derive.ts'
import { endorsement, keyRecord } from './keys.ts'
import { decisionTime } from './member-roles.ts'
import { localOrigin } from './origins.ts'
import type { DeviceKey } from './signing.ts'
import type { Workspace } from './workspace.ts'

/**
 * Hold the device key for the member and register it in the workspace if it is not yet: as the
 * member's first device when they have no trusted key, otherwise as pending until confirmed.
 * Returns what was done, for a notice.
 */
export function enrollDevice(
  ws: Workspace,
  memberId: string,
  key: DeviceKey,
  device: string,
  now = Date.now(),
): 'registered' | 'pending' | 'known' {
  ws.holdKey(memberId, key)
  const existing = ws.keys.get(key.publicKey)
  if (existing && existing.memberId === memberId) return 'known'
  if (!ws.members.get(memberId) || !ws.id) return 'known'
  const hasTrusted = [...ws.keyTrust().values()].some((t) => t.memberId === memberId && t.trusted)
  const record = keyRecord(ws.id, memberId, key, device, now, hasTrusted)
  ws.transact(localOrigin(memberId), () => ws.keys.put(record))
  return hasTrusted ? 'pending' : 'registered'
}

/**
 * Confirm a member's device key with this device's trusted key: the member themselves (from a
 * confirmed device) or an admin may.
 */
export function confirmDevice(ws: Workspace, actorId: string, targetKey: string, clock = Date.now()): Check {
  const now = decisionTime(ws.members.get(actorId), clock)
  const record = ws.keys.get(targetKey)
  if (!record) return { ok: false, reason: 'There is no such device key in this workspace.' }
  const actor = ws.members.get(actorId)
  if (!actor) return { ok: false, reason: 'Only members can confirm devices.' }
  if (record.memberId !== actorId && !actor.roles.includes('admin'))
    return { ok: false, reason: 'Only the member themselves or an admin can confirm a device.' }
  if (ws.heldPublicKey(actorId) === targetKey)
    return { ok: false, reason: 'A device cannot confirm itself; confirm it from another device.' }
  const problem = ws.signingProblem(actorId)
  if (problem) return { ok: false, reason: problem }
  const signer = ws.signerFor(actorId)
  if (!signer)
    return { ok: false, reason: 'Only the app’s host can confirm a device: it holds the signing key.' }
  if (ws.keyTrust().get(targetKey)?.trusted) return { ok: false, reason: 'That device is already trusted.' }
  ws.transact(localOrigin(actorId), () =>
    ws.keys.patch(targetKey, endorsement(ws.id, record, signer.key, now)),
  )
  return { ok: true }
}
