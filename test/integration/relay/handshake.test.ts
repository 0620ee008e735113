import { rmSync } from 'node:fs'
import pg from 'pg'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../sync-server/store/db.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'
import {
  type Client,
  client,
  rawSocket,
  rawUpgrade,
  startTestRelay,
  synced,
  tempDir,
  waitFor,
} from './helpers.ts'
import { STORES, type StoreKind, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

/**
 * Every way out of the WebSocket upgrade gives back what it took: a connection slot is counted
 * only for a completed handshake, and a document loaded for one that did not complete is unloaded
 * like any idle one. Each path runs more times than the relay has slots, then a member connects.
 */
let t: StoreRelay | Awaited<ReturnType<typeof startTestRelay>>
let store: StoreKind = 'sqlite'
const dirs: string[] = []
const clients: Client[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await t.stop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
afterAll(stopStoreServices)

const SLOTS = 3
const TRIES = 10

async function relay(dataDir?: string) {
  const limits = { maxConnections: SLOTS, unloadAfterMs: 50 }
  t =
    store === 'sqlite'
      ? await startTestRelay(limits, dataDir ?? tempDir())
      : await startStoreRelay(store, limits)
}

async function gaveEverythingBack(room = 'W1') {
  expect(t.relay.stats().connections).toBe(0)
  await waitFor(() => t.relay.stats().loadedDocuments === 0, 'documents unloaded')
  const c = client(t.relay.url, room, await t.writer('W1'))
  clients.push(c)
  await synced(c)
  expect(c.closes).toEqual([])
}

describe.each(STORES)('upgrade paths release what they took (%s)', (kind) => {
  beforeEach(() => {
    store = kind
  })

  it('a bad Sec-WebSocket-Key (ws answers 400)', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++)
      expect(await rawUpgrade(t.relay.port, await t.writer('W1'), { 'Sec-WebSocket-Key': 'bogus' })).toBe(400)
    await gaveEverythingBack()
  })

  it('a wrong Sec-WebSocket-Version', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++)
      expect(await rawUpgrade(t.relay.port, await t.writer('W1'), { 'Sec-WebSocket-Version': '12' })).toBe(
        400,
      )
    await gaveEverythingBack()
  })

  it('a wrong method (ws answers 405)', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++)
      expect(await rawUpgrade(t.relay.port, await t.writer('W1'), {}, { method: 'POST' })).toBe(405)
    await gaveEverythingBack()
  })

  it('a socket aborted as it asks', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++) await rawUpgrade(t.relay.port, await t.writer('W1'), {}, { abort: true })
    await waitFor(() => t.relay.stats().connections === 0, 'aborted connections closed')
    await gaveEverythingBack()
  })

  it('a completed handshake the client drops at once', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++) expect(await rawUpgrade(t.relay.port, await t.writer('W1'), {})).toBe(101)
    await waitFor(() => t.relay.stats().connections === 0, 'dropped connections closed')
    await gaveEverythingBack()
  })

  it('a refused token', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++) {
      const s = rawSocket(t.relay.url, 'W1', `so_0123456789abcdef_${'A'.repeat(43)}`)
      expect((await s.closed).code).toBe(4401)
    }
    expect(t.relay.stats().refused).toBe(TRIES)
    await gaveEverythingBack()
  })

  it('a document that fails to load', async () => {
    // A log row that does not integrate, as an old relay could write it.
    const brick = Uint8Array.from(Buffer.from('00010702 00ffffffffffffff0f 0001'.replaceAll(' ', ''), 'hex'))
    if (store === 'sqlite') {
      const dataDir = tempDir()
      dirs.push(dataDir)
      const db = openDatabase(dataDir)
      const log = new UpdateLog(db)
      log.begin()
      log.append({ doc: 'W1/bad', seq: 1, time: 0, member: 'm', token: 't', clients: [], data: brick })
      log.commit()
      db.close()
      await relay(dataDir)
    } else {
      await relay()
      const db = new pg.Client({ connectionString: (t as StoreRelay).database })
      await db.connect()
      await db.query(
        "INSERT INTO updates (doc, seq, time, member, token, clients, node, data) VALUES ('W1/bad', 1, 0, 'm', 't', '[]', 'old', $1)",
        [Buffer.from(brick)],
      )
      await db.query("INSERT INTO doc_heads (doc, seq, bytes, last_time) VALUES ('W1/bad', 1, $1, 0)", [
        brick.length,
      ])
      await db.end()
    }
    for (let i = 0; i < TRIES; i++) {
      const s = rawSocket(t.relay.url, 'W1/bad', await t.writer('W1'))
      expect((await s.closed).code).toBe(4500)
    }
    await gaveEverythingBack('W1/good')
  })
})
