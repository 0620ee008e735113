import type * as Y from 'yjs'

/**
 * What a document holds but could not integrate yet: Yjs keeps such structs and delete ranges
 * in `store.pendingStructs` / `store.pendingDs` (private fields) and retries them on every
 * update. The relay accepts only updates that integrate completely (update-check.ts), so for it
 * anything pending means a document that went wrong. test/unit/relay/yjs-internals.test.ts fails
 * if Yjs renames them.
 */
export interface Pending {
  structs: Uint8Array | null
  deletes: Uint8Array | null
}

export function pendingOf(doc: Y.Doc): Pending {
  const store = doc.store as unknown as {
    pendingStructs: { update: Uint8Array } | null
    pendingDs: Uint8Array | null
  }
  return { structs: store.pendingStructs?.update ?? null, deletes: store.pendingDs }
}

export function hasPending(doc: Y.Doc): boolean {
  const p = pendingOf(doc)
  return p.structs !== null || p.deletes !== null
}
