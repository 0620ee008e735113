/**
 * Device keys registered with members in the workspace document, and which of them to trust.
 *
 * A record binds one public key to one member, with a proof of possession (signed by the key
 * itself, so nobody can bind someone else's key to another member). Trust:
 * - a member's first device enrols itself: a self-enrolled key is trusted when it is that
 *   member's only one. When two self-enrolled keys claim the same member (a second device, or
 *   someone enrolling a key in another member's name), neither counts until one is confirmed;
 * - any key confirmed (endorsed) by a trusted key of the same member or of an admin is trusted.
 * A member's later device therefore enrols as "pending" and asks to be confirmed.
 */

import { isStr as str } from '../guards.ts'
import { rolesAt } from './member-roles.ts'
import { type DeviceKey, isKeyHex, signBytes, verifyRemembered } from './signing.ts'
import type { Member } from './types.ts'

export interface KeyRecord {
  /** The public key, hex; also the row id. */
  id: string
  memberId: string
  /** A name for the device, for people ("Ada's laptop"). */
  device: string
  addedAt: number
  /** The key's own signature over the binding. */
  proof: string
  /** Enrolled while the member already had a trusted key: waits for confirmation. */
  pending?: boolean
  /** The trusted key that confirmed this one, and its signature over the binding. */
  endorsedBy?: string
  endorsement?: string
  endorsedAt?: number
}

export interface KeyTrust {
  key: string
  memberId: string
  device: string
  addedAt: number
  trusted: boolean
  /** Why it is (not) trusted, as a sentence. */
  why: string
  endorsedBy?: string
}

const encoder = new TextEncoder()
const bindingMessage = (
  workspaceId: string,
  r: { id: string; memberId: string; device: string; addedAt: number; pending?: boolean },
) =>
  encoder.encode(
    `signoff/device-key/v1\n${workspaceId}\n${r.memberId}\n${r.id}\n${r.device}\n${r.addedAt}\n${r.pending ? 'pending' : 'first'}`,
  )
const endorseMessage = (workspaceId: string, memberId: string, key: string) =>
  encoder.encode(`signoff/endorse-key/v1\n${workspaceId}\n${memberId}\n${key}`)

export function parseKeyRecord(r: Record<string, unknown>): KeyRecord | null {
  if (!isKeyHex(r.id) || !str(r.memberId) || !str(r.proof) || typeof r.addedAt !== 'number') return null
  return {
    id: r.id,
    memberId: r.memberId,
    device: str(r.device) ? r.device.slice(0, 80) : '',
    addedAt: r.addedAt,
    proof: r.proof,
    ...(r.pending === true ? { pending: true } : {}),
    ...(isKeyHex(r.endorsedBy) && str(r.endorsement)
      ? {
          endorsedBy: r.endorsedBy,
          endorsement: r.endorsement,
          ...(typeof r.endorsedAt === 'number' ? { endorsedAt: r.endorsedAt } : {}),
        }
      : {}),
  }
}

/** A new record for this device's key, with its proof of possession. */
export function keyRecord(
  workspaceId: string,
  memberId: string,
  key: DeviceKey,
  device: string,
  addedAt: number,
  pending: boolean,
): KeyRecord {
  const base = {
    id: key.publicKey,
    memberId,
    device: device.slice(0, 80),
    addedAt,
    ...(pending ? { pending } : {}),
  }
  return { ...base, proof: signBytes(bindingMessage(workspaceId, base), key) }
}

/** The endorsement fields with which `by` confirms a member's key. */
export function endorsement(
  workspaceId: string,
  record: KeyRecord,
  by: DeviceKey,
  at: number,
): Pick<KeyRecord, 'endorsedBy' | 'endorsement' | 'endorsedAt'> {
  return {
    endorsedBy: by.publicKey,
    endorsement: signBytes(endorseMessage(workspaceId, record.memberId, record.id), by),
    endorsedAt: at,
  }
}

