import * as decoding from 'lib0/decoding'

/**
 * A Yjs (v1) update read into plain records, in one pass over its bytes, with the rules of its
 * grammar that Yjs itself does not enforce: no client twice, no empty struct, clocks that stay
 * exact, delete ranges that are non-empty, ordered and disjoint, nothing after the delete set.
 * Throws `Unsafe` on anything else. Reads exactly what Y.applyUpdate reads (the same lib0
 * readers, the same JSON rules), so what parses here also decodes there.
 */

/** Above this a clock (or clock + length) could stop being exact after a few additions. */
export const MAX_CLOCK = 2 ** 52

export class Unsafe extends Error {}

export interface Id {
  client: number
  clock: number
}

export type Content =
  | { ref: 1; len: number } // deleted
  | { ref: 2 | 8; values: unknown[] } // JSON, Any
  | { ref: 3; bytes: Uint8Array } // binary
  | { ref: 4; str: string } // string
  | { ref: 5; value: unknown } // embed
  | { ref: 6; key: string; value: unknown } // format
  | { ref: 7; type: number; name: string | null } // a nested shared type

export interface Struct {
  kind: 'item' | 'gc' | 'skip'
  clock: number
  length: number
  origin: Id | null
  rightOrigin: Id | null
  /** Only when the item has neither origin: a root type's name or the id of its parent item. */
  parent: string | Id | null
  parentSub: string | null
  content: Content | null
}

export interface Block {
  client: number
  clock: number
  structs: Struct[]
}

export interface ParsedUpdate {
  blocks: Block[]
  /** client → [clock, len, clock, len, …], ordered and disjoint. */
  deletes: Map<number, number[]>
}

const TYPE_REFS = 7 // YArray, YMap, YText, YXmlElement, YXmlFragment, YXmlHook, YXmlText

export function parseUpdate(update: Uint8Array): ParsedUpdate {
  const d = decoding.createDecoder(update)
  const blocks: Block[] = []
  const seen = new Set<number>()
  const blockCount = decoding.readVarUint(d)
  for (let b = 0; b < blockCount; b++) {
    const count = decoding.readVarUint(d)
    const client = decoding.readVarUint(d)
    let clock = decoding.readVarUint(d)
    if (seen.has(client)) throw new Unsafe(`client ${client} appears twice`)
    if (count === 0) throw new Unsafe(`no structs for client ${client}`)
    // Each struct is at least two bytes, so a count larger than what is left is a lie.
    if (count > update.length - d.pos) throw new Unsafe('struct count beyond the update')
    seen.add(client)
    const block: Block = { client, clock, structs: [] }
    for (let i = 0; i < count; i++) {
      const s = readStruct(d, clock)
      if (s.length < 1) throw new Unsafe(`empty struct at ${client}:${clock}`)
      clock += s.length
      if (clock > MAX_CLOCK) throw new Unsafe(`clock of client ${client} out of range`)
      block.structs.push(s)
    }
    blocks.push(block)
  }
  const deletes = new Map<number, number[]>()
  const dsCount = decoding.readVarUint(d)
  for (let c = 0; c < dsCount; c++) {
    const client = decoding.readVarUint(d)
    const n = decoding.readVarUint(d)
    if (deletes.has(client)) throw new Unsafe(`client ${client} appears twice in the delete set`)
    if (n === 0 || n > update.length - d.pos) throw new Unsafe('bad delete range count')
    const ranges: number[] = []
    let end = 0
    for (let i = 0; i < n; i++) {
      const clock = decoding.readVarUint(d)
      const len = decoding.readVarUint(d)
      if (len < 1) throw new Unsafe(`empty delete range for client ${client}`)
      if (clock < end) throw new Unsafe(`delete ranges of client ${client} overlap or are out of order`)
      end = clock + len
      if (end > MAX_CLOCK) throw new Unsafe(`delete range of client ${client} out of range`)
      ranges.push(clock, len)
    }
    deletes.set(client, ranges)
  }
  if (decoding.hasContent(d)) throw new Unsafe('trailing bytes after the delete set')
  return { blocks, deletes }
}

function readId(d: decoding.Decoder): Id {
  const client = decoding.readVarUint(d)
  const clock = decoding.readVarUint(d)
  if (clock >= MAX_CLOCK) throw new Unsafe('referenced clock out of range')
  return { client, clock }
}

function readStruct(d: decoding.Decoder, clock: number): Struct {
  const info = decoding.readUint8(d)
  const base = { clock, origin: null, rightOrigin: null, parent: null, parentSub: null, content: null }
  if (info === 10) return { ...base, kind: 'skip', length: decoding.readVarUint(d) }
  const ref = info & 0b11111
  if (ref === 0) return { ...base, kind: 'gc', length: decoding.readVarUint(d) }
  const origin = info & 0b10000000 ? readId(d) : null
  const rightOrigin = info & 0b01000000 ? readId(d) : null
  let parent: string | Id | null = null
  let parentSub: string | null = null
  if (origin === null && rightOrigin === null) {
    parent = decoding.readVarUint(d) === 1 ? decoding.readVarString(d) : readId(d)
    if (info & 0b00100000) parentSub = decoding.readVarString(d)
  }
  const content = readContent(d, ref)
  return {
    kind: 'item',
    clock,
    length: contentLength(content),
    origin,
    rightOrigin,
    parent,
    parentSub,
    content,
  }
}

function readJson(s: string): unknown {
  return s === 'undefined' ? undefined : JSON.parse(s)
}

function readContent(d: decoding.Decoder, ref: number): Content {
  switch (ref) {
    case 1:
      return { ref, len: decoding.readVarUint(d) }
    case 2:
    case 8: {
      const n = decoding.readVarUint(d)
      if (n > d.arr.length - d.pos) throw new Unsafe('content count beyond the update')
      const values: unknown[] = []
      for (let i = 0; i < n; i++)
        values.push(ref === 2 ? readJson(decoding.readVarString(d)) : decoding.readAny(d))
      return { ref, values }
    }
    case 3:
      return { ref, bytes: decoding.readVarUint8Array(d) }
    case 4:
      return { ref, str: decoding.readVarString(d) }
    case 5:
      return { ref, value: JSON.parse(decoding.readVarString(d)) }
    case 6:
      return { ref, key: decoding.readVarString(d), value: JSON.parse(decoding.readVarString(d)) }
    case 7: {
      const type = decoding.readVarUint(d)
      if (type >= TYPE_REFS) throw new Unsafe(`unknown type ${type}`)
      // YXmlElement and YXmlHook carry a name.
      return { ref, type, name: type === 3 || type === 5 ? decoding.readVarString(d) : null }
    }
    case 9:
      throw new Unsafe('subdocuments are not accepted')
    default:
      throw new Unsafe(`unknown content ${ref}`)
  }
}

function contentLength(c: Content): number {
  switch (c.ref) {
    case 1:
      return c.len
    case 2:
    case 8:
      return c.values.length
    case 4:
      return c.str.length
    default:
      return 1
  }
}
