import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { prng, type Rng } from '../../support/prng.ts'
import { type Client, client, getJson, rawSocket, synced, waitFor } from './helpers.ts'
import { STORES, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

/**
 * A fuzzer over the y-websocket message grammar, against a real relay, with honest stock clients
 * editing beside the attacker. Each round the attacker sends messages drawn from the grammar
 * (sync step 1 and 2, updates, awareness, query) and mutated on purpose: truncated varints, huge
 * lengths, wrong types, garbage and bit-flipped updates, deep and bogus JSON, struct ids reused
 * with other content, hostile delete sets. After each round the honest clients must still be
 * connected and converge, and a member who joins then must see exactly their document.
 *
 * FUZZ_SEEDS picks the seeds: a count (`FUZZ_SEEDS=50` runs seeds 1–50) or a list
 * (`FUZZ_SEEDS=7,19`); by default seeds 1–5 (a few seconds). Keep a seed that ever fails as a
 * case in attacks.test.ts.
 */
const SEEDS = seedsFrom(process.env.FUZZ_SEEDS)
const ROUNDS = 4
const MESSAGES_PER_ROUND = 40

function seedsFrom(knob: string | undefined): number[] {
  if (!knob) return [1, 2, 3, 4, 5]
  if (/^\d+$/.test(knob)) return Array.from({ length: Number(knob) }, (_, i) => i + 1)
  return knob.split(',').map(Number)
}

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder()
  write(e)
  return encoding.toUint8Array(e)
}
const sync = (step: number, payload: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, step)
    encoding.writeVarUint8Array(e, payload)
  })
const awareness = (entries: [number, number, string][]) =>
  frame((e) => {
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(
      e,
      frame((a) => {
        encoding.writeVarUint(a, entries.length)
        for (const [id, clock, json] of entries) {
          encoding.writeVarUint(a, id)
          encoding.writeVarUint(a, clock)
          encoding.writeVarString(a, json)
        }
      }),
    )
  })

/** A delete set only: ranges for `client`, as given (so possibly out of order or overlapping). */
const deletes = (client: number, ranges: [number, number][]) =>
  frame((e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, ranges.length)
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(e, clock)
      encoding.writeVarUint(e, len)
    }
  })

interface World {
  rng: Rng
  /** A copy of an honest member's document the attacker edits, so its updates build on real content. */
  mirror: Y.Doc
  honest: Client[]
}

function edit(rng: Rng, doc: Y.Doc): void {
  const t = doc.getText('t')
  const k = rng.int(4)
  if (k === 0 && t.length > 0) t.delete(rng.int(t.length), 1 + rng.int(Math.min(3, t.length)))
  else if (k === 1) doc.getMap('m').set(`k${rng.int(5)}`, rng.int(100))
  else if (k === 2) doc.getArray('a').insert(0, [rng.int(10)])
  else t.insert(rng.int(t.length + 1), rng.pick(['a', 'bc', '😀', 'def ', '\n']))
}

/** Updates the mirror produces, as the attacker would send them (genuine, accepted if new). */
function genuine(w: World): Uint8Array {
  const before = Y.encodeStateVector(w.mirror)
  edit(w.rng, w.mirror)
  return Y.encodeStateAsUpdate(w.mirror, before)
}

function flip(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = bytes.slice()
  for (let i = 0, n = 1 + rng.int(3); i < n && out.length > 0; i++) out[rng.int(out.length)] = rng.int(256)
  return out
}

/**
 * Another doc that claims a client id someone wrote with (one the attacker can see in the state
 * vector), with other content: a fork of ids the relay holds, or the next clocks of that member.
 */
function forged(w: World): Uint8Array {
  const seen = Array.from(Y.decodeStateVector(Y.encodeStateVector(w.mirror)).keys())
  if (seen.length === 0) return genuine(w)
  const fork = new Y.Doc()
  fork.clientID = w.rng.pick(seen)
  fork.getText('t').insert(0, `forged ${w.rng.int(1000)}`)
  const u = Y.encodeStateAsUpdate(fork)
  fork.destroy()
  return u
}

/** The next clocks of a client id someone else wrote with: new structs in another member's name. */
function squatted(w: World): Uint8Array {
  const seen = Array.from(Y.decodeStateVector(Y.encodeStateVector(w.mirror)).keys())
  if (seen.length === 0) return genuine(w)
  const squat = new Y.Doc()
  Y.applyUpdate(squat, Y.encodeStateAsUpdate(w.mirror))
  squat.clientID = w.rng.pick(seen)
  const before = Y.encodeStateVector(squat)
  squat.getText('t').insert(0, 'squatted ')
  const u = Y.encodeStateAsUpdate(squat, before)
  squat.destroy()
  return u
}