/** Signature checks on key records, remembered by their exact content. */
const rememberedVerify = (key: string, message: Uint8Array, sig: string): boolean =>
  isKeyHex(key) && verifyRemembered(key, message, sig)

/** Decide which registered keys to trust; see the module comment for the rules. */
export function trustKeys(
  workspaceId: string,
  records: readonly KeyRecord[],
  members: ReadonlyMap<string, Member>,
): Map<string, KeyTrust> {
  const out = new Map<string, KeyTrust>()
  const valid: KeyRecord[] = []
  const nameOf = (id: string) => members.get(id)?.name ?? id
  for (const r of records) {
    const base = { key: r.id, memberId: r.memberId, device: r.device, addedAt: r.addedAt }
    if (!members.has(r.memberId)) {
      out.set(r.id, { ...base, trusted: false, why: `${r.memberId} is not a member of this workspace.` })
    } else if (!rememberedVerify(r.id, bindingMessage(workspaceId, r), r.proof)) {
      out.set(r.id, {
        ...base,
        trusted: false,
        why: 'Its proof of possession does not verify: the record was not written by this key.',
      })
    } else valid.push(r)
  }
  // Self-enrolled keys: trusted when they are the member's only one.
  const selfEnrolled = new Map<string, KeyRecord[]>()
  for (const r of valid) {
    if (r.pending) continue
    const list = selfEnrolled.get(r.memberId) ?? []
    list.push(r)
    selfEnrolled.set(r.memberId, list)
  }
  const trusted = new Map<string, string>()
  for (const [memberId, list] of selfEnrolled) {
    if (list.length === 1) trusted.set(list[0]!.id, `${nameOf(memberId)}'s first device.`)
  }
  // Confirmations, until nothing changes (a confirmed key may confirm another).
  const byKey = new Map(valid.map((r) => [r.id, r]))
  let changed = true
  while (changed) {
    changed = false
    for (const r of valid) {
      if (trusted.has(r.id) || !r.endorsedBy || !r.endorsement || !trusted.has(r.endorsedBy)) continue
      const endorser = byKey.get(r.endorsedBy)!
      // An admin then: a confirmation stands when its maker later stops being an admin.
      const endorsing = members.get(endorser.memberId)
      const endorserIsAdmin =
        (endorsing && rolesAt(endorsing, r.endorsedAt ?? r.addedAt).includes('admin')) ?? false
      if (endorser.memberId !== r.memberId && !endorserIsAdmin) continue
      if (!rememberedVerify(r.endorsedBy, endorseMessage(workspaceId, r.memberId, r.id), r.endorsement))
        continue
      trusted.set(
        r.id,
        `Confirmed by ${nameOf(endorser.memberId)}'s device ${endorser.device || endorser.id.slice(0, 8)}.`,
      )
      changed = true
    }
  }
  for (const r of valid) {
    const base = { key: r.id, memberId: r.memberId, device: r.device, addedAt: r.addedAt }
    const trustedWhy = trusted.get(r.id)
    if (trustedWhy) {
      out.set(r.id, {
        ...base,
        trusted: true,
        why: trustedWhy,
        ...(r.endorsedBy ? { endorsedBy: r.endorsedBy } : {}),
      })
      continue
    }
    let why: string
    const rivals = selfEnrolled.get(r.memberId) ?? []
    if (r.endorsedBy)
      why =
        'Its confirmation does not verify, or comes from a key that is not trusted, or from someone who is neither this member nor an admin.'
    else if (r.pending)
      why = `Waiting to be confirmed from another of ${nameOf(r.memberId)}'s devices or by an admin.`
    else
      why = `${rivals.length} keys claim to be ${nameOf(r.memberId)}'s first device, so none counts until ${nameOf(r.memberId)}'s confirmed device or an admin confirms one.`
    out.set(r.id, { ...base, trusted: false, why })
  }
  return out
}
