import * as encoding from 'lib0/encoding'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE } from '../../../sync-server/close-codes.ts'
import {
  type Client,
  client,
  getJson,
  rawSocket,
  rawUpgrade,
  sleep,
  synced,
  updateFrame,
  waitFor,
} from './helpers.ts'
import { STORES, type StoreKind, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

/**
 * The five ways issue 13's fuzzer took the relay down or split what members see, each with a
 * member's token only. Every test here failed on the relay before the update check, the
 * awareness bounds and the handshake bookkeeping (they were run against it).
 */
let t: StoreRelay
let store: StoreKind = 'sqlite'
let logLines: string[]
const clients: Client[] = []
const open = (room: string, token: string) => {
  const c = client(t.relay.url, room, token)
  clients.push(c)
  return c
}
async function start(limits = {}) {
  logLines = []
  t = await startStoreRelay(store, limits, (line) => logLines.push(line))
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await t.stop()
})
afterAll(stopStoreServices)

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'))

/** An empty answer to the relay's sync step 1, as a client that has nothing to add sends. */
const ANSWER = new Uint8Array([0, 1, 2, 0, 0])

/** What `attack` resolves with when the relay accepted the frame and kept the socket open. */
const OPEN = { code: 0, reason: 'still open' }

/** Opens a raw socket with a fresh token of `access`, sends `frame`, resolves with the close. */
async function attack(
  frame: Uint8Array,
  access: 'write' | 'read' = 'write',
  room = 'W1',
  member = 'mallory',
) {
  const token = access === 'write' ? await t.writer('W1', member) : await t.reader('W1', member)
  const s = rawSocket(t.relay.url, room, token)
  await s.open
  s.ws.send(ANSWER)
  s.ws.send(frame)
  const result = await Promise.race([s.closed, sleep(300).then(() => OPEN)])
  s.ws.close()
  return result
}

async function converges(a: Client, b: Client) {
  await waitFor(() => a.doc.getText('t').toString() === b.doc.getText('t').toString(), 'clients converge')
}

/** Run the calling describe's tests on a relay with `kind` of store. */
function onStore(kind: StoreKind): void {
  beforeEach(() => {
    store = kind
  })
}