const MUTATIONS: ((w: World) => Uint8Array)[] = [
  (w) => sync(2, genuine(w)),
  (w) => sync(1, genuine(w)),
  (w) => sync(0, Y.encodeStateVector(w.mirror)),
  (w) => sync(0, w.rng.bytes(1 + w.rng.int(20))),
  (w) => sync(2, flip(w.rng, genuine(w))),
  (w) => sync(2, flip(w.rng, Y.encodeStateAsUpdate(w.mirror))),
  (w) => sync(2, w.rng.bytes(2 + w.rng.int(60))),
  (w) => sync(w.rng.pick([2, 3, 9, 200]), genuine(w)),
  (w) => {
    const f = sync(2, genuine(w))
    return f.slice(0, w.rng.int(f.length))
  },
  () => new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]),
  (w) => new Uint8Array([w.rng.pick([0, 1, 2, 3, 4, 127]), ...w.rng.bytes(w.rng.int(8))]),
  () => new Uint8Array([0x80, 0x80, 0x80]),
  (w) => sync(2, forged(w)),
  (w) => sync(2, squatted(w)),
  (w) => {
    const victim = w.rng.pick(w.honest).doc.clientID
    const near = 2 ** 53 - 1 - w.rng.int(4)
    return sync(
      2,
      w.rng.pick([
        deletes(victim, [
          [0, near],
          [0, 1],
        ]),
        deletes(victim, [[near, 1]]),
        deletes(victim, [[0, 0]]),
        deletes(victim, [
          [3, 1],
          [1, 1],
        ]),
        deletes(victim, [[1_000_000, 5]]),
        deletes(w.rng.int(2 ** 32), [[0, 1]]),
      ]),
    )
  },
  (w) => awareness([[w.rng.int(2 ** 32), 1, JSON.stringify({ user: { name: 'm', color: '#f00' } })]]),
  (w) => awareness([[w.rng.int(2 ** 32), 1, `${'['.repeat(5000)}${']'.repeat(5000)}`]]),
  (w) => awareness([[w.rng.int(2 ** 32), 1, '{"unterminated": ']]),
  () => awareness(Array.from({ length: 200 }, (_, i) => [i + 1, 1, '{}'] as [number, number, string])),
  (w) => awareness([[w.rng.pick(w.honest).doc.clientID, 99, 'null']]),
  (w) => awareness([[w.rng.int(2 ** 32), 1, JSON.stringify({ big: 'x'.repeat(70_000) })]]),
  () => frame((e) => encoding.writeVarUint(e, 3)),
]

let t: StoreRelay
afterAll(stopStoreServices)

const view = (d: Y.Doc) =>
  JSON.stringify({
    t: d.getText('t').toString(),
    m: Object.entries(d.getMap('m').toJSON()).sort(([a], [b]) => a.localeCompare(b)),
    a: d.getArray('a').toJSON(),
    sv: Array.from(Y.decodeStateVector(Y.encodeStateVector(d)).entries()).sort((x, y) => x[0] - y[0]),
  })

describe.each(STORES)('fuzzing the relay over the y-protocols grammar (%s)', (store) => {
  beforeAll(async () => {
    t = await startStoreRelay(store, { messageBurst: 10_000, maxMessagesPerSecond: 10_000 })
  }, 60_000)
  afterAll(async () => {
    await t.stop()
  })

  for (const seed of SEEDS) {
    it(`seed ${seed}: honest members keep converging and a joining member sees their document`, async () => {
      const rng = prng(seed)
      const room = `W1/fuzz${seed}`
      const honest = await Promise.all(
        [0, 1, 2].map(async (i) => client(t.relay.url, room, await t.writer('W1', `member${i}`))),
      )
      await Promise.all(honest.map(synced))
      const w: World = { rng, mirror: new Y.Doc(), honest }
      let attacker = rawSocket(t.relay.url, room, await t.writer('W1', 'mallory'))
      await attacker.open
      try {
        for (let round = 0; round < ROUNDS; round++) {
          w.mirror.destroy()
          w.mirror = new Y.Doc()
          Y.applyUpdate(w.mirror, Y.encodeStateAsUpdate(honest[0]!.doc))
          for (let i = 0; i < MESSAGES_PER_ROUND; i++) {
            if (attacker.ws.readyState !== attacker.ws.OPEN) {
              attacker.ws.terminate()
              attacker = rawSocket(
                t.relay.url,
                room,
                await t.writer('W1', rng.chance(0.2) ? 'reader' : 'mallory'),
              )
              await attacker.open
              // Half of them answer the relay's sync step 1 first, as a stock client does.
              if (rng.chance(0.5)) attacker.ws.send(sync(1, new Uint8Array([0, 0])))
            }
            attacker.ws.send(rng.pick(MUTATIONS)(w))
            if (rng.chance(0.3)) edit(rng, rng.pick(honest).doc)
            if (rng.chance(0.1))
              rng.pick(honest).provider.awareness.setLocalStateField('cursor', rng.int(100))
            if (rng.chance(0.2)) await new Promise((r) => setTimeout(r, 1))
          }
          await waitFor(
            () => honest.every((c) => view(c.doc) === view(honest[0]!.doc)),
            `seed ${seed} round ${round}: honest members converge`,
          ).catch((err) => {
            if (process.env.FUZZ_STATS)
              for (const c of honest) console.log(view(c.doc), c.closes, c.provider.wsconnected)
            throw err
          })
          for (const c of honest) expect(c.closes, `seed ${seed} round ${round}`).toEqual([])
          const fresh = client(t.relay.url, room, await t.reader('W1', 'fresh'))
          await synced(fresh)
          await waitFor(
            () => view(fresh.doc) === view(honest[0]!.doc),
            `seed ${seed} round ${round}: a joining member sees the same document`,
          )
          fresh.destroy()
        }
        // The relay still answers its trace API. (Its /content guesses each root's type from the
        // items; an attacker's value inside a text can mislead that guess, so it is not compared.)
        const log = await getJson(
          t.relay.url,
          `/api/docs/${encodeURIComponent(room)}/updates`,
          await t.reader('W1'),
        )
        expect(log.status).toBe(200)
      } finally {
        attacker.ws.terminate()
        for (const c of honest) c.destroy()
        w.mirror.destroy()
      }
    })
  }
})
