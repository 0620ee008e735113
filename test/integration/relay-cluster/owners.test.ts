import pg from 'pg'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE } from '../../../sync-server/close-codes.ts'
import { startClusterNode } from '../../../sync-server/cluster/node.ts'
import { client, rawSocket, synced, updateFrame } from '../relay/helpers.ts'
import { waitFor } from './cluster.ts'
import { inProcessCluster, text } from './support.ts'

/**
 * A room loads from its checkpoint and the rows after it: who wrote each Yjs client id up to the
 * checkpoint travels with it (the load no longer reads every row's clients), and a member still
 * cannot write under a client id another member wrote before the checkpoint.
 */
const c = inProcessCluster()
const { clients, nodes } = c

async function query(database: string, sql: string, args: unknown[]) {
  const db = new pg.Client({ connectionString: database })
  await db.connect()
  try {
    return (await db.query(sql, args)).rows
  } finally {
    await db.end()
  }
}

describe('client id owners in PostgreSQL checkpoints', () => {
  it('travel with the checkpoint; a reloaded room still refuses writes under another member’s id', async () => {
    const database = c.services.database()
    const n = await startClusterNode({
      port: 0,
      database,
      fanout: c.services.redis.url,
      limits: { unloadAfterMs: 50 },
    })
    nodes.push(n)
    const alice = await n.createToken({ workspaceId: 'W1', memberId: 'alice', access: 'write' })
    const mallory = await n.createToken({ workspaceId: 'W1', memberId: 'mallory', access: 'write' })
    const doc = new Y.Doc()
    doc.clientID = 4242
    const a = client(n.url, 'W1', alice.token, doc)
    clients.push(a)
    await synced(a)
    doc.getText('content').insert(0, 'alice wrote this')
    await waitFor(() => n.stats().commits > 0, 'committed')
    a.destroy()
    clients.length = 0
    await waitFor(() => n.stats().loadedDocuments === 0, 'the room unloaded')
    let cp: { seq: string; owners: string } | undefined
    for (let i = 0; i < 100 && !cp; i++) {
      ;[cp] = await query(database, 'SELECT seq, owners FROM checkpoints WHERE doc = $1', ['W1'])
      if (!cp) await new Promise((r) => setTimeout(r, 50))
    }
    if (!cp) throw new Error('no checkpoint written at unload')
    expect(Number(cp.seq)).toBe(1)
    expect(JSON.parse(cp.owners)).toEqual([[4242, 'alice']])

    // Reloaded from the checkpoint: mallory continues alice's client 4242 and is refused.
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(doc))
    forged.clientID = 4242 // after the apply: Yjs would pick a new id on seeing its own in an update
    const sv = Y.encodeStateVector(forged)
    forged.getText('content').insert(0, 'not alice: ')
    const m = rawSocket(n.url, 'W1', mallory.token)
    await m.open
    m.ws.send(updateFrame(Y.encodeStateAsUpdate(forged, sv)))
    expect(await m.closed).toEqual({
      code: CLOSE.malformed,
      reason: 'update refused: client 4242 belongs to another member',
    })
    const reader = client(n.url, 'W1', alice.token)
    clients.push(reader)
    await synced(reader)
    expect(text(reader)).toBe('alice wrote this')
  })
})
