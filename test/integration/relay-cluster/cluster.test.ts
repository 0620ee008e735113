import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, client, getJson, synced } from '../relay/helpers.ts'
import { type Cluster, type Services, startCluster, startServices, waitFor } from './cluster.ts'
import { checkLog, contains, text } from './support.ts'

let s: Services
let c: Cluster
const clients: Client[] = []

beforeAll(async () => {
  s = await startServices()
  c = await startCluster(s, 3)
}, 60_000)
afterAll(async () => {
  for (const x of clients.splice(0)) x.destroy()
  await c?.stop()
  await s?.stop()
})

const open = (nodeIndex: number, room: string, token: string) => {
  const x = client(c.nodes[nodeIndex]!.url, room, token)
  clients.push(x)
  return x
}

/** The name `of` publishes in its awareness state, as `by` sees it. */
const nameSeen = (by: Client, of: Client) =>
  (by.provider.awareness.getStates().get(of.doc.clientID) as { user?: { name: string } } | undefined)?.user
    ?.name

/** Alice on node 1 and Bob on node 3, both synced on `room`. */
async function aliceAndBob(room: string) {
  const [t1, t2] = await Promise.all([c.token(room, 'alice'), c.token(room, 'bob')])
  const a = open(0, room, t1.token)
  const b = open(2, room, t2.token)
  await Promise.all([synced(a), synced(b)])
  return [a, b] as const
}

describe('relay cluster: three nodes on PostgreSQL and Redis', () => {
  it('clients on different nodes converge; the log is contiguous with no row that changes nothing', async () => {
    const tokens = await Promise.all(['alice', 'bob', 'carol'].map((m) => c.token('W1', m)))
    const a = open(0, 'W1', tokens[0]!.token)
    const b = open(1, 'W1', tokens[1]!.token)
    const d = open(2, 'W1', tokens[2]!.token)
    await Promise.all([synced(a), synced(b), synced(d)])
    // Concurrent edits on all three nodes, many rounds: compare-and-set conflicts happen.
    for (let i = 0; i < 30; i++) {
      a.doc.getText('content').insert(0, 'a')
      b.doc.getText('content').insert(0, 'b')
      d.doc.getText('content').insert(0, 'c')
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 5))
    }
    await waitFor(() => text(a).length === 90 && text(b) === text(a) && text(d) === text(a), 'convergence')
    let rows = await c.rows('W1')
    // Wait until every node has committed what it accepted.
    for (let i = 0; i < 50; i++) {
      rows = await c.rows('W1')
      const log = checkLog(rows)
      if (text(log.doc) === text(a)) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const log = checkLog(rows)
    expect(log.contiguous).toBe(true)
    expect(log.noops).toEqual([])
    expect(text(log.doc)).toBe(text(a))
    expect(new Set(rows.map((r) => r.node)).size).toBe(3)
    // Server time from the database, never decreasing within the document.
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.time).toBeGreaterThanOrEqual(rows[i - 1]!.time)

    // A late joiner on any node gets everything; the trace API answers the same on every node.
    const late = open(1, 'W1', (await c.token('W1', 'dave')).token)
    await waitFor(() => text(late) === text(a), 'late joiner')
    const reader = (await c.token('W1', 'rita', 'read')).token
    const pages = await Promise.all(
      c.nodes.map((n) => getJson(n.url, '/api/docs/W1/updates?limit=1000', reader)),
    )
    for (const p of pages) {
      expect(p.status).toBe(200)
      expect(p.body.updates.map((u: { seq: number }) => u.seq)).toEqual(rows.map((r) => r.seq))
    }
    const content = await getJson(c.nodes[2]!.url, '/api/docs/W1/content', reader)
    expect(content.body.text.content).toBe(text(a))
    expect(contains(log.doc, a.doc)).toBe(true)
  })

  it('awareness crosses nodes, and a member leaving is seen on the others', async () => {
    const [a, b] = await aliceAndBob('W2')
    a.provider.awareness.setLocalStateField('user', { name: 'Alice' })
    await waitFor(() => nameSeen(b, a) === 'Alice', 'alice seen on node 3')
    b.provider.awareness.setLocalStateField('user', { name: 'Bob' })
    await waitFor(() => nameSeen(a, b) === 'Bob', 'bob seen on node 1')
    a.destroy()
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 'alice gone on node 3')
  })

  it('a revoked token is closed on every node within two seconds', async () => {
    const shared = await c.token('W3', 'mallory')
    const conns = c.nodes.map((_, i) => open(i, 'W3', shared.token))
    await Promise.all(conns.map(synced))
    // Revoked in the database only, as by the CLI without --fanout: the sweep finds it.
    await c.db.query('UPDATE tokens SET revoked_at = 1 WHERE id = $1', [shared.id])
    const started = Date.now()
    await waitFor(() => conns.every((x) => x.closes.some((e) => e.code === 4401)), 'closed everywhere', 5000)
    expect(Date.now() - started).toBeLessThan(2500)
    for (const x of conns) x.provider.disconnect()
  })

  // Last: it kills node 1. y-protocols drops a presence nobody renewed for 30 s.
  it("a dead node's members fade on the other nodes within the awareness timeout", async () => {
    const [a, b] = await aliceAndBob('W4')
    a.provider.awareness.setLocalStateField('user', { name: 'Alice' })
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 'alice seen on node 3')
    await c.nodes[0]!.kill()
    const killed = Date.now()
    await waitFor(
      () => !b.provider.awareness.getStates().has(a.doc.clientID),
      'alice fades on node 3',
      45_000,
    )
    expect(Date.now() - killed).toBeLessThan(45_000)
    a.destroy()
  }, 60_000)
})
