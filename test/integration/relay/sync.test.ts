import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Client, client, getJson, synced, waitFor } from './helpers.ts'
import { STORES, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

let t: StoreRelay
const clients: Client[] = []
const open = (room: string, token: string) => {
  const c = client(t.relay.url, room, token)
  clients.push(c)
  return c
}

afterAll(stopStoreServices)

describe.each(STORES)('relay sync with stock y-websocket clients (%s)', (store) => {
  beforeEach(async () => {
    t = await startStoreRelay(store, { unloadAfterMs: 50 })
  }, 60_000)
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await t.stop()
  })

  it('two clients converge and a third joining later gets everything', async () => {
    const a = open('W1', await t.writer('W1', 'alice'))
    const b = open('W1', await t.writer('W1', 'bob'))
    await Promise.all([synced(a), synced(b)])
    a.doc.getText('content').insert(0, 'hello ')
    b.doc.getMap('meta').set('title', 'Plan')
    b.doc.getText('content').insert(0, 'bob: ')
    await waitFor(
      () =>
        a.doc.getText('content').toString() === b.doc.getText('content').toString() &&
        a.doc.getMap('meta').get('title') === 'Plan',
      'convergence',
    )
    expect(a.doc.getText('content').toString()).toHaveLength('hello bob: '.length)

    const c = open('W1', await t.writer('W1', 'carol'))
    await synced(c)
    await waitFor(
      () => c.doc.getText('content').toString() === a.doc.getText('content').toString(),
      'late joiner',
    )
    expect(c.doc.getMap('meta').toJSON()).toEqual({ title: 'Plan' })

    const log = await getJson(t.relay.url, '/api/docs/W1/updates', await t.reader('W1'))
    expect(log.body.updates.map((u: { member: string }) => u.member).sort()).toEqual(['alice', 'bob', 'bob'])
  })

  it('keeps workspace and output documents apart, many workspaces in one process', async () => {
    const ws = open('W1', await t.writer('W1'))
    const out = open('W1/out-1', await t.writer('W1'))
    const other = open('W2/out-1', await t.writer('W2'))
    await Promise.all([synced(ws), synced(out), synced(other)])
    ws.doc.getText('content').insert(0, 'workspace')
    out.doc.getText('content').insert(0, 'output')
    other.doc.getText('content').insert(0, 'other team')
    const out2 = open('W1/out-1', await t.writer('W1', 'bob'))
    await waitFor(() => out2.doc.getText('content').toString() === 'output', 'output doc content')
    const ws2 = open('W1', await t.writer('W1', 'bob'))
    await waitFor(() => ws2.doc.getText('content').toString() === 'workspace', 'workspace doc content')
    const other2 = open('W2/out-1', await t.writer('W2', 'bob'))
    await waitFor(() => other2.doc.getText('content').toString() === 'other team', 'other workspace')
  })

  it('read-only clients receive everything', async () => {
    const w = open('W1', await t.writer('W1'))
    const r = open('W1', await t.reader('W1'))
    await Promise.all([synced(w), synced(r)])
    w.doc.getText('content').insert(0, 'for your eyes')
    await waitFor(() => r.doc.getText('content').toString() === 'for your eyes', 'reader sees writes')
  })

  it('unloads documents with no connections and reloads them from the log', async () => {
    const a = open('W1', await t.writer('W1'))
    await synced(a)
    a.doc.getText('content').insert(0, 'persisted')
    await waitFor(() => t.relay.stats().commits > 0, 'commit')
    a.destroy()
    await waitFor(() => t.relay.stats().loadedDocuments === 0, 'unload')
    const b = open('W1', await t.writer('W1', 'bob'))
    await waitFor(() => b.doc.getText('content').toString() === 'persisted', 'reload')
    expect(t.relay.stats().loadedDocuments).toBe(1)
  })
})
