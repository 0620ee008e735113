import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Balancer, startBalancer } from '../../support/services.ts'
import { type Client, client, synced } from '../relay/helpers.ts'
import {
  type Cluster,
  type NodeProc,
  type Services,
  startCluster,
  startNode,
  startServices,
  waitFor,
} from './cluster.ts'
import { checkLog, contains, text } from './support.ts'

/**
 * Whatever fails (a node at each point of a commit, Redis, PostgreSQL), nothing any client saw
 * is lost: at the end every client and the log hold the same document, the log is contiguous,
 * and no row changes nothing.
 */

let s: Services
let c: Cluster
const clients: Client[] = []
const extra: NodeProc[] = []
const balancers: Balancer[] = []

beforeAll(async () => {
  s = await startServices()
  // Nodes 2 and 3 live through the whole file; each fault test brings its own node 1.
  c = await startCluster(s, 2)
}, 60_000)
afterAll(async () => {
  for (const x of clients.splice(0)) x.destroy()
  for (const b of balancers) await b.close()
  for (const n of extra) await n.kill()
  await c?.stop()
  await s?.stop()
})

const open = (url: string, room: string, token: string) => {
  const x = client(url, room, token)
  clients.push(x)
  return x
}

/** Alice on node 2 and Bob on node 3 (the ones that live through the file), both synced on `doc`. */
async function aliceAndBob(doc: string) {
  const [a, b] = await Promise.all([
    c.token(doc, 'alice').then((t) => open(c.nodes[0]!.url, doc, t.token)),
    c.token(doc, 'bob').then((t) => open(c.nodes[1]!.url, doc, t.token)),
  ])
  await Promise.all([synced(a), synced(b)])
  return [a, b] as const
}

async function settle(doc: string, all: Client[], timeoutMs = 15_000): Promise<void> {
  await waitFor(() => all.every((x) => text(x) === text(all[0]!)), `clients of ${doc} converge`, timeoutMs)
  const until = Date.now() + timeoutMs
  for (;;) {
    const log = checkLog(await c.rows(doc))
    if (all.every((x) => contains(log.doc, x.doc))) {
      expect(log.contiguous).toBe(true)
      expect(log.noops).toEqual([])
      expect(text(log.doc)).toBe(text(all[0]!))
      return
    }
    if (Date.now() > until) throw new Error(`the log of ${doc} lacks what a client has`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('relay cluster under faults', () => {
  for (const point of ['before-commit', 'after-commit', 'after-notice'] as const) {
    it(`a node SIGKILLed ${point} loses nothing any client saw`, async () => {
      const doc = `F-${point}`
      const victim = await startNode(c.database, s.redis.url, `victim-${point}`, { fault: point })
      extra.push(victim)
      // The writer reaches the victim through the balancer, and fails over to a live node.
      const lb = await startBalancer([victim.port, ...c.nodes.map((n) => n.port)])
      balancers.push(lb)
      lb.pick = () => 0
      const writer = open(lb.url, doc, (await c.token(doc, 'alice')).token)
      const watchers = await Promise.all(
        c.nodes.map(async (n, i) => open(n.url, doc, (await c.token(doc, `w${i}`)).token)),
      )
      await Promise.all([writer, ...watchers].map(synced))
      writer.doc.getText('content').insert(0, 'first ')
      await victim.exited
      expect(victim.proc.signalCode).toBe('SIGKILL')
      // Reconnected through the balancer to a live node, the writer resends what it has.
      await waitFor(() => writer.provider.wsconnected && writer.provider.synced, 'writer reconnected', 10_000)
      writer.doc.getText('content').insert(6, 'second ')
      await settle(doc, [writer, ...watchers])
      expect(text(writer)).toBe('first second ')
    })
  }

  it('Redis killed and restarted mid-run loses nothing', async () => {
    const doc = 'R1'
    const [a, b] = await aliceAndBob(doc)
    a.doc.getText('content').insert(0, 'a1 ')
    await waitFor(() => text(b) === 'a1 ', 'notice delivery')
    await s.redis.kill()
    a.doc.getText('content').insert(0, 'a2 ')
    b.doc.getText('content').insert(0, 'b2 ')
    // Without Redis the heads check carries updates across (slower, not lost).
    await waitFor(() => text(a).length === 9 && text(a) === text(b), 'delivery without redis', 10_000)
    await s.redis.start()
    a.doc.getText('content').insert(0, 'a3 ')
    b.doc.getText('content').insert(0, 'b3 ')
    await settle(doc, [a, b])
    expect(text(a)).toHaveLength(15)
  })

  it('PostgreSQL stopped with -m immediate and restarted loses nothing acknowledged', async () => {
    const doc = 'P1'
    const [a, b] = await aliceAndBob(doc)
    for (let i = 0; i < 5; i++) a.doc.getText('content').insert(0, 'a')
    await waitFor(() => text(b) === 'aaaaa', 'acknowledged before the crash')
    s.pg.stop('immediate')
    // Edits while the database is down: not acknowledged, kept by the clients, resent later.
    for (let i = 0; i < 5; i++) b.doc.getText('content').insert(0, 'b')
    await new Promise((r) => setTimeout(r, 500))
    s.pg.start()
    a.doc.getText('content').insert(0, 'A')
    await settle(doc, [a, b], 30_000)
    expect(text(a)).toHaveLength(11)
  })
})
