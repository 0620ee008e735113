import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { Room } from '../../../sync-server/room.ts'
import { type Client, client, rawSocket, synced, tempDir, updateFrame, waitFor } from './helpers.ts'
import { STORES, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

const dirs: string[] = []
let t: StoreRelay | null = null
const clients: Client[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  for (const c of clients.splice(0)) c.destroy()
  await t?.stop()
  t = null
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
afterAll(stopStoreServices)

describe.each(STORES)('crashes (%s)', (store) => {
  it('an error in one document closes only the connection that caused it', async () => {
    const lines: string[] = []
    t = await startStoreRelay(store, {}, (l) => lines.push(l))
    const apply = Room.prototype.apply
    vi.spyOn(Room.prototype, 'apply').mockImplementation(function (this: Room, update: Uint8Array) {
      if (this.name === 'W1/broken') throw new Error('a bug in this document')
      return apply.call(this, update)
    })
    const alice = client(t.relay.url, 'W1', await t.writer('W1', 'alice'))
    const bob = client(t.relay.url, 'W1', await t.reader('W1', 'bob'))
    clients.push(alice, bob)
    await Promise.all([synced(alice), synced(bob)])

    const s = rawSocket(t.relay.url, 'W1/broken', await t.writer('W1', 'mallory'))
    await s.open
    const d = new Y.Doc()
    d.getText('t').insert(0, 'x')
    s.ws.send(updateFrame(Y.encodeStateAsUpdate(d)))
    expect(await s.closed).toEqual({ code: 4500, reason: 'internal error' })

    alice.doc.getText('t').insert(0, 'unaffected')
    await waitFor(() => bob.doc.getText('t').toString() === 'unaffected', 'the other document goes on')
    expect(t.relay.stats().internalErrors).toBe(1)
    expect(
      lines.some((l) => l.startsWith('internal error applying an update to W1/broken: Error: a bug')),
    ).toBe(true)
  })
})

describe('crashes (sqlite)', () => {
  it('an error outside every handler is logged, the relay is closed and the process exits 1', () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const script = new URL('./fixtures/crashing-relay.ts', import.meta.url).pathname
    const r = spawnSync(
      process.execPath,
      ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', script, dataDir],
      { encoding: 'utf8', timeout: 20_000 },
    )
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('listening\nclosed\n')
    expect(r.stderr).toContain('Signoff relay: uncaught exception: Error: boom outside every handler')
    expect(r.stderr).toContain('shutting down after an unhandled error')
  })
})
