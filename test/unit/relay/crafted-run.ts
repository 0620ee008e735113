import * as encoding from 'lib0/encoding'
import { expect } from 'vitest'
import * as Y from 'yjs'
import {
  checkUpdate,
  integratedSafely,
  parseChecked,
  Refused,
  statesBefore,
} from '../../../sync-server/update-check.ts'
import { hasPending } from '../../../sync-server/yjs-internals.ts'
import { prng, type Rng } from '../../support/prng.ts'

/**
 * The relay's update check where the network fuzzer cannot aim: two members who hold edits of
 * their own the relay has not seen yet, while an attacker's updates (bit-flipped genuine ones, and
 * items with chosen origins and right origins) reach the relay and are relayed to them. Replayed
 * exactly as the group commit does (check, apply, placement check, rebuild from the log on
 * failure); at the end the relay, both members and a member who joins must hold the same document.
 */

export const view = (d: Y.Doc) =>
  JSON.stringify({
    t: d.getText('t').toString(),
    a: d.getArray('a').toJSON(),
    m: Object.entries(d.getMap('m').toJSON()).sort(([x], [y]) => x.localeCompare(y)),
  })

export function edit(r: Rng, d: Y.Doc): void {
  const t = d.getText('t')
  const k = r.int(4)
  if (k === 0 && t.length > 0) t.delete(r.int(t.length), 1 + r.int(Math.min(3, t.length)))
  else if (k === 1) d.getMap('m').set(`k${r.int(4)}`, r.int(100))
  else if (k === 2) d.getArray('a').insert(r.int(d.getArray('a').length + 1), [r.int(10)])
  else t.insert(r.int(t.length + 1), ['a', 'bc', 'def'][r.int(3)]!)
}

/** An item of a new client with origin and right origin picked among what the relay holds. */
function crafted(r: Rng, relay: Y.Doc): Uint8Array | null {
  const sv = Array.from(Y.decodeStateVector(Y.encodeStateVector(relay)).entries())
  if (sv.length === 0) return null
  const pick = () => sv[r.int(sv.length)]!
  const e = encoding.createEncoder()
  const client = 1000 + r.int(50)
  for (const n of [1, 1, client, Y.getState(relay.store, client)]) encoding.writeVarUint(e, n)
  const hasOrigin = r.chance(0.8)
  const hasRight = r.chance(0.8)
  const any = r.chance(0.3)
  encoding.writeUint8(e, (any ? 8 : 4) | (hasOrigin ? 0x80 : 0) | (hasRight ? 0x40 : 0))
  for (const wanted of [hasOrigin, hasRight]) {
    if (!wanted) continue
    const [c, n] = pick()
    encoding.writeVarUint(e, c)
    encoding.writeVarUint(e, r.int(n))
  }
  if (!hasOrigin && !hasRight) {
    encoding.writeVarUint(e, 1)
    encoding.writeVarString(e, ['t', 'a', 'm'][r.int(3)]!)
  }
  if (any) {
    encoding.writeVarUint(e, 1)
    encoding.writeAny(e, 7)
  } else encoding.writeVarString(e, 'Z')
  encoding.writeVarUint(e, 0)
  return encoding.toUint8Array(e)
}

/**
 * One run; returns the documents of the relay, member 1, member 2 and a joining member, and the
 * updates member 1 applied, in order (replayed in that order they rebuild its copy exactly).
 */
export function run(seed: number): Y.Doc[] & { member1Updates: Uint8Array[] } {
  const r = prng(seed)
  let relay = new Y.Doc()
  const log: Uint8Array[] = []
  const owners = new Map<number, string>()
  const members = [new Y.Doc(), new Y.Doc()]
  members[0]!.clientID = 1_000_000 + seed
  members[1]!.clientID = 2_000_000 + seed
  const unsent: Uint8Array[][] = [[], []]
  const member1Updates: Uint8Array[] = []
  members[0]!.on('update', (u: Uint8Array) => member1Updates.push(u))
  members.forEach((m, i) => {
    m.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'relay') unsent[i]!.push(u)
    })
  })
  /** The group commit's path for one update; false when refused. */
  const receive = (u: Uint8Array, member: string, from: number): boolean => {
    let parsed: ReturnType<typeof parseChecked>
    try {
      parsed = parseChecked(u)
      checkUpdate(relay, parsed, { member, ownerOf: (c) => owners.get(c) })
    } catch (err) {
      if (err instanceof Refused) return false
      throw err
    }
    const before = statesBefore(relay, parsed)
    let ok = true
    try {
      Y.applyUpdate(relay, u)
    } catch {
      ok = false
    }
    if (!ok || hasPending(relay) || !integratedSafely(relay, parsed, before)) {
      relay = new Y.Doc()
      for (const x of log) Y.applyUpdate(relay, x)
      return false
    }
    log.push(u)
    for (const b of parsed.blocks) if (!owners.has(b.client)) owners.set(b.client, member)
    members.forEach((m, i) => {
      if (i !== from) Y.applyUpdate(m, u, 'relay')
    })
    return true
  }
  let mirror = new Y.Doc()
  let mirrors = 0
  for (let step = 0; step < 60; step++) {
    const k = r.int(5)
    if (k <= 1) edit(r, members[r.int(2)]!)
    else if (k === 2) {
      const i = r.int(2)
      const u = unsent[i]!.shift()
      if (u) expect(receive(u, `member${i}`, i), `seed ${seed}: an honest update is accepted`).toBe(true)
    } else if (r.chance(0.5)) {
      const u = crafted(r, relay)
      if (u) receive(u, 'mallory', -1)
    } else {
      if (r.chance(0.3)) {
        mirror = new Y.Doc()
        mirror.clientID = 3_000_000 + seed * 100 + ++mirrors
        Y.applyUpdate(mirror, Y.encodeStateAsUpdate(relay))
      }
      const before = Y.encodeStateVector(mirror)
      edit(r, mirror)
      const flipped = Y.encodeStateAsUpdate(mirror, before)
      for (let j = 0, n = 1 + r.int(3); j < n; j++) flipped[r.int(flipped.length)] = r.int(256)
      receive(flipped, 'mallory', -1)
    }
  }
  for (let i = 0; i < 2; i++) for (const u of unsent[i]!.splice(0)) receive(u, `member${i}`, i)
  const joining = new Y.Doc()
  Y.applyUpdate(joining, Y.encodeStateAsUpdate(relay))
  return Object.assign([relay, members[0]!, members[1]!, joining], { member1Updates })
}
