import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE } from '../../../sync-server/close-codes.ts'
import { type Client, client, getJson, rawSocket, synced, waitFor } from './helpers.ts'
import { STORES, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

/**
 * One relay, one well-behaved pair of clients, and a series of hostile sockets. After each:
 * the hostile socket is closed with a reason, the good clients are still connected and syncing,
 * and the log holds only the good clients' updates.
 */
let t: StoreRelay
let good: Client
let watcher: Client
let goodWrites = 0
const MAX_FRAME = 64 * 1024

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, step)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

function realUpdate(text: string): Uint8Array {
  const d = new Y.Doc()
  d.getText('content').insert(0, text)
  return Y.encodeStateAsUpdate(d)
}

/** Deterministic pseudo-random bytes (mulberry32) so a failure can be replayed. */
function randomBytes(seed: number, n: number): Uint8Array {
  let a = seed
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0
    let r = Math.imul(a ^ (a >>> 15), 1 | a)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    out[i] = (r ^ (r >>> 14)) & 0xff
  }
  return out
}

async function hostile(send: (ws: import('ws').WebSocket) => void, given?: string | null) {
  const token = given === undefined ? await t.writer('W1', 'mallory') : given
  const s = rawSocket(t.relay.url, 'W1', token)
  await s.open.catch(() => {})
  send(s.ws)
  return s.closed
}

async function stillHealthy() {
  goodWrites++
  good.doc.getText('content').insert(0, `${goodWrites};`)
  const expected = good.doc.getText('content').toString()
  await waitFor(() => watcher.doc.getText('content').toString() === expected, 'good clients still sync')
  expect(good.closes).toEqual([])
  expect(watcher.closes).toEqual([])
  const log = await getJson(t.relay.url, '/api/docs/W1/updates', await t.reader('W1'))
  expect(log.body.updates.map((u: { member: string }) => u.member)).toEqual(Array(goodWrites).fill('alice'))
  const content = await getJson(t.relay.url, '/api/docs/W1/content', await t.reader('W1'))
  expect(content.body.text.content).toBe(expected)
}

describe.each(STORES)('hostile input (%s)', (store) => {
  beforeAll(async () => {
    goodWrites = 0
    t = await startStoreRelay(store, { maxFrameBytes: MAX_FRAME, messageBurst: 50, maxMessagesPerSecond: 20 })
    good = client(t.relay.url, 'W1', await t.writer('W1', 'alice'))
    watcher = client(t.relay.url, 'W1', await t.reader('W1', 'walt'))
    await Promise.all([synced(good), synced(watcher)])
  }, 60_000)
  afterAll(async () => {
    good.destroy()
    watcher.destroy()
    await t.stop()
  })

  it('text frames', async () => {
    expect(await hostile((ws) => ws.send('{"hello":"world"}'))).toEqual({
      code: CLOSE.malformed,
      reason: 'text frames are not accepted',
    })
    await stillHealthy()
  })

  it('random bytes', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const closed = await hostile((ws) => ws.send(randomBytes(seed, 200)))
      expect(closed.code, `seed ${seed}`).toBe(CLOSE.malformed)
      expect(closed.reason).toMatch(/^malformed message/)
    }
    await stillHealthy()
  })

  it('truncated varints and messages', async () => {
    const closes = [
      await hostile((ws) => ws.send(new Uint8Array([0x80]))),
      await hostile((ws) => ws.send(new Uint8Array([0, 2, 0xff, 0xff]))),
      await hostile((ws) => ws.send(syncMessage(2, realUpdate('x')).slice(0, 5))),
      await hostile((ws) => ws.send(new Uint8Array([]))),
    ]
    for (const c of closes) expect(c.code).toBe(CLOSE.malformed)
    await stillHealthy()
  })

  it('updates that do not decode are never applied nor logged', async () => {
    const u = realUpdate('INJECTED')
    const closes = [
      await hostile((ws) => ws.send(syncMessage(2, u.slice(0, u.length - 3)))),
      await hostile((ws) => ws.send(syncMessage(1, randomBytes(9, 40)))),
      await hostile((ws) => ws.send(syncMessage(2, new Uint8Array([1, 1, 5, 0, 99, 1, 2, 3])))),
    ]
    expect(closes[0]).toEqual({ code: CLOSE.malformed, reason: 'malformed message: update does not decode' })
    for (const c of closes) expect(c.code).toBe(CLOSE.malformed)
    for (const c of closes) expect(c.reason).toMatch(/^malformed message: /)
    expect(t.relay.stats().undecodable).toBeGreaterThanOrEqual(3)
    await stillHealthy()
    expect(good.doc.getText('content').toString()).not.toContain('INJECTED')
  })

  it('oversized frames', async () => {
    const closed = await hostile((ws) => ws.send(syncMessage(2, realUpdate('x'.repeat(MAX_FRAME * 2)))))
    expect(closed).toEqual({ code: CLOSE.tooLarge, reason: `frame larger than ${MAX_FRAME} bytes` })
    await stillHealthy()
  })

  it('floods', async () => {
    const query = new Uint8Array([3])
    const closed = await hostile((ws) => {
      for (let i = 0; i < 500; i++) ws.send(query)
    })
    expect(closed).toEqual({ code: CLOSE.rateLimited, reason: 'message rate limit exceeded' })
    await stillHealthy()
  })

  it('messages sent before (and without) authentication', async () => {
    const update = syncMessage(2, realUpdate('UNAUTHENTICATED'))
    const closes = [
      await hostile((ws) => ws.send(update), null),
      await hostile(
        (ws) => ws.send(update),
        'so_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ),
    ]
    for (const c of closes) expect(c.code).toBe(CLOSE.unauthorized)
    await stillHealthy()
    expect(good.doc.getText('content').toString()).not.toContain('UNAUTHENTICATED')
  })

  it('unknown message types and trailing bytes', async () => {
    const closes = [
      await hostile((ws) => ws.send(new Uint8Array([7, 0]))),
      await hostile((ws) => ws.send(new Uint8Array([2, 0]))),
      await hostile((ws) => ws.send(new Uint8Array([3, 0]))),
      await hostile((ws) => ws.send(new Uint8Array([1, 3, 1, 2, 3]))),
    ]
    for (const c of closes) expect(c.code).toBe(CLOSE.malformed)
    await stillHealthy()
  })
})

afterAll(stopStoreServices)
