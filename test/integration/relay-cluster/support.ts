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
