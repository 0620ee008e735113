import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../sync-server/store/db.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'
import {
  type Client,
  client,
  rawSocket,
  rawUpgrade,
  startTestRelay,
  synced,
  type TestRelay,
  tempDir,
  waitFor,
} from './helpers.ts'

/**
 * Every way out of the WebSocket upgrade gives back what it took: a connection slot is counted
 * only for a completed handshake, and a document loaded for one that did not complete is unloaded
 * like any idle one. Each path runs more times than the relay has slots, then a member connects.
 */
let t: TestRelay
const dirs: string[] = []
const clients: Client[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await t.stop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const SLOTS = 3
const TRIES = 10

async function relay(dataDir = tempDir()) {
  t = await startTestRelay({ maxConnections: SLOTS, unloadAfterMs: 50 }, dataDir)
}

async function gaveEverythingBack(room = 'W1') {
  expect(t.relay.stats().connections).toBe(0)
  await waitFor(() => t.relay.stats().loadedDocuments === 0, 'documents unloaded')
  const c = client(t.relay.url, room, t.writer('W1'))
  clients.push(c)
  await synced(c)
  expect(c.closes).toEqual([])
}

describe('upgrade paths release what they took', () => {
  it('a bad Sec-WebSocket-Key (ws answers 400)', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++)
      expect(await rawUpgrade(t.relay.port, t.writer('W1'), { 'Sec-WebSocket-Key': 'bogus' })).toBe(400)
    await gaveEverythingBack()
  })

  it('a wrong Sec-WebSocket-Version', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++)
      expect(await rawUpgrade(t.relay.port, t.writer('W1'), { 'Sec-WebSocket-Version': '12' })).toBe(400)
    await gaveEverythingBack()
  })

  it('a wrong method (ws answers 405)', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++)
      expect(await rawUpgrade(t.relay.port, t.writer('W1'), {}, { method: 'POST' })).toBe(405)
    await gaveEverythingBack()
  })

  it('a socket aborted as it asks', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++) await rawUpgrade(t.relay.port, t.writer('W1'), {}, { abort: true })
    await waitFor(() => t.relay.stats().connections === 0, 'aborted connections closed')
    await gaveEverythingBack()
  })

  it('a completed handshake the client drops at once', async () => {
    await relay()
    for (let i = 0; i < TRIES; i++) expect(await rawUpgrade(t.relay.port, t.writer('W1'), {})).toBe(101)
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
    const dataDir = tempDir()
    dirs.push(dataDir)
    // A log row that does not integrate, as an old relay could write it.
    const db = openDatabase(dataDir)
    const log = new UpdateLog(db)
    log.begin()
    const brick = Uint8Array.from(Buffer.from('00010702 00ffffffffffffff0f 0001'.replaceAll(' ', ''), 'hex'))
    log.append({ doc: 'W1/bad', seq: 1, time: 0, member: 'm', token: 't', clients: [], data: brick })
    log.commit()
    db.close()
    await relay(dataDir)
    for (let i = 0; i < TRIES; i++) {
      const s = rawSocket(t.relay.url, 'W1/bad', t.writer('W1'))
      expect((await s.closed).code).toBe(4500)
    }
    await gaveEverythingBack('W1/good')
  })
})
