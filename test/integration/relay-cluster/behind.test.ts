import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type ClusterNode, startClusterNode } from '../../../sync-server/cluster/node.ts'
import { freePort } from '../../support/services.ts'
import { type Client, client, synced } from '../relay/helpers.ts'
import { type Services, startServices, waitFor } from './cluster.ts'
import { checkLog, text } from './support.ts'

let s: Services
const clients: Client[] = []
const nodes: ClusterNode[] = []

beforeAll(async () => {
  s = await startServices()
}, 60_000)
afterAll(async () => {
  for (const x of clients.splice(0)) x.destroy()
  for (const n of nodes.splice(0)) await n.close()
  await s?.stop()
})

async function rows(database: string, doc: string) {
  const db = new pg.Client({ connectionString: database })
  await db.connect()
  try {
    const r = await db.query('SELECT seq, data FROM updates WHERE doc = $1 ORDER BY seq', [doc])
    return r.rows.map((x) => ({ seq: Number(x.seq), data: new Uint8Array(x.data) }))
  } finally {
    await db.end()
  }
}

describe('one cluster node: a lost compare-and-set, a stalled database', () => {
  it('rebuilds from the log and appends again: no duplicate row, nothing lost', async () => {
    const database = s.database()
    const a = await startClusterNode({
      port: 0,
      database,
      fanout: s.redis.url,
      nodeId: 'a',
      limits: { unloadAfterMs: 60_000 },
    })
    // Node b hears no notices (its Redis is not there) and checks heads rarely: it can only learn
    // of a's rows from a failed compare-and-set.
    const b = await startClusterNode({
      port: 0,
      database,
      fanout: `redis://127.0.0.1:${await freePort()}`,
      nodeId: 'b',
      headsCheckMs: 60_000,
      limits: { unloadAfterMs: 60_000 },
    })
    nodes.push(a, b)
    const alice = await a.createToken({ workspaceId: 'W1', memberId: 'alice', access: 'write' })
    const bob = await b.createToken({ workspaceId: 'W1', memberId: 'bob', access: 'write' })
    const ca = client(a.url, 'W1', alice.token)
    const cb = client(b.url, 'W1', bob.token)
    clients.push(ca, cb)
    await Promise.all([synced(ca), synced(cb)])
    ca.doc.getText('content').insert(0, 'from a ')
    await waitFor(() => a.stats().commits > 0, 'a committed')
    cb.doc.getText('content').insert(0, 'from b ')
    // b's append finds head 1, not 0: behind; it rebuilds, sends bob a's row and appends as 2.
    await waitFor(() => text(cb).includes('from a') && b.stats().behind > 0, 'b caught up through the log')
    await waitFor(() => text(ca).includes('from b'), 'a has b row (heads check or notice)', 10_000)

    // Alice's exact update, resent through b by a second device of hers: b lacks it (no notice)
    // until its compare-and-set fails; then it integrates as a no-op and is dropped.
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(ca.doc))
    copy.getText('content').insert(0, 'again ')
    const alice2 = client(b.url, 'W1', alice.token, copy)
    clients.push(alice2)
    await synced(alice2)
    await waitFor(() => text(ca) === text(alice2) && text(cb) === text(alice2), 'convergence', 10_000)
    const log = checkLog(await rows(database, 'W1'))
    expect(log.contiguous).toBe(true)
    expect(log.noops).toEqual([])
    expect(text(log.doc)).toBe(text(ca))
  })

  it('bounds memory for updates waiting on a stalled database: reading pauses, then resumes, nothing lost', async () => {
    const database = s.database()
    const n = await startClusterNode({
      port: 0,
      database,
      fanout: s.redis.url,
      limits: { maxPendingBytes: 64 * 1024 },
    })
    nodes.push(n)
    const w = client(
      n.url,
      'W1',
      (await n.createToken({ workspaceId: 'W1', memberId: 'alice', access: 'write' })).token,
    )
    const r = client(
      n.url,
      'W1',
      (await n.createToken({ workspaceId: 'W1', memberId: 'rita', access: 'read' })).token,
    )
    clients.push(w, r)
    await Promise.all([synced(w), synced(r)])
    w.doc.getText('content').insert(0, 'start ')
    await waitFor(() => text(r) === 'start ', 'first commit')
    // Another session holds the document's head row: the node's next commit waits on its lock.
    const blocker = new pg.Client({ connectionString: database })
    await blocker.connect()
    await blocker.query('BEGIN')
    await blocker.query("SELECT * FROM doc_heads WHERE doc = 'W1' FOR UPDATE")
    try {
      const y = w.doc.getText('content')
      for (let i = 0; i < 40 && !n.stats().pressured; i++) {
        y.insert(y.length, String(i % 10).repeat(4000))
        await new Promise((res) => setTimeout(res, 10))
      }
      await waitFor(() => n.stats().pressured, 'reading paused')
      expect(n.stats().heldBytes).toBeGreaterThan(64 * 1024)
      expect(text(r)).toBe('start ') // nothing uncommitted was shown
    } finally {
      await blocker.query('COMMIT')
      await blocker.end()
    }
    await waitFor(() => !n.stats().pressured && text(r) === text(w), 'drained and delivered', 15_000)
    expect(n.stats().heldBytes).toBe(0)
    const log = checkLog(await rows(database, 'W1'))
    expect(log.contiguous).toBe(true)
    expect(log.noops).toEqual([])
    expect(text(log.doc)).toBe(text(w))
  })

  it('a checkpoint never replaces a newer one', async () => {
    const { PgStore } = await import('../../../sync-server/cluster/pg-store.ts')
    const pool = new pg.Pool({ connectionString: s.database(), max: 1 })
    try {
      const store = new PgStore(pool, 'test')
      await store.migrate()
      await store.putCheckpoint('W1', 5, new Uint8Array([5]))
      await store.putCheckpoint('W1', 3, new Uint8Array([3])) // a slower node, an older prefix
      expect(await store.checkpoint('W1')).toEqual({ seq: 5, data: new Uint8Array([5]) })
      await store.putCheckpoint('W1', 8, new Uint8Array([8]))
      expect((await store.checkpoint('W1'))?.seq).toBe(8)
    } finally {
      await pool.end()
    }
  })
})
