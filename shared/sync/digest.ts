/**
 * A digest of a Yjs document's structure, to tell whether two copies that hold the same updates
 * also hold them in the same order.
 *
 * Yjs converges for updates made by honest clients. A crafted item can name neighbours that were
 * not neighbours when it was made; members who hold unsent edits of their own then place it
 * differently from the relay (issue 13: a relay cannot know what the item's author knew, so it
 * cannot refuse such an item without refusing honest concurrent edits too). Such copies end up
 * with the same state vector and a different order of items, and so may the relay's own copy.
 * Comparing a copy's digest with its canonical copy's (below) finds them without asking anyone;
 * comparing digests of two copies with equal state vectors finds them between machines.
 *
 * The digest covers the order of item ids in every list (top-level entries and nested types,
 * deleted items included, since they still hold their place) and the current item under each
 * map key. It leaves out content (same ids mean same content: the relay refuses an id reused
 * with other content) and deletions (a delete may still be on its way while the state vectors
 * are already equal). It does not depend on how Yjs happened to split or merge items.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

export interface DocDigest {
  /** Y.encodeStateVector, hex. */
  stateVector: string
  /** sha256 of the structure, hex. */
  structure: string
}

export function docDigest(doc: Y.Doc): DocDigest {
  const e = encoding.createEncoder()
  const roots = Array.from(doc.share.entries())
    .filter(([, type]) => type._start !== null || type._map.size > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (const [name, type] of roots) {
    encoding.writeVarString(e, name)
    writeType(e, type)
  }
  return {
    stateVector: bytesToHex(Y.encodeStateVector(doc)),
    structure: bytesToHex(sha256(encoding.toUint8Array(e))),
  }
}

/** Do two digests show the same updates in a different order? (Different updates: unknown yet.) */
export function diverged(a: DocDigest, b: DocDigest): boolean {
  return a.stateVector === b.stateVector && a.structure !== b.structure
}

/**
 * The canonical copy of a document: a new document built from its state. Y.encodeStateAsUpdate
 * writes each item with its own neighbours, client by client in clock order, so its bytes depend
 * only on which updates a copy holds, not on the order they arrived in; every copy that holds
 * the same updates has the same canonical copy, which is also exactly what a joining member gets.
 */
export function canonicalCopy(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc({ gc: doc.gc })
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/**
 * Does this copy hold its items in the canonical order? False only after a crafted item was
 * placed differently here than it is for a joining member (see above): such a copy shows words
 * that others do not see, and is to be replaced by its canonical copy before anyone judges it.
 */
export function isCanonical(doc: Y.Doc): boolean {
  const copy = canonicalCopy(doc)
  try {
    return docDigest(copy).structure === docDigest(doc).structure
  } finally {
    copy.destroy()
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the entries of a document loaded from updates are untyped
type AnyType = Y.AbstractType<any>

function writeType(e: encoding.Encoder, type: AnyType): void {
  writeList(e, type._start)
  const keys = Array.from(type._map.keys()).sort()
  encoding.writeVarUint(e, keys.length)
  for (const key of keys) {
    // The key's current item. The older ones under it are deleted and never again a neighbour
    // (a later write goes after the current one), and copies may order them differently.
    const item = type._map.get(key)!
    encoding.writeVarString(e, key)
    encoding.writeVarUint(e, item.id.client)
    encoding.writeVarUint(e, item.id.clock)
    if (item.content instanceof Y.ContentType && !item.deleted) writeType(e, item.content.type)
  }
}

/** The runs of consecutive ids (client, first clock, length), then the nested types in order. */
function writeList(e: encoding.Encoder, start: Y.Item | null): void {
  const runs: number[] = []
  const nested: AnyType[] = []
  for (let item: Y.Item | null = start; item !== null; item = item.right) {
    const n = runs.length
    if (n > 0 && runs[n - 3] === item.id.client && runs[n - 2]! + runs[n - 1]! === item.id.clock) {
      runs[n - 1]! += item.length
    } else {
      runs.push(item.id.client, item.id.clock, item.length)
    }
    // A deleted type's insides may already be collected on one copy and not yet on another.
    if (item.content instanceof Y.ContentType && !item.deleted) nested.push(item.content.type)
  }
  encoding.writeVarUint(e, runs.length / 3)
  for (const x of runs) encoding.writeVarUint(e, x)
  for (const type of nested) writeType(e, type)
}
