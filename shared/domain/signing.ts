/**
 * Device signatures and the hash chain of trail events.
 *
 * Each member's device holds an Ed25519 key pair. Every event the app writes is signed with the
 * author's device key over the event (without its `sig`) and its scope (workspace and output), so
 * an event copied into another output does not verify there. Each signed event also names the
 * event it follows (`prev`: that event's id and the sha256 of its canonical form), so an event
 * edited, reordered or removed after others were chained to it is caught.
 *
 * Verifying costs about a millisecond per signature in pure JS. Results are remembered per raw
 * event object (Yjs hands out the same objects until they change), and an app can fill that memory
 * ahead with the platform's native Ed25519 (`verifyAhead`), so derivation stays synchronous and
 * never depends on how fast the check ran.
 */

import { ed25519 } from '@noble/curves/ed25519.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'

const encoder = new TextEncoder()

/** A device key pair; hex strings so it stores as JSON. */
export interface DeviceKey {
  publicKey: string
  secretKey: string
}

/** Signs for one member with the device's key. */
export interface EventSigner {
  memberId: string
  key: DeviceKey
}

export function newDeviceKey(): DeviceKey {
  const secret = ed25519.utils.randomSecretKey()
  return { publicKey: bytesToHex(ed25519.getPublicKey(secret)), secretKey: bytesToHex(secret) }
}

/** True when a stored key pair is well-formed and its halves belong together. */
export function isDeviceKey(v: unknown): v is DeviceKey {
  if (typeof v !== 'object' || v === null) return false
  const k = v as Record<string, unknown>
  if (!isKeyHex(k.publicKey) || !isKeyHex(k.secretKey)) return false
  try {
    return bytesToHex(ed25519.getPublicKey(hexToBytes(k.secretKey))) === k.publicKey
  } catch {
    return false
  }
}

export const isKeyHex = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)
const isSigHex = (v: string) => /^[0-9a-f]{128}$/.test(v)

/** A key for people: the first 8 hex digits, in two groups. */
export const keyLabel = (key: string): string => `${key.slice(0, 4)} ${key.slice(4, 8)}`

/**
 * JSON with object keys sorted at every level and no whitespace: the same value gives the same
 * bytes on every peer, whatever order its fields were written or decoded in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null'
    return JSON.stringify(value) ?? 'null'
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

/** Where an event belongs; part of what is signed. */
export interface EventScope {
  workspaceId: string
  outputId: string
}

/** The exact bytes an event's signature covers: a domain tag, the scope and the event minus `sig`. */
export function eventMessage(scope: EventScope, event: Record<string, unknown>): Uint8Array {
  const { sig: _sig, ...rest } = event
  return encoder.encode(
    `signoff/trail-event/v1\n${scope.workspaceId}\n${scope.outputId}\n${canonicalJson(rest)}`,
  )
}

/** The sha256 of an event's canonical form, signature included: what the next event chains to. */
export function eventDigest(event: unknown): string {
  return bytesToHex(sha256(encoder.encode(canonicalJson(event))))
}

/** `prev` names the event followed: "<event id>:<digest>". */
export function chainLink(event: { id: string }): string {
  return `${event.id}:${eventDigest(event)}`
}

export function parseLink(prev: string): { id: string; digest: string } | null {
  const at = prev.lastIndexOf(':')
  if (at <= 0) return null
  const digest = prev.slice(at + 1)
  return /^[0-9a-f]{64}$/.test(digest) ? { id: prev.slice(0, at), digest } : null
}

/** `sig` is "<public key hex>.<signature hex>". */
export function parseSig(sig: string): { key: string; signature: string } | null {
  const [key, signature, extra] = sig.split('.')
  if (extra !== undefined || !key || !signature || !isKeyHex(key) || !isSigHex(signature)) return null
  return { key, signature }
}

/**
 * Where Ed25519 comes from. The default is pure JS (noble), which runs anywhere; a Node process
 * (the host, the tests, the benches) installs its native one, about twenty times faster. Both
 * sign deterministically (RFC 8032) and verify strictly, so either checks the other's signatures.
 */
export interface Ed25519Backend {
  name: string
  sign(message: Uint8Array, key: DeviceKey): string
  verify(publicKey: string, message: Uint8Array, signature: string): boolean
}

export const nobleEd25519: Ed25519Backend = {
  name: 'noble (pure JS)',
  sign: (message, key) => bytesToHex(ed25519.sign(message, hexToBytes(key.secretKey))),
  verify: (publicKey, message, signature) =>
    ed25519.verify(hexToBytes(signature), message, hexToBytes(publicKey), { zip215: false }),
}

let backend: Ed25519Backend = nobleEd25519
export function setEd25519Backend(next: Ed25519Backend): void {
  backend = next
}

