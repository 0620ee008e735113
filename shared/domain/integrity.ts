/**
 * Which trail events can be trusted: each must be signed by a trusted device key of its actor,
 * for this output, and chained to an earlier event that is still there unchanged. Derivation
 * counts only the events this passes, and the timeline says for each of the others which check
 * failed.
 *
 * Two members writing offline both chain to the last event they saw, so after the merge an event
 * may follow one that is not directly before it: the chain asks only that the event it names is
 * earlier in the trail and identical.
 */

import type { KeyTrust } from './keys.ts'
import {
  type EventScope,
  eventDigest,
  eventSignatureValid,
  keyLabel,
  parseLink,
  parseSig,
} from './signing.ts'
import type { Member } from './types.ts'

export interface IntegrityInput {
  scope: EventScope
  /** Every registered key and whether it is trusted (from `trustKeys`). */
  keys: ReadonlyMap<string, KeyTrust>
  /** Why this device cannot sign for a member (no key here, key not trusted), or null. */
  signable?: (memberId: string) => string | null
}

/** What one raw event says about itself, worked out once per object (Yjs keeps them stable). */
interface Facts {
  /** Scope the signature was checked for. */
  scope: string
  digest: string
  /** The signing key, or null when unsigned, or '' when the signature is malformed. */
  key: string | null
  /** The signature verifies for `scope` (false when unsigned or malformed). */
  valid: boolean
  /** The link: null when absent, '' when malformed. */
  prevId: string | null
  prevDigest: string
  /** The raw link, "<id>:<digest>" (what verified followers vouch for). */
  prev: string
}
const factsCache = new WeakMap<object, Facts>()

function factsOf(raw: Record<string, unknown>, scope: EventScope, scopeId: string): Facts {
  const hit = factsCache.get(raw)
  if (hit && hit.scope === scopeId) return hit
  const sig = typeof raw.sig === 'string' ? parseSig(raw.sig) : null
  const link = typeof raw.prev === 'string' ? parseLink(raw.prev) : null
  const facts: Facts = {
    scope: scopeId,
    digest: hit?.digest ?? eventDigest(raw),
    key: typeof raw.sig === 'string' ? (sig?.key ?? '') : null,
    valid: sig !== null && eventSignatureValid(scope, raw),
    prevId: typeof raw.prev === 'string' ? (link?.id ?? '') : null,
    prevDigest: link?.digest ?? '',
    prev: typeof raw.prev === 'string' ? raw.prev : '',
  }
  factsCache.set(raw, facts)
  return facts
}

/**
 * For each event index that fails, why (a sentence naming the event it concerns). Malformed
 * events are left to the parser; this looks only at signature, key and chain.
 */
export function checkIntegrity(
  trail: readonly unknown[],
  input: IntegrityInput,
  members: ReadonlyMap<string, Member>,
): Map<number, string> {
  const problems = new Map<number, string>()
  // Earlier events by id: the first one, and any later ones with the same id.
  const first = new Map<string, { index: number; digest: string }>()
  const more = new Map<string, { index: number; digest: string }[]>()
  const nameOf = (id: string) => members.get(id)?.name ?? id
  const scopeId = `${input.scope.workspaceId}\n${input.scope.outputId}`
  /** Events that failed and name a predecessor. */
  const broken: { index: number; prevId: string }[] = []
  for (let index = 0; index < trail.length; index++) {
    const raw = trail[index]
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue
    const e = raw as Record<string, unknown>
    const id = typeof e.id === 'string' ? e.id : ''
    const actor = typeof e.actor === 'string' ? e.actor : ''
    const f = factsOf(e, input.scope, scopeId)
    const problem = members.has(actor)
      ? eventProblem(e, f, index, actor, input, first, more, nameOf, problems)
      : null
    if (problem) problems.set(index, problem)
    if (id) {
      if (!first.has(id)) first.set(id, { index, digest: f.digest })
      else {
        const list = more.get(id) ?? []
        list.push({ index, digest: f.digest })
        more.set(id, list)
      }
    }
    if (problem && f.prevId) broken.push({ index, prevId: f.prevId })
  }
  // An event followed only by events that do not verify has nobody to vouch for it: someone may
  // have rewritten it and then broken the event that named the original. It does not count.
  if (broken.length === 0) return problems
  const vouched = new Set<string>()
  for (let index = 0; index < trail.length; index++) {
    const raw = trail[index]
    if (problems.has(index) || typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue
    const e = raw as Record<string, unknown>
    const f = factsOf(e, input.scope, scopeId)
    if (f.prevId && f.valid && typeof e.actor === 'string' && members.has(e.actor)) vouched.add(f.prev)
  }
  for (const b of broken) {
    for (const x of [first.get(b.prevId), ...(more.get(b.prevId) ?? [])]) {
      if (!x || x.index >= b.index || problems.has(x.index) || vouched.has(`${b.prevId}:${x.digest}`))
        continue
      const raw = trail[b.index] as { id?: unknown }
      problems.set(
        x.index,
        `The event that follows it (${String(raw.id)}) does not verify, so nothing confirms this one is unchanged.`,
      )
    }
  }
  return problems
}

/** Why one event fails, or null. A non-member's event is left to the rules, which refuse it. */
function eventProblem(
  e: Record<string, unknown>,
  f: Facts,
  index: number,
  actor: string,
  input: IntegrityInput,
  first: Map<string, { index: number; digest: string }>,
  more: Map<string, { index: number; digest: string }[]>,
  nameOf: (id: string) => string,
  problems: Map<number, string>,
): string | null {
  if (f.key === null) return 'It is not signed, so nothing shows who wrote it.'
  if (f.key === '') return 'Its signature is malformed.'
  const trust = input.keys.get(f.key)
  if (!trust) return `It is signed with key ${keyLabel(f.key)}, which no member registered.`
  if (trust.memberId !== actor)
    return `It claims to be by ${nameOf(actor)} but is signed with ${nameOf(trust.memberId)}'s key ${keyLabel(f.key)}.`
  if (!trust.trusted)
    return `It is signed with ${nameOf(actor)}'s key ${keyLabel(f.key)}, which is not trusted: ${trust.why}`
  if (!f.valid)
    return 'Its signature does not match its content: it was changed after it was signed, or copied from another output.'
  // The chain: the first event starts it; every later one names an earlier, unchanged event.
  if (f.prevId === null) {
    if (index === 0) return null
    return 'It is not chained to the event before it, so it may have been inserted or moved.'
  }
  if (f.prevId === '') return 'Its link to the previous event is malformed.'
  const earliest = first.get(f.prevId)
  if (!earliest)
    return `It follows event ${f.prevId}, which is missing before it: an event was removed or moved.`
  if (earliest.digest === f.prevDigest) return null
  const others = more.get(f.prevId) ?? []
  if (others.some((x) => x.digest === f.prevDigest)) return null
  for (const x of [earliest, ...others]) {
    if (!problems.has(x.index))
      problems.set(x.index, `It was changed after a later event (${String(e.id)}) was chained to it.`)
  }
  return `The event it follows (${f.prevId}) was changed after this one was signed.`
}
