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

const digests = new WeakMap<object, string>()
function digestOf(raw: object): string {
  let d = digests.get(raw)
  if (d === undefined) {
    d = eventDigest(raw)
    digests.set(raw, d)
  }
  return d
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
  const seen = new Map<string, { index: number; digest: string }[]>()
  const nameOf = Object.assign((id: string) => members.get(id)?.name ?? id, {
    has: (id: string) => members.has(id),
  })
  trail.forEach((raw, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return
    const e = raw as Record<string, unknown>
    const id = typeof e.id === 'string' ? e.id : ''
    const actor = typeof e.actor === 'string' ? e.actor : ''
    const problem = eventProblem(e, index, actor, input, seen, nameOf, problems)
    if (problem) problems.set(index, problem)
    if (id) {
      const list = seen.get(id) ?? []
      list.push({ index, digest: digestOf(raw) })
      seen.set(id, list)
    }
  })
  return problems
}

function eventProblem(
  e: Record<string, unknown>,
  index: number,
  actor: string,
  input: IntegrityInput,
  seen: Map<string, { index: number; digest: string }[]>,
  nameOf: ((id: string) => string) & { has: (id: string) => boolean },
  problems: Map<number, string>,
): string | null {
  // A non-member's event never counts; the rules say so in plainer words.
  if (!nameOf.has(actor)) return null
  if (typeof e.sig !== 'string') return 'It is not signed, so nothing shows who wrote it.'
  const sig = parseSig(e.sig)
  if (!sig) return 'Its signature is malformed.'
  const trust = input.keys.get(sig.key)
  if (!trust) return `It is signed with key ${keyLabel(sig.key)}, which no member registered.`
  if (trust.memberId !== actor)
    return `It claims to be by ${nameOf(actor)} but is signed with ${nameOf(trust.memberId)}'s key ${keyLabel(sig.key)}.`
  if (!trust.trusted)
    return `It is signed with ${nameOf(actor)}'s key ${keyLabel(sig.key)}, which is not trusted: ${trust.why}`
  if (!eventSignatureValid(input.scope, e))
    return 'Its signature does not match its content: it was changed after it was signed, or copied from another output.'
  // The chain: the first event starts it; every later one names an earlier, unchanged event.
  if (typeof e.prev !== 'string') {
    if (index === 0) return null
    return 'It is not chained to the event before it, so it may have been inserted or moved.'
  }
  const link = parseLink(e.prev)
  if (!link) return 'Its link to the previous event is malformed.'
  const earlier = seen.get(link.id)
  if (!earlier)
    return `It follows event ${link.id}, which is missing before it: an event was removed or moved.`
  if (earlier.some((x) => x.digest === link.digest)) return null
  for (const x of earlier) {
    if (!problems.has(x.index))
      problems.set(x.index, `It was changed after a later event (${String(e.id)}) was chained to it.`)
  }
  return `The event it follows (${link.id}) was changed after this one was signed.`
}
