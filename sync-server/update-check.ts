import { equalityDeep } from 'lib0/function'
import * as Y from 'yjs'
import {
  type Block,
  type Content,
  type Id,
  type ParsedUpdate,
  parseUpdate,
  type Struct,
  Unsafe,
} from './update-parse.ts'

/**
 * The one place that decides whether an update may reach a document, the log and the other
 * members. An update is accepted only if it is canonical and safe:
 *
 *  - it parses completely by the rules of the grammar (update-parse.ts);
 *  - everything it builds on is already in the document or in the update itself: each client's
 *    structs continue that client's clock without a gap, every origin, right origin and parent it
 *    names exists, and every delete range lies inside what exists. Such an update integrates
 *    completely, so the document never holds "pending" structs or deletes, the state in which
 *    Yjs re-encodes what it cannot apply yet and then refuses everything that follows;
 *  - new structs of a client id come only from the member who first wrote it (or whose live
 *    connection uses it as its presence id);
 *  - a struct id the document already holds comes with the same content, position and parent.
 *    Yjs skips ids it has, so two versions of one id would show one member the first and another
 *    member, who received them in another order or joined later, the second.
 *
 * Parsing costs O(update); the check against the document O(update) lookups plus a binary search
 * per overlapping struct. Throws `Refused`.
 */

export type RefusalKind = 'unsafe' | 'unknown' | 'internal'

export class Refused extends Error {
  /**
   * 'unsafe': never acceptable (4400). 'unknown': builds on what the relay does not have (yet):
   * the sender reconnects and syncs (4509). 'internal': the relay failed, not the update (4500).
   */
  readonly kind: RefusalKind
  constructor(kind: RefusalKind, message: string) {
    super(message)
    this.kind = kind
  }
}

/** Parse without a document (before queueing): Refused('unsafe') when it does not parse. */
export function parseChecked(update: Uint8Array): ParsedUpdate {
  if (update.length < 2) throw new Refused('unsafe', 'update too short')
  try {
    return parseUpdate(update)
  } catch (err) {
    throw new Refused('unsafe', err instanceof Unsafe ? err.message : 'update does not decode')
  }
}

/** The Yjs client ids whose structs the update carries (the trace records them). */
export function clientsOf(u: ParsedUpdate): number[] {
  return u.blocks.map((b) => b.client)
}

/** True for the two-byte "nothing" update (no structs, empty delete set) clients send on sync. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0
}

/** Who sends the update, and whose each client id is (for a sender that is not the relay's repair). */
export interface Sender {
  member: string
  ownerOf(client: number): string | undefined
}

/** Check a parsed update against the document it would be applied to, just before applying it. */
export function checkUpdate(doc: Y.Doc, u: ParsedUpdate, sender?: Sender): void {
  const store = doc.store
  const blocks = new Map<number, Block>()
  const known = new Map<number, number>()
  for (const b of u.blocks) {
    const state = Y.getState(store, b.client)
    let covered = state
    for (const s of b.structs) {
      if (s.clock > covered)
        throw new Refused('unknown', `structs of client ${b.client} start at ${s.clock}, after ${covered}`)
      if (s.kind !== 'skip') covered = Math.max(covered, s.clock + s.length)
    }
    // Adding to a client id is its member's alone: another member's squatting the next clocks
    // would get the owner's own next edit refused (or change its client id under it).
    const owner = covered > state ? sender?.ownerOf(b.client) : undefined
    if (owner !== undefined && owner !== sender!.member)
      throw new Refused('unsafe', `client ${b.client} belongs to another member`)
    blocks.set(b.client, b)
    known.set(b.client, covered)
  }
  const exists = (id: Id) => id.clock < (known.get(id.client) ?? Y.getState(store, id.client))
  for (const b of u.blocks) {
    const state = Y.getState(store, b.client)
    for (const s of b.structs) {
      if (s.kind === 'item') checkReferences(store, blocks, b.client, s, exists)
      if (s.kind !== 'skip' && s.clock < state) checkSameAsHeld(store, b.client, s, u.deletes)
    }
  }
  for (const [client, ranges] of u.deletes) {
    const end = ranges[ranges.length - 2]! + ranges[ranges.length - 1]!
    if (!exists({ client, clock: end - 1 }))
      throw new Refused('unknown', `deletes content of client ${client} that does not exist`)
  }
}

function checkReferences(
  store: Y.Doc['store'],
  blocks: Map<number, Block>,
  client: number,
  s: Struct,
  exists: (id: Id) => boolean,
): void {
  const parentId = s.parent !== null && typeof s.parent === 'object' ? s.parent : null
  for (const ref of [s.origin, s.rightOrigin, parentId]) {
    if (ref === null) continue
    // A client's own clock only grows: what it refers to of its own is older than the item.
    if (ref.client === client && ref.clock >= s.clock)
      throw new Refused('unsafe', `struct ${client}:${s.clock} refers to ${ref.client}:${ref.clock}`)
    if (!exists(ref))
      throw new Refused('unknown', `struct ${client}:${s.clock} refers to missing ${ref.client}:${ref.clock}`)
  }
  if (parentId && !isTypeItem(store, blocks, parentId))
    throw new Refused('unsafe', `the parent of ${client}:${s.clock} is not a shared type`)
}

