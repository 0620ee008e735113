import { afterAll, beforeAll } from 'vitest'
import * as Y from 'yjs'
import type { Client } from '../relay/helpers.ts'

/** Replays a log: rows numbered 1…n with no gap, and every row changes the document. */
export function checkLog(rows: { seq: number; data: Uint8Array }[]): {
  contiguous: boolean
  noops: number[]
  doc: Y.Doc
} {
  const doc = new Y.Doc()
  let changed = false
  doc.on('update', () => {
    changed = true
  })
  const noops: number[] = []
  let contiguous = true
  rows.forEach((r, i) => {
    if (r.seq !== i + 1) contiguous = false
    changed = false
    Y.applyUpdate(doc, r.data)
    if (!changed) noops.push(r.seq)
  })
  return { contiguous, noops, doc }
}

export const text = (c: Client | Y.Doc) => ('doc' in c ? c.doc : c).getText('content').toString()

/** Everything in `b` is in `a`: what a client saw is in the log. */
export function contains(a: Y.Doc, b: Y.Doc): boolean {
  const sa = Y.encodeStateVector(a)
  return Y.diffUpdate(Y.encodeStateAsUpdate(b), sa).length <= 2 || isEmptyDiff(a, b)
}

function isEmptyDiff(a: Y.Doc, b: Y.Doc): boolean {
  const probe = new Y.Doc()
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(a))
  let changed = false
  probe.on('update', () => {
    changed = true
  })
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(b))
  return !changed
}

/**
 * One PostgreSQL and Redis for a test file's in-process nodes (beforeAll/afterAll): the nodes and
 * clients a test pushes are closed when the file ends.
 */
export function inProcessCluster() {
  const state = {
    services: null as unknown as import('./cluster.ts').Services,
    clients: [] as Client[],
    nodes: [] as import('../../../sync-server/cluster/node.ts').ClusterNode[],
  }
  beforeAll(async () => {
    const { startServices } = await import('./cluster.ts')
    state.services = await startServices()
  }, 60_000)
  afterAll(async () => {
    for (const x of state.clients.splice(0)) x.destroy()
    for (const n of state.nodes.splice(0)) await n.close()
    await state.services?.stop()
  })
  return state
}
