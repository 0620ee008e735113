import { cpSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { CLOSE } from '../../../sync-server/close-codes.ts'
import type { Limits } from '../../../sync-server/limits.ts'
import { type Relay, startRelay } from '../../../sync-server/relay.ts'
import { DB_FILE, openDatabase } from '../../../sync-server/store/db.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'
import { openWalSync, WAL_PREALLOCATE_BYTES, type WalSync } from '../../../sync-server/store/wal-sync.ts'
import { type Client, client, getJson, sleep, synced, tempDir, waitFor } from './helpers.ts'

/**
 * Durability 'disk' acknowledges nothing before the disk has it. These tests put a disk in front
 * of the real one that the test controls: it holds syncs until released, or fails one, the way a
 * slow or broken disk does. The real fdatasync still runs underneath.
 */
interface Disk {
  held: (() => void)[]
  failNext: number
  open(dataDir: string, db: DatabaseSync): WalSync
  release(): void
}

function controlledDisk(): Disk {
  const disk: Disk = {
    held: [],
    failNext: 0,
    open(dataDir, db) {
      const real = openWalSync(dataDir, db)
      return {
        sync(done) {
          if (disk.failNext > 0) {
            disk.failNext--
            setImmediate(() => done(new Error('EIO: i/o error, fdatasync')))
            return
          }
          disk.held.push(() => real.sync(done))
        },
        syncNow: () => real.syncNow(),
        close: () => real.close(),
      }
    },
    release() {
      for (const go of disk.held.splice(0)) go()
    },
  }
  return disk
}

let relay: Relay | null = null
let disk: Disk | null = null
const dirs: string[] = []
const clients: Client[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  disk?.release()
  if (disk) disk.held.length = 0
  await relay?.close()
  relay = null
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function start(
  d: Disk,
  limits: Partial<Limits> = {},
): Promise<{ relay: Relay; token: (member: string) => string }> {
  const dataDir = tempDir()
  dirs.push(dataDir)
  disk = d
  relay = await startRelay({ port: 0, dataDir, limits, walSync: (dir, db) => d.open(dir, db) })
  const r = relay
  return { relay: r, token: (m) => r.createToken({ workspaceId: 'W1', memberId: m, access: 'write' }).token }
}

function open(url: string, room: string, token: string): Client {
  const c = client(url, room, token)
  clients.push(c)
  return c
}

/** A relay on a controlled disk with a writer and a reader synced on W1/out-1. */
async function startWithPair() {
  const d = controlledDisk()
  const { relay, token } = await start(d)
  const writer = open(relay.url, 'W1/out-1', token('alice'))
  const reader = open(relay.url, 'W1/out-1', token('bob'))
  await Promise.all([synced(writer), synced(reader)])
  return { d, relay, token, writer, reader }
}

describe("durability 'disk': acknowledged means on the disk", () => {
  it('broadcasts, answers newcomers and shows the trace only once the sync returns', async () => {
    const { d, relay, token, writer, reader } = await startWithPair()

    writer.doc.getText('content').insert(0, 'hello')
    await waitFor(() => relay.stats().commits >= 1 && d.held.length === 1, 'the commit, waiting for the disk')

    // Committed to SQLite but not yet on the disk: nobody hears of it.
    const late = open(relay.url, 'W1/out-1', token('carol'))
    const trace = getJson(relay.url, `/api/docs/${encodeURIComponent('W1/out-1')}/updates`, token('auditor'))
    let traced = false
    void trace.then(() => {
      traced = true
    })
    await sleep(300)
    expect(reader.doc.getText('content').toString()).toBe('')
    expect(late.provider.synced).toBe(false) // its sync step 2 waits for the disk
    expect(traced).toBe(false)

    d.release()
    await waitFor(() => reader.doc.getText('content').toString() === 'hello', 'the broadcast')
    await synced(late)
    expect(late.doc.getText('content').toString()).toBe('hello')
    const { status, body } = await trace
    expect(status).toBe(200)
    expect(body.updates).toHaveLength(1)
    expect(body.updates[0].member).toBe('alice')
  })

  it('while one sync runs, later commits wait together for the next one', async () => {
    const { d, relay, writer, reader } = await startWithPair()
    const text = writer.doc.getText('content')
    text.insert(0, 'a')
    await waitFor(() => d.held.length === 1, 'the first sync')
    for (const ch of 'bcde') {
      text.insert(text.length, ch)
      await sleep(20) // separate turns of the relay's event loop: separate commits
    }
    expect(relay.stats().commits).toBe(5)
    expect(relay.stats().syncs).toBe(1) // the other four wait for the next sync
    d.release()
    await waitFor(() => reader.doc.getText('content').toString() === 'a', 'the first commit')
    await sleep(100)
    expect(d.held).toHaveLength(1) // the second sync, covering four commits
    expect(reader.doc.getText('content').toString()).toBe('a')
    d.release()
    await waitFor(() => reader.doc.getText('content').toString() === 'abcde', 'the rest')
    expect(relay.stats().syncs).toBe(2)
  })

  it('a failed sync acknowledges nothing, disconnects that document only, and the clients recover', async () => {
    const { d, relay, token, writer, reader } = await startWithPair()
    const bystander = open(relay.url, 'W1/out-2', token('dora'))
    await synced(bystander)

    d.failNext = 1
    writer.doc.getText('content').insert(0, 'kept by the writer')
    await waitFor(() => writer.closes.length > 0 && reader.closes.length > 0, 'both closed')
    expect(writer.closes[0]).toEqual({
      code: CLOSE.loadFailed,
      reason: 'the relay could not make an update durable',
    })
    expect(reader.closes[0]?.code).toBe(CLOSE.loadFailed)
    expect(bystander.closes).toEqual([])
    expect(relay.stats().syncFailures).toBe(1)

    // The disk works again: the stock clients reconnect (45xx means "try again") and resync.
    const release = setInterval(() => d.release(), 5)
    try {
      await waitFor(
        () => reader.doc.getText('content').toString() === 'kept by the writer',
        'recovery',
        15_000,
      )
    } finally {
      clearInterval(release)
    }
    expect(bystander.closes).toEqual([])
  })
})

describe('a store that refuses a write', () => {
  it('stores nothing of that update, closes only its sender, and the edit lands once the store takes it', async () => {
    const { d, relay, token, writer, reader } = await startWithPair()
    const disk = setInterval(() => d.release(), 5) // a disk that works
    const bystander = open(relay.url, 'W1/out-2', token('dora'))
    await synced(bystander)
    // A second connection on the same file makes SQLite refuse rows of W1/out-1, as a full or
    // failing disk would: the relay's INSERT fails whether or not a transaction wraps it.
    const other = openDatabase(dirs[0]!)
    other.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON updates WHEN NEW.doc = 'W1/out-1' BEGIN SELECT RAISE(ABORT, 'the disk is full'); END",
    )
    try {
      writer.doc.getText('content').insert(0, 'not stored yet')
      await waitFor(() => writer.closes.length > 0, 'writer closed')
      expect(writer.closes[0]).toEqual({
        code: CLOSE.loadFailed,
        reason: 'the relay could not store an update',
      })
      expect(reader.closes).toEqual([])
      expect(bystander.closes).toEqual([])
      expect(reader.doc.getText('content').toString()).toBe('')
      const log = new UpdateLog(other)
      expect(log.stats('W1/out-1').seq).toBe(0)

      // The bystander's document is stored as before.
      bystander.doc.getText('content').insert(0, 'elsewhere')
      await waitFor(() => log.stats('W1/out-2').seq === 1, 'the other document stored')

      // The store takes rows again: the stock client reconnects (45xx), resends, and it lands once.
      other.exec('DROP TRIGGER refuse')
      await waitFor(
        () => reader.doc.getText('content').toString() === 'not stored yet',
        'edit delivered',
        15_000,
      )
      expect(log.stats('W1/out-1').seq).toBe(1)
    } finally {
      clearInterval(disk)
      other.close()
    }
  })
})

describe('a disk that stalls', () => {
  it('costs bounded memory: the relay stops reading until the backlog drains, and loses nothing', async () => {
    const limit = 200_000
    const d = controlledDisk()
    const { relay, token } = await start(d, { maxPendingBytes: limit })
    const writer = open(relay.url, 'W1/out-1', token('alice'))
    const reader = open(relay.url, 'W1/out-1', token('bob'))
    await Promise.all([synced(writer), synced(reader)])
    const text = writer.doc.getText('content')
    // 4 MB of edits while the disk holds every sync: twenty times the limit.
    for (let i = 0; i < 200; i++) text.insert(text.length, String(i % 10).repeat(20_000))
    await waitFor(() => relay.stats().pressureEvents >= 1, 'reading paused')
    await sleep(300)
    // Held: what was read before the pause took effect, never the whole flood.
    const held = relay.stats().heldBytes
    expect(held).toBeGreaterThan(limit)
    expect(held).toBeLessThan(limit + 1_000_000)
    // The disk comes back: everything arrives, in order, and the relay's memory went down again.
    const want = text.toString()
    await waitFor(
      () => {
        d.release()
        return reader.doc.getText('content').toString() === want
      },
      'the reader has every edit',
      30_000,
    )
    const stats = relay.stats()
    expect(stats.peakHeldBytes).toBeLessThan(limit + 1_000_000)
    expect(stats.pressureEvents).toBeGreaterThanOrEqual(2) // paused again as the flood came back in
    expect(stats.heldBytes).toBe(0)
    const log = await getJson(
      relay.url,
      `/api/docs/${encodeURIComponent('W1/out-1')}/updates?limit=1000`,
      token('auditor'),
    )
    expect(log.body.updates).toHaveLength(200)
  }, 60_000)
})

describe('the WAL laid out in advance', () => {
  it('is zero-filled to its size at start, so commits overwrite instead of growing the file', async () => {
    const d = controlledDisk()
    const { relay } = await start(d)
    const wal = join(dirs[0]!, `${DB_FILE}-wal`)
    expect(statSync(wal).size).toBeGreaterThanOrEqual(WAL_PREALLOCATE_BYTES)
    expect(relay.stats().syncFailures).toBe(0)
  })

  it('zeros written after live frames lose none of them when the database is recovered', () => {
    const dir = tempDir()
    dirs.push(dir)
    const db = openDatabase(dir, 'normal')
    const log = new UpdateLog(db)
    const data = new Uint8Array([1, 2, 3])
    log.begin()
    for (let seq = 1; seq <= 50; seq++)
      log.append({ doc: 'W1/o', seq, time: seq, member: 'm', token: 't', clients: [7], data })
    log.commit()
    const wal = openWalSync(dir, db, 4 * 1024 * 1024)
    wal.syncNow()
    // A crash now: copy the files as they are on disk, with no checkpoint, and open the copy.
    const crashed = join(dir, 'after-crash')
    mkdirSync(crashed)
    for (const f of [DB_FILE, `${DB_FILE}-wal`]) cpSync(join(dir, f), join(crashed, f))
    expect(readFileSync(join(crashed, `${DB_FILE}-wal`)).length).toBeGreaterThanOrEqual(4 * 1024 * 1024)
    wal.close()
    db.close()
    const recovered = openDatabase(crashed)
    expect(new UpdateLog(recovered).updates('W1/o', 0)).toHaveLength(50)
    recovered.close()
  })
})
