/**
 * The y-indexeddb internals the window relies on, in one place, each checked where it is used
 * (test/unit/renderer/data/idb-internals.test.ts fails when the library changes them):
 *
 * - `_dbref`, its read cursor: set before its first fetch, it reads only what came after the
 *   changes this window already read itself (sync.ts reads the store first, to survive damage).
 * - `_storeUpdate`, its 'update' listener: off while the window applies what it read from the
 *   store, which must not be stored again, and whose listener would make Yjs encode the whole
 *   load (2 MiB for a 10,000-output workspace) only for it to be dropped; once loaded, fed from an
 *   UpdateBatch, so a keystroke's task does not open an IndexedDB transaction of its own.
 *
 * When either is not what is expected, the load still works: fully read twice, or encoded once.
 */
import type { IndexeddbPersistence } from 'y-indexeddb'
import type * as Y from 'yjs'
import { UpdateBatch } from './update-batch.ts'

type Internals = { _dbref?: unknown; _storeUpdate?: unknown }

/** Let y-indexeddb's first fetch start after `key` (it then reads only newer changes). */
export function readAfter(persistence: IndexeddbPersistence, key: number): boolean {
  const p = persistence as unknown as Internals
  if (typeof p._dbref !== 'number') return false
  p._dbref = key + 1
  return true
}

/** Run `fn` with y-indexeddb not listening to the document (what `fn` applies is not stored). */
export function unstored(persistence: IndexeddbPersistence, doc: Y.Doc, fn: () => void): void {
  const listener = (persistence as unknown as Internals)._storeUpdate
  if (typeof listener !== 'function') {
    fn()
    return
  }
  const storeUpdate = listener as (update: Uint8Array, origin: unknown) => void
  doc.off('update', storeUpdate)
  try {
    fn()
  } finally {
    doc.on('update', storeUpdate)
  }
}

/**
 * Store the document's changes after the frame that shows them, merged per frame, instead of one
 * IndexedDB transaction inside each change's task. Returns the batch (flush it before waiting for
 * the disk or closing) and how to stop, or null when y-indexeddb is not what is expected (it then
 * keeps storing each change itself).
 */
export function storeAfterFrame(
  persistence: IndexeddbPersistence,
  doc: Y.Doc,
): { batch: UpdateBatch; stop: () => void } | null {
  const listener = (persistence as unknown as Internals)._storeUpdate
  if (typeof listener !== 'function') return null
  const storeUpdate = listener as (update: Uint8Array, origin: unknown) => void
  const batch = new UpdateBatch(storeUpdate)
  // y-indexeddb's own changes (what it read) are not stored again, as its listener decides.
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== persistence) batch.add(update, origin)
  }
  doc.off('update', storeUpdate)
  doc.on('update', onUpdate)
  return {
    batch,
    stop: () => {
      batch.flush()
      doc.off('update', onUpdate)
    },
  }
}
