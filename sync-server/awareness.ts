import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { Conn } from './connection.ts'

/** Nesting a presence state needs (a cursor, a user, a colour); deeper is refused. */
export const MAX_AWARENESS_DEPTH = 32

export class AwarenessRefused extends Error {}

interface Entry {
  id: number
  clock: number
  /** The state's JSON as sent ("null" removes it). */
  json: string
}

/**
 * Apply an awareness message from `conn` to the room's awareness, or refuse all of it. Every
 * entry is read and checked (size, JSON nesting, syntax) before any is applied, so nothing that
 * could not be re-encoded (JSON.stringify of a very deep state overflows the stack) ever sits in
 * the awareness. Entries for client ids another connection controls are dropped (a stock client
 * echoes the others' states back), removals of ids never seen are dropped (they would grow the
 * awareness' bookkeeping), and a connection may control at most `maxStates` ids.
 */
export function applyAwareness(
  awareness: awarenessProtocol.Awareness,
  owners: Map<number, Conn>,
  conn: Conn,
  payload: Uint8Array,
  limits: { maxStates: number; maxStateBytes: number },
): void {
  const d = decoding.createDecoder(payload)
  const n = decoding.readVarUint(d)
  if (n > payload.length) throw new AwarenessRefused('awareness: entry count beyond the message')
  const keep: Entry[] = []
  let adding = 0
  for (let i = 0; i < n; i++) {
    const id = decoding.readVarUint(d)
    const clock = decoding.readVarUint(d)
    const json = decoding.readVarString(d)
    const owner = owners.get(id)
    if (owner !== undefined && owner !== conn) continue
    if (json.length > limits.maxStateBytes)
      throw new AwarenessRefused(`awareness: state larger than ${limits.maxStateBytes} bytes`)
    if (depthOf(json) > MAX_AWARENESS_DEPTH)
      throw new AwarenessRefused(`awareness: state nested deeper than ${MAX_AWARENESS_DEPTH}`)
    try {
      JSON.parse(json)
    } catch {
      throw new AwarenessRefused('awareness: state is not JSON')
    }
    if (json === 'null') {
      if (!awareness.meta.has(id)) continue
    } else if (owner === undefined) {
      adding++
    }
    keep.push({ id, clock, json })
  }
  if (decoding.hasContent(d)) throw new AwarenessRefused('awareness: trailing bytes')
  if ((conn.awarenessIds?.size ?? 0) + adding > limits.maxStates)
    throw new AwarenessRefused(`awareness: more than ${limits.maxStates} states for one connection`)
  if (keep.length === 0) return
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, keep.length)
  for (const k of keep) {
    encoding.writeVarUint(e, k.id)
    encoding.writeVarUint(e, k.clock)
    encoding.writeVarString(e, k.json)
  }
  awarenessProtocol.applyAwarenessUpdate(awareness, encoding.toUint8Array(e), conn)
}

/** Deepest nesting of objects and arrays in a JSON text, in one pass (strings skipped). */
export function depthOf(json: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      depth++
      if (depth > max) max = depth
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return max
}