describe.each(STORES)('attacks from issue 13 (%s): hostile updates', (kind) => {
  onStore(kind)

  it('1. an 18-byte frame with hostile delete ranges is refused and bricks nothing', async () => {
    await start()
    const alice = open('W1', await t.writer('W1', 'alice'))
    const bob = open('W1', await t.writer('W1', 'bob'))
    await Promise.all([synced(alice), synced(bob)])
    alice.doc.getText('t').insert(0, 'before ')
    await converges(alice, bob)

    const brick = await attack(hex('00 02 0f 00 01 07 02 00 ff ff ff ff ff ff ff 0f 00 01'))
    // Its relatives: overlapping ranges of what exists, an empty range, one past everything the
    // client wrote.
    const ds = (client: number, ...ranges: number[]) => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, client)
      encoding.writeVarUint(e, ranges.length / 2)
      for (const n of ranges) encoding.writeVarUint(e, n)
      return updateFrame(encoding.toUint8Array(e))
    }
    const overlapping = await attack(ds(alice.doc.clientID, 0, 3, 1, 1))
    const empty = await attack(ds(alice.doc.clientID, 0, 0))
    const past = await attack(ds(alice.doc.clientID, 1000, 1))

    bob.doc.getText('t').insert(7, 'after')
    alice.doc.getText('t').insert(0, '> ')
    await converges(alice, bob)
    expect(alice.doc.getText('t').toString()).toBe('> before after')
    expect([...alice.closes, ...bob.closes]).toEqual([])
    const log = await getJson(t.relay.url, '/api/docs/W1/updates', await t.reader('W1'))
    expect(log.body.updates.map((u: { member: string }) => u.member)).not.toContain('mallory')
    // A member who joins now gets the same document, and can write to it.
    const carol = open('W1', await t.writer('W1', 'carol'))
    await synced(carol)
    await converges(alice, carol)
    carol.doc.getText('t').insert(0, '!')
    await converges(alice, carol)
    expect(carol.closes).toEqual([])

    expect(brick).toEqual({
      code: CLOSE.malformed,
      reason: 'malformed message: delete range of client 7 out of range',
    })
    expect(overlapping).toEqual({
      code: CLOSE.malformed,
      reason: `malformed message: delete ranges of client ${alice.doc.clientID} overlap or are out of order`,
    })
    expect(empty.code).toBe(CLOSE.malformed)
    expect(past.code).toBe(CLOSE.outOfSync)
    expect(past.reason).toMatch(/deletes content of client \d+ that does not exist/)
    const stats = t.relay.stats()
    expect(stats.undecodable + stats.outOfSyncUpdates).toBe(4)
    // Every refusal is in the operator's log with code, document, member and token id.
    const mallory = logLines.filter((l) => l.includes('member=mallory'))
    expect(mallory).toHaveLength(4)
    for (const line of mallory)
      expect(line).toMatch(/^refused 4[45]\d\d doc="W1" member=mallory token=[0-9a-f]{16}: /)
  })

  it('5. members cannot be shown different content through reused struct ids', async () => {
    await start()
    const watcher = open('W1', await t.reader('W1', 'walt'))
    await synced(watcher)
    // Found by a fuzzer. The second update reuses id 2:0 with other content, on top of an id no
    // one wrote; the third builds on one too. Applied one by one, as the watcher does, the text
    // is "e"; the relay's state merges its pending structs over what it holds, so a member who
    // joins later is sent the other 2:0 and sees "".
    const updates = ['0101020004010174016500', '01010200840302016300', '01010300840103016500'].map(hex)
    const closes = []
    for (const u of updates) closes.push(await attack(updateFrame(u)))
    await waitFor(() => watcher.doc.getText('t').toString() === 'e', 'watcher has the first update')
    const fresh = open('W1', await t.reader('W1', 'fay'))
    await synced(fresh)
    expect(fresh.doc.getText('t').toString()).toBe(watcher.doc.getText('t').toString())
    expect(closes.map((c) => c.code)).toEqual([OPEN.code, CLOSE.outOfSync, CLOSE.outOfSync])

    // The same id with other content, building only on what exists, is refused outright.
    const doc = new Y.Doc()
    doc.clientID = 77
    doc.getText('t').insert(0, 'approved text')
    expect((await attack(updateFrame(Y.encodeStateAsUpdate(doc)))).code).toBe(OPEN.code)
    await waitFor(() => watcher.doc.getText('t').toString().includes('approved text'), 'watcher has it')
    const other = new Y.Doc()
    other.clientID = 77
    other.getText('t').insert(0, 'something else entirely')
    const forked = await attack(updateFrame(Y.encodeStateAsUpdate(other)))
    expect(forked).toEqual({
      code: CLOSE.malformed,
      reason: 'update refused: struct 77:0 is already held with other content',
    })
    const late = open('W1', await t.reader('W1', 'lee'))
    await synced(late)
    expect(late.doc.getText('t').toString()).toBe(watcher.doc.getText('t').toString())
    expect(t.relay.stats().unsafeUpdates).toBe(1)

    // Nor name as neighbours a right origin that lies left of the origin (Yjs would place the
    // item differently for members holding other concurrent edits).
    const crossed = encoding.createEncoder()
    for (const n of [1, 1, 4242, 0]) encoding.writeVarUint(crossed, n)
    encoding.writeUint8(crossed, 0xc4) // a string with an origin and a right origin
    for (const n of [77, 12, 77, 0]) encoding.writeVarUint(crossed, n) // origin 77:12, right origin 77:0
    encoding.writeVarString(crossed, 'X')
    encoding.writeVarUint(crossed, 0)
    expect(await attack(updateFrame(encoding.toUint8Array(crossed)))).toEqual({
      code: CLOSE.malformed,
      reason: 'update refused: struct 4242:0 names neighbours that are not neighbours',
    })

    // Nor can another member add to a client id mallory wrote with (found by the fuzzer): the
    // owner's own next edit would then be refused as a fork.
    const squat = new Y.Doc()
    Y.applyUpdate(squat, Y.encodeStateAsUpdate(watcher.doc))
    squat.clientID = 77
    const before = Y.encodeStateVector(squat)
    squat.getText('t').insert(0, 'in your name: ')
    expect(await attack(updateFrame(Y.encodeStateAsUpdate(squat, before)), 'write', 'W1', 'eve')).toEqual({
      code: CLOSE.malformed,
      reason: 'update refused: client 77 belongs to another member',
    })
  })
})

