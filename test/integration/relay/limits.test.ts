import { afterAll, afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE } from '../../../sync-server/close-codes.ts'
import { type Client, client, getJson, rawSocket, synced, waitFor } from './helpers.ts'
import { STORES, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

let t: StoreRelay
const clients: Client[] = []
const open = (room: string, token: string, doc?: Y.Doc) => {
  const c = client(t.relay.url, room, token, doc)
  clients.push(c)
  return c
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await t.stop()
})
afterAll(stopStoreServices)

describe.each(STORES)('limits (%s)', (store) => {
  it('refuses connections past the cap with a retry-later code', async () => {
    t = await startStoreRelay(store, { maxConnections: 2 })
    await Promise.all([synced(open('W1', await t.writer('W1'))), synced(open('W1', await t.writer('W1')))])
    const third = rawSocket(t.relay.url, 'W1', await t.writer('W1'))
    expect(await third.closed).toEqual({ code: CLOSE.unavailable, reason: 'relay full' })
  })

  it('refuses updates past the document-size cap and keeps them out of the log', async () => {
    t = await startStoreRelay(store, { maxDocumentBytes: 2000 })
    const a = open('W1', await t.writer('W1'))
    await synced(a)
    a.doc.getText('content').insert(0, 'small')
    await waitFor(() => t.relay.stats().commits > 0, 'first commit')
    a.doc.getText('content').insert(0, 'x'.repeat(5000))
    await waitFor(() => a.closes.length > 0, 'size close')
    expect(a.closes[0]).toEqual({ code: CLOSE.tooLarge, reason: 'document size limit reached' })
    const log = await getJson(t.relay.url, '/api/docs/W1/updates', await t.reader('W1'))
    expect(log.body.updates).toHaveLength(1)
  })

  it('drops a client that stops reading at the buffered-bytes cap; others carry on', async () => {
    t = await startStoreRelay(store, { maxBufferedBytes: 256 * 1024 })
    const writer = open('W1', await t.writer('W1'))
    const reader = open('W1', await t.reader('W1'))
    await Promise.all([synced(writer), synced(reader)])
    const stuck = rawSocket(t.relay.url, 'W1', await t.reader('W1', 'stuck'))
    await stuck.open
    ;(stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    const text = writer.doc.getText('content')
    const chunk = 'y'.repeat(100_000)
    for (let i = 0; i < 200 && t.relay.stats().slowDisconnected === 0; i++) {
      text.insert(text.length, chunk)
      await new Promise((r) => setTimeout(r, 5))
    }
    await waitFor(() => t.relay.stats().slowDisconnected === 1, 'slow client dropped')
    await waitFor(() => reader.doc.getText('content').length === text.length, 'reader keeps up', 20_000)
    expect(writer.closes).toEqual([])
    expect(reader.closes).toEqual([])
  })

  it('an update building on content the relay lacks: dropped before the sync answer that carries it, refused with 4509 after; none is lost', async () => {
    t = await startStoreRelay(store)
    const src = new Y.Doc()
    const updates: Uint8Array[] = []
    src.on('update', (u: Uint8Array) => updates.push(u))
    src.getText('content').insert(0, 'first ')
    src.getText('content').insert(6, 'second')
    const msg = (u: Uint8Array, step = 2) => new Uint8Array([0, step, ...encodeLen(u.length), ...u])
    // Before the client answered the relay's sync step 1 it is only early: the answer carries it.
    const early = rawSocket(t.relay.url, 'W1', await t.writer('W1'))
    await early.open
    early.ws.send(msg(updates[1]!))
    early.ws.send(msg(Y.encodeStateAsUpdate(src), 1))
    const c0 = open('W1', await t.reader('W1'))
    await waitFor(() => c0.doc.getText('content').toString() === 'first second', 'the answer delivered it')
    expect(early.ws.readyState).toBe(early.ws.OPEN)
    early.ws.close()

    // After it, applied it would leave the relay holding "pending" structs (update-check.ts).
    const other = new Y.Doc()
    const later: Uint8Array[] = []
    other.on('update', (u: Uint8Array) => later.push(u))
    other.getText('content').insert(0, 'first ')
    other.getText('content').insert(6, 'second')
    const raw = rawSocket(t.relay.url, 'W1', await t.writer('W1'))
    await raw.open
    raw.ws.send(msg(Y.encodeStateAsUpdate(new Y.Doc()), 1))
    raw.ws.send(msg(later[1]!))
    const closed = await raw.closed
    expect(closed.code).toBe(CLOSE.outOfSync)
    expect(closed.reason).toMatch(/^update refused: structs of client \d+ start at 6, after 0$/)
    expect(t.relay.stats().outOfSyncUpdates).toBe(2)
    expect(
      (await getJson(t.relay.url, '/api/docs/W1/updates', await t.reader('W1'))).body.updates,
    ).toHaveLength(1)
    // A stock client retries 45xx; its sync then sends everything the relay lacks, in order.
    const sender = open('W1', await t.writer('W1'), other)
    await synced(sender)
    const c = open('W1', await t.reader('W1'))
    await waitFor(() => c.doc.getText('content').toString() === 'first secondfirst second', 'ordered result')
  })
})

function encodeLen(n: number): number[] {
  const out: number[] = []
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f))
    n >>>= 7
  }
  out.push(n)
  return out
}