/** Sign an event (which must already carry its `prev`) for a scope. */
export function signEvent<E extends { sig?: string }>(scope: EventScope, event: E, key: DeviceKey): E {
  const message = eventMessage(scope, event as unknown as Record<string, unknown>)
  return { ...event, sig: `${key.publicKey}.${backend.sign(message, key)}` }
}

/** Sign arbitrary bytes (key records) with a device key. */
export function signBytes(message: Uint8Array, key: DeviceKey): string {
  return backend.sign(message, key)
}

/** Strict RFC 8032 verification; never throws. */
export function verifyBytes(publicKey: string, message: Uint8Array, signature: string): boolean {
  try {
    return backend.verify(publicKey, message, signature)
  } catch {
    return false
  }
}

/** Verified results per raw event object, for one scope (an event may sit in a copied trail). */
interface Remembered {
  scope: string
  ok: boolean
}
const remembered = new WeakMap<object, Remembered>()
const scopeKey = (s: EventScope) => `${s.workspaceId}\n${s.outputId}`

/**
 * Results by exact content too (signature and signed bytes), for the same event decoded again
 * (another copy of the document, a reload): bounded, oldest dropped first.
 */
const byContent = new Map<string, boolean>()
const BY_CONTENT_MAX = 50_000
function contentKey(sig: string, message: Uint8Array): string {
  return `${sig}\n${bytesToHex(sha256(message))}`
}
function rememberContent(id: string, ok: boolean): void {
  if (byContent.size >= BY_CONTENT_MAX) byContent.delete(byContent.keys().next().value!)
  byContent.set(id, ok)
}

/** `verifyBytes`, remembered by the exact key, signature and message. */
export function verifyRemembered(publicKey: string, message: Uint8Array, signature: string): boolean {
  const id = contentKey(`${publicKey}.${signature}`, message)
  let ok = byContent.get(id)
  if (ok === undefined) {
    ok = verifyBytes(publicKey, message, signature)
    rememberContent(id, ok)
  }
  return ok
}

/**
 * Does this signed event verify under its own `sig` key for this scope? Remembered per object, so
 * deriving the same trail again costs a lookup. The caller checks that the key is the actor's.
 */
export function eventSignatureValid(scope: EventScope, raw: Record<string, unknown>): boolean {
  const key = scopeKey(scope)
  const hit = remembered.get(raw)
  if (hit && hit.scope === key) return hit.ok
  const sig = typeof raw.sig === 'string' ? parseSig(raw.sig) : null
  const ok = sig !== null && verifyRemembered(sig.key, eventMessage(scope, raw), sig.signature)
  remembered.set(raw, { scope: key, ok })
  return ok
}

/** Forget every remembered verification (benchmarks measure the cold path with this). */
export function forgetVerifications(): void {
  byContent.clear()
}

/** The subset of WebCrypto's SubtleCrypto used to verify ahead (Node 22 and Chromium have it). */
export interface SubtleEd25519 {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'Ed25519' },
    extractable: boolean,
    usages: ['verify'],
  ): Promise<unknown>
  verify(
    algorithm: { name: 'Ed25519' },
    key: never,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>
}

/**
 * Verify the signed events of a trail with the platform's native Ed25519, in parallel, and
 * remember the results, so that the synchronous derivation that follows only looks them up. A
 * platform without Ed25519 leaves the work to the synchronous path; nothing depends on this.
 */
export async function verifyAhead(
  scope: EventScope,
  trail: readonly unknown[],
  subtle: SubtleEd25519 | undefined,
): Promise<number> {
  if (!subtle) return 0
  const key = scopeKey(scope)
  const keys = new Map<string, Promise<unknown>>()
  const jobs: Promise<void>[] = []
  for (const raw of trail) {
    if (typeof raw !== 'object' || raw === null) continue
    const e = raw as Record<string, unknown>
    if (typeof e.sig !== 'string' || remembered.get(e)?.scope === key) continue
    const sig = parseSig(e.sig)
    if (!sig) continue
    let imported = keys.get(sig.key)
    if (!imported) {
      imported = subtle.importKey('raw', hexToBytes(sig.key), { name: 'Ed25519' }, false, ['verify'])
      keys.set(sig.key, imported)
    }
    const message = eventMessage(scope, e)
    const id = contentKey(e.sig, message)
    const known = byContent.get(id)
    if (known !== undefined) {
      remembered.set(e, { scope: key, ok: known })
      continue
    }
    jobs.push(
      imported
        .then((k) => subtle.verify({ name: 'Ed25519' }, k as never, hexToBytes(sig.signature), message))
        .then(
          (ok) => {
            remembered.set(e, { scope: key, ok })
            rememberContent(id, ok)
          },
          () => undefined, // Left to the synchronous path.
        ),
    )
  }
  await Promise.all(jobs)
  return jobs.length
}
