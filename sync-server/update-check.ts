import * as Y from 'yjs'

/**
 * "Does it decode": the update must parse completely (every struct, every content, the delete
 * set) with the same readers Y.applyUpdate uses. Parsing happens before Yjs integrates anything,
 * so a truncated varint, random bytes or a bad content tag are caught here without touching a
 * document. Returns the Yjs client ids whose structs the update carries (the trace records them).
 * Throws on anything that does not decode.
 */
export function checkUpdate(update: Uint8Array): number[] {
  if (update.length < 2) throw new Error('update too short')
  const { structs } = Y.decodeUpdate(update)
  const clients: number[] = []
  for (const s of structs) {
    const c = s.id.client
    if (clients[clients.length - 1] !== c && !clients.includes(c)) clients.push(c)
  }
  return clients
}

/** True for the two-byte "nothing" update (no structs, empty delete set) clients send on sync. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0
}
