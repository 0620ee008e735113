import { describe, expect, it } from 'vitest'
import { startClusterNode } from '../../../sync-server/cluster/node.ts'
import { client, synced } from '../relay/helpers.ts'
import { waitFor } from './cluster.ts'
import { inProcessCluster, text } from './support.ts'

/**
 * A document only one node holds is not announced on Redis (cluster/quiet.ts), and a second node
 * that loads it is announced to at once: its clients get the first node's edits, including one
 * committed while the document was quiet, long before a heads check would bring them.
 */
const c = inProcessCluster()
const { clients, nodes } = c

describe('quiet documents', () => {
  it('are not announced while one node holds them, and are again once another loads them', async () => {
    const database = c.services.database()
    // Heads checks a minute apart: only notices can carry edits across in this test's time.
    const opts = { port: 0, database, fanout: c.services.redis.url, headsCheckMs: 60_000 }
    const a = await startClusterNode({ ...opts, nodeId: 'a' })
    const b = await startClusterNode({ ...opts, nodeId: 'b' })
    nodes.push(a, b)
    const token = (await a.createToken({ workspaceId: 'W1', memberId: 'alice', access: 'write' })).token
    const ca = client(a.url, 'W1', token)
    clients.push(ca)
    await synced(ca)
    const t = ca.doc.getText('content')
    for (let i = 0; i < 5; i++) {
      t.insert(t.length, `${i} `)
      await waitFor(() => a.stats().commits > i, `edit ${i} committed`)
    }
    expect(a.stats().quietNotices).toBeGreaterThan(0)
    expect(a.stats().notices).toBeLessThan(5)

    const cb = client(b.url, 'W1', token)
    clients.push(cb)
    await synced(cb)
    await waitFor(() => text(cb) === text(ca), 'b has what a wrote while quiet')
    const started = Date.now()
    t.insert(t.length, 'after b loaded')
    await waitFor(
      () => text(cb).endsWith('after b loaded'),
      'the next edit reaches b through a notice',
      5_000,
    )
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(b.stats().remoteRows).toBeGreaterThan(0)
  })
})
