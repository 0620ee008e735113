/**
 * A member's app that writes a burst past the relay's message rate (10,000 quick board rows from
 * intake, say) is cut off with a "slow down" code a stock y-websocket client retries: it
 * reconnects, its sync sends everything at once, and every member gets all of it.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { CLOSE } from '../../../sync-server/index.ts'
import { type Client, client, synced, waitFor } from './helpers.ts'
import { STORES, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

const open: (Client | StoreRelay)[] = []
afterEach(async () => {
  for (const o of open.splice(0).reverse()) 'stop' in o ? await o.stop() : o.destroy()
})
afterAll(stopStoreServices)

describe.each(STORES)('rate limit (%s)', (store) => {
  it('a burst past the limit reconnects and converges instead of being cut off for good', async () => {
    const relay = await startStoreRelay(store, { maxMessagesPerSecond: 200, messageBurst: 300 })
    open.push(relay)
    const writer = client(relay.relay.url, 'w1', await relay.writer('w1', 'ada'))
    open.push(writer)
    await synced(writer)
    const closes: number[] = []
    writer.provider.on('connection-close', (e: { code: number } | null) => {
      if (e) closes.push(e.code)
    })
    const rows = writer.doc.getMap('outputs')
    for (let i = 0; i < 3000; i++) rows.set(`o${i}`, { i })
    const reader = client(relay.relay.url, 'w1', await relay.writer('w1', 'rita'))
    open.push(reader)
    await synced(reader)
    await waitFor(() => reader.doc.getMap('outputs').size === 3000, 'every row at the other member', 20_000)
    expect(closes).toContain(CLOSE.rateLimited)
    expect(CLOSE.rateLimited).toBeGreaterThanOrEqual(4500)
    expect(relay.relay.stats().rateLimited).toBeGreaterThan(0)
  })
})
