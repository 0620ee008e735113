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
  if (s.origin && s.rightOrigin && held(store, s.origin) && held(store, s.rightOrigin))
    checkBetween(store, s.origin, s.rightOrigin, client, s.clock)
}

/** Items between an origin and its right origin Yjs walks past to place an item; beyond this, refused. */
const MAX_WALK = 100_000

function held(store: Y.Doc['store'], id: Id): boolean {
  return id.clock < Y.getState(store, id.client)
}

function itemAt(store: Y.Doc['store'], id: Id): Y.Item | Y.GC {
  const structs = store.clients.get(id.client)!
  return structs[Y.findIndexSS(structs, id.clock)] as Y.Item | Y.GC
}

/**
 * An item is inserted between its origin (left) and right origin, which were neighbours when it
 * was made: so both lie in one list, the origin first. Yjs takes that on trust; an item that
 * names a right origin left of its origin, or in another list, is placed differently depending
 * on what else a member holds, and members would see different text. Costs the walk from origin
 * to right origin that integrating the item costs Yjs anyway.
 */
function checkBetween(store: Y.Doc['store'], origin: Id, right: Id, client: number, clock: number): void {
  const l = itemAt(store, origin)
  const r = itemAt(store, right)
  // A collected neighbour makes Yjs collect the item too: it is placed nowhere.
  if (!(l instanceof Y.Item) || !(r instanceof Y.Item)) return
  const bad = () =>
    new Refused('unsafe', `struct ${client}:${clock} names neighbours that are not neighbours`)
  if (l.parent !== r.parent || l.parentSub !== r.parentSub) throw bad()
  if (l === r) {
    if (right.clock <= origin.clock || origin.client !== right.client) throw bad()
    return
  }
  let o = l.right
  for (let n = 0; o !== null && o !== r; n++) {
    if (n > MAX_WALK) throw bad()
    o = o.right
  }
  if (o !== r) throw bad()
}

/**
 * After an update is applied: each item it added whose neighbours came in the same update (so
 * the check before could not see them) lies between them, in their list. False means the
 * document must be rebuilt and the update refused.
 */
export function integratedSafely(doc: Y.Doc, u: ParsedUpdate, before: Map<number, number>): boolean {
  const store = doc.store
  for (const b of u.blocks) {
    const state = before.get(b.client) ?? 0
    for (const s of b.structs) {
      if (s.kind !== 'item' || s.clock + s.length <= state) continue
      const x = itemAt(store, { client: b.client, clock: Math.max(s.clock, state) })
      if (!(x instanceof Y.Item) || !s.origin || !s.rightOrigin) continue
      const wasHeld = (id: Id) => id.clock < (before.get(id.client) ?? 0)
      if (wasHeld(s.origin) && wasHeld(s.rightOrigin)) continue // checked before applying
      const l = itemAt(store, s.origin)
      const r = itemAt(store, s.rightOrigin)
      if (!(l instanceof Y.Item) || !(r instanceof Y.Item)) continue
      if (
        x.parent !== l.parent ||
        x.parent !== r.parent ||
        x.parentSub !== l.parentSub ||
        x.parentSub !== r.parentSub
      )
        return false
      if (!reaches(x, r, 'right') || !reaches(x, l, 'left')) return false
    }
  }
  return true
}

function reaches(from: Y.Item, to: Y.Item, dir: 'left' | 'right'): boolean {
  let o = from[dir]
  for (let n = 0; o !== null && o !== to; n++) {
    if (n > MAX_WALK) return false
    o = o[dir]
  }
  return o === to
}

/** The document's state vector entries for the clients an update touches, before applying it. */
export function statesBefore(doc: Y.Doc, u: ParsedUpdate): Map<number, number> {
  const states = new Map<number, number>()
  const note = (c: number) => {
    if (!states.has(c)) states.set(c, Y.getState(doc.store, c))
  }
  for (const b of u.blocks) {
    note(b.client)
    for (const s of b.structs) {
      if (s.origin) note(s.origin.client)
      if (s.rightOrigin) note(s.rightOrigin.client)
    }
  }
  return states
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
