import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE } from '../../../sync-server/close-codes.ts'
import { openDatabase } from '../../../sync-server/store/db.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'
import { CLI, type Client, client, getJson, NODE, NODE_FLAGS, rawSocket, synced, waitFor } from './helpers.ts'
import { STORES, type StoreKind, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

/**
 * A document poisoned before the relay checked updates (the rows are written into the log
 * directly, as the old relay did): it refuses to load, `relay doc repair` rebuilds it without the
 * offending rows, marks them and says which, and the relay serves it again. On either store: the
 * SQLite data directory, or the cluster's PostgreSQL.
 */
let t: StoreRelay | null = null
const dirs: string[] = []
const clients: Client[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await t?.stop()
  t = null
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
afterAll(stopStoreServices)

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'))
/** The 18-byte frame's update: one client's overlapping delete ranges near 2^53. */
const BRICK = hex('00 01 07 02 00 ff ff ff ff ff ff ff 0f 00 01')

/** Append a row past the relay's checks, as the old relay did, into either store. */
async function appendRaw(store: StoreKind, where: Where, doc: string, member: string, data: Uint8Array) {
  if (store === 'sqlite') {
    const db = openDatabase(where.dataDir!)
    const log = new UpdateLog(db)
    const seq = log.stats(doc).seq + 1
    log.begin()
    log.append({ doc, seq, time: Date.now(), member, token: '0000000000000000', clients: [], data })
    log.commit()
    db.close()
    return
  }
  const db = new pg.Client({ connectionString: where.database })
  await db.connect()
  try {
    await db.query('BEGIN')
    const head = await db.query('UPDATE doc_heads SET seq = seq + 1 WHERE doc = $1 RETURNING seq', [doc])
    await db.query(
      `INSERT INTO updates (doc, seq, time, member, token, clients, node, data)
       VALUES ($1, $2, $3, $4, '0000000000000000', '[]', 'old', $5)`,
      [doc, head.rows[0].seq, Date.now(), member, Buffer.from(data)],
    )
    await db.query('COMMIT')
  } finally {
    await db.end()
  }
}

type Where = { dataDir?: string; database?: string }

function repair(cliArgs: string[]): string {
  return execFileSync(NODE, [...NODE_FLAGS, CLI, 'doc', 'repair', ...cliArgs, '--doc', 'W1'], {
    encoding: 'utf8',
  })
}

describe.each(STORES)('relay doc repair (%s)', (store) => {
  it('rebuilds a poisoned document without the offending updates and keeps them in the log, marked', async () => {
    t = await startStoreRelay(store)
    const where: Where = store === 'sqlite' ? { dataDir: t.cliArgs[1]! } : { database: t.database! }
    const cliArgs = store === 'sqlite' ? t.cliArgs : ['--database', t.database!]
    if (where.dataDir) dirs.push(where.dataDir)
    // The first relay's stop() would delete its data: close it only (afterEach removes the data).
    const reopen = async () => {
      await t?.relay.close()
      t = await startStoreRelay(store, {}, undefined, where)
      return t
    }
    const alice = client(t.relay.url, 'W1', await t.writer('W1', 'alice'))
    clients.push(alice)
    await synced(alice)
    alice.doc.getText('t').insert(0, 'the approved text')
    await waitFor(() => t!.relay.stats().commits > 0, 'committed')
    const reader = await t.reader('W1')
    await t.relay.close()
    alice.destroy()

    // What the old relay logged: the brick, then an honest edit it still accepted before it.
    await appendRaw(store, where, 'W1', 'mallory', BRICK)
    const other = new Y.Doc()
    other.clientID = 99
    other.getText('t').insert(0, 'x')
    await appendRaw(store, where, 'W1', 'bob', Y.encodeStateAsUpdate(other))

    let r = await reopen()
    const refused = rawSocket(r.relay.url, 'W1', reader)
    expect(await refused.closed).toEqual({ code: CLOSE.loadFailed, reason: 'document failed to load' })
    await r.relay.close()

    const out = repair(cliArgs)
    expect(out).toContain('Repaired W1: 3 updates in the log, 2 kept, 1 skipped now')
    expect(out).toMatch(/skipped seq 2 \(member mallory, [^)]+\): delete range of client 7 out of range/)

    r = await reopen()
    const carol = client(r.relay.url, 'W1', await r.writer('W1', 'carol'))
    clients.push(carol)
    await synced(carol)
    expect(carol.doc.getText('t').toString()).toBe('xthe approved text')
    carol.doc.getText('t').insert(0, '> ')
    await waitFor(() => r.relay.stats().commits > 0, 'a new update is accepted')
    const log = await getJson(r.relay.url, '/api/docs/W1/updates', reader)
    expect(
      log.body.updates.map((u: { seq: number; skipped?: string }) => [u.seq, u.skipped ?? null]),
    ).toEqual([
      [1, null],
      [2, 'delete range of client 7 out of range'],
      [3, null],
      [4, null],
    ])
    const raw = await fetch(`${r.relay.url.replace('ws', 'http')}/api/docs/W1/updates/2?token=${reader}`)
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(BRICK)

    // Running it again (the relay stopped) finds nothing more to skip.
    await r.relay.close()
    expect(repair(cliArgs)).toContain('0 skipped now, 1 skipped by an earlier repair')
  })
})