/** Whether the struct with this id holds a shared type (or is gone: Yjs handles a collected parent). */
function isTypeItem(store: Y.Doc['store'], blocks: Map<number, Block>, id: Id): boolean {
  if (id.clock < Y.getState(store, id.client)) {
    const structs = store.clients.get(id.client)!
    const held = structs[Y.findIndexSS(structs, id.clock)]!
    return !(held instanceof Y.Item) || held.content instanceof Y.ContentType
  }
  const structs = blocks.get(id.client)!.structs
  let lo = 0
  let hi = structs.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (structs[mid]!.clock <= id.clock) lo = mid
    else hi = mid - 1
  }
  const s = structs[lo]!
  return s.kind !== 'item' || s.content!.ref === 7
}

function sameId(a: Id | null, b: Y.ID | Id | null): boolean {
  if (a === null || b === null) return a === b
  return a.client === b.client && a.clock === b.clock
}

function fork(client: number, clock: number): Refused {
  return new Refused('unsafe', `struct ${client}:${clock} is already held with other content`)
}

/**
 * The parts of `s` the document already holds must be the same structs: same content, the same
 * neighbours they were inserted between, the same parent. A held struct that is deleted (or
 * collected) shows nothing to anyone, so it matches anything; an incoming struct that is deleted
 * matches a live one only if the update also deletes that range.
 */
function checkSameAsHeld(
  store: Y.Doc['store'],
  client: number,
  s: Struct,
  deletes: Map<number, number[]>,
): void {
  const structs = store.clients.get(client)!
  const end = Math.min(s.clock + s.length, Y.getState(store, client))
  for (let i = Y.findIndexSS(structs, s.clock); i < structs.length; i++) {
    const held = structs[i]!
    const heldClock = held.id.clock
    if (heldClock >= end) break
    if (!(held instanceof Y.Item) || held.deleted) continue
    const a = Math.max(s.clock, heldClock)
    const b = Math.min(end, heldClock + held.length)
    if (s.kind === 'gc' || s.content!.ref === 1) {
      if (!covers(deletes.get(client), a, b)) throw fork(client, a)
      continue
    }
    const expectedOrigin = heldClock === a ? held.origin : { client, clock: a - 1 }
    if (a === s.clock && !sameId(s.origin, expectedOrigin)) throw fork(client, a)
    if (a > s.clock && heldClock === a && !sameId({ client, clock: a - 1 }, held.origin))
      throw fork(client, a)
    if (!sameId(s.rightOrigin, held.rightOrigin)) throw fork(client, a)
    if (a === s.clock && s.origin === null && s.rightOrigin === null && !sameParent(s, held))
      throw fork(client, a)
    if (!sameContent(s.content!, a - s.clock, held.content, a - heldClock, b - a)) throw fork(client, a)
  }
}

/** Whether the ordered ranges [clock, len, …] cover [a, b). */
function covers(ranges: number[] | undefined, a: number, b: number): boolean {
  if (!ranges) return false
  let lo = 0
  let hi = ranges.length / 2 - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (ranges[mid * 2]! <= a) lo = mid
    else hi = mid - 1
  }
  const clock = ranges[lo * 2]!
  return clock <= a && clock + ranges[lo * 2 + 1]! >= b
}

function sameParent(s: Struct, held: Y.Item): boolean {
  if (s.parentSub !== held.parentSub) return false
  const parent = held.parent as Y.AbstractType<unknown> | null
  if (parent === null) return false
  if (typeof s.parent === 'string') return parent._item === null && Y.findRootTypeKey(parent) === s.parent
  return parent._item !== null && sameId(s.parent, parent._item.id)
}

const TYPE_CLASSES = [Y.XmlText, Y.XmlHook, Y.XmlElement, Y.Array, Y.Map, Y.Text, Y.XmlFragment]
const TYPE_REF = [6, 5, 3, 0, 1, 2, 4]

function typeRef(type: unknown): number {
  for (let i = 0; i < TYPE_CLASSES.length; i++)
    if ((type as object).constructor === TYPE_CLASSES[i]) return TYPE_REF[i]!
  return -1
}

function sameContent(
  c: Content,
  from: number,
  held: Y.Item['content'],
  heldFrom: number,
  n: number,
): boolean {
  switch (c.ref) {
    case 4:
      return held instanceof Y.ContentString && sameText(c.str, from, held.str, heldFrom, n)
    case 2:
    case 8: {
      const arr =
        c.ref === 2 ? held instanceof Y.ContentJSON && held.arr : held instanceof Y.ContentAny && held.arr
      if (!arr) return false
      for (let i = 0; i < n; i++) if (!equalityDeep(c.values[from + i], arr[heldFrom + i])) return false
      return true
    }
    case 3:
      return held instanceof Y.ContentBinary && Buffer.from(c.bytes).equals(held.content)
    case 5:
      return held instanceof Y.ContentEmbed && equalityDeep(c.value, held.embed)
    case 6:
      return held instanceof Y.ContentFormat && c.key === held.key && equalityDeep(c.value, held.value)
    case 7: {
      if (!(held instanceof Y.ContentType) || typeRef(held.type) !== c.type) return false
      if (held.type instanceof Y.XmlElement) return held.type.nodeName === c.name
      if (held.type instanceof Y.XmlHook) return held.type.hookName === c.name
      return true
    }
    default:
      return false
  }
}

/** Yjs replaces half of a surrogate pair it splits with U+FFFD; that is the same text. */
function sameText(a: string, from: number, b: string, heldFrom: number, n: number): boolean {
  if (a.slice(from, from + n) === b.slice(heldFrom, heldFrom + n)) return true
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(from + i)
    const y = b.charCodeAt(heldFrom + i)
    if (x === y) continue
    const surrogate = (c: number) => c >= 0xd800 && c <= 0xdfff
    if (!((x === 0xfffd && surrogate(y)) || (y === 0xfffd && surrogate(x)))) return false
  }
  return true
}