describe.each(STORES)('attacks from issue 13 (%s): handshakes and awareness', (kind) => {
  onStore(kind)

  it('3. handshakes that never complete do not hold connection slots or documents', async () => {
    await start({ maxConnections: 3, unloadAfterMs: 50 })
    for (let i = 0; i < 20; i++) {
      const status = await rawUpgrade(t.relay.port, await t.writer('W1'), { 'Sec-WebSocket-Key': 'bogus' })
      expect(status).toBe(400)
    }
    expect(t.relay.stats().connections).toBe(0)
    await waitFor(() => t.relay.stats().loadedDocuments === 0, 'document unloaded')
    const alice = open('W1', await t.writer('W1'))
    await synced(alice)
    expect(alice.closes).toEqual([])
  })

  it('2. a read-only token cannot crash the relay with a deeply nested awareness state', async () => {
    await start()
    const alice = open('W1', await t.writer('W1', 'alice'))
    await synced(alice)
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint(e, 4242)
    encoding.writeVarUint(e, 1)
    encoding.writeVarString(e, `${'['.repeat(4200)}${']'.repeat(4200)}`)
    encoding.writeVarUint(e, 4243)
    encoding.writeVarUint(e, 1)
    encoding.writeVarString(e, '{bogus')
    const frame = encoding.createEncoder()
    encoding.writeVarUint(frame, 1)
    encoding.writeVarUint8Array(frame, encoding.toUint8Array(e))
    const closed = await attack(encoding.toUint8Array(frame), 'read')
    // The next connection serializes every awareness state in its handshake.
    const bob = open('W1', await t.reader('W1', 'bob'))
    await synced(bob)
    alice.doc.getText('t').insert(0, 'still here')
    await converges(alice, bob)
    expect(closed).toEqual({
      code: CLOSE.malformed,
      reason: 'malformed message: awareness: state nested deeper than 32',
    })
    expect(bob.provider.awareness.getStates().has(4242)).toBe(false)
    expect(t.relay.stats().awarenessRefused).toBe(1)
  })

  it('4. 100,000 awareness entries from a read-only token do not freeze the relay', async () => {
    await start()
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 100_000)
    for (let i = 0; i < 100_000; i++) {
      encoding.writeVarUint(e, i + 1)
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, '{}')
    }
    const frame = encoding.createEncoder()
    encoding.writeVarUint(frame, 1)
    encoding.writeVarUint8Array(frame, encoding.toUint8Array(e))
    const token = await t.reader('W1', 'mallory')
    const s = rawSocket(t.relay.url, 'W1', token)
    await s.open
    s.ws.send(encoding.toUint8Array(frame))
    await sleep(20)
    const started = Date.now()
    const health = await fetch(`${t.relay.url.replace('ws', 'http')}/health?token=${token}`, {
      signal: AbortSignal.timeout(5000),
    })
    expect(health.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await s.closed).toEqual({
      code: CLOSE.malformed,
      reason: 'malformed message: awareness: more than 16 states for one connection',
    })
  })
})
