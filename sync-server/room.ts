import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Conn } from './connection.ts'
import { encodeAwareness } from './messages.ts'
import type { Send } from './send.ts'
import { hasPending } from './yjs-internals.ts'

export type ApplyResult = 'changed' | 'noop' | 'failed'

/**
 * What a room is built from: the SQLite log itself (UpdateLog), or a snapshot of it read ahead
 * from PostgreSQL (cluster/pg-store.ts), both answered synchronously.
 */
export interface RoomSource {
  checkpoint(doc: string): { seq: number; data: Uint8Array } | undefined
  stats(doc: string): { seq: number; bytes: number }
  updates(doc: string, afterSeq: number): Uint8Array[]
  clientOwners(doc: string): Map<number, string>
}

/**
 * One loaded document and its connections. The Y.Doc is a cache of the log: it is built from the
 * log (checkpoint + later rows) and rebuilt from it whenever it might disagree.
 */
export class Room {
  readonly name: string
  doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  conns: Conn[] = []
  /** The member each Yjs client id belongs to: who first wrote it (update-check.ts). */
  readonly clientOwners: Map<number, string>
  /** Who controls each awareness client id (awareness.ts); O(1) per entry both ways. */
  readonly awarenessOwners = new Map<number, Conn>()
  /** Last committed sequence number and logged bytes (the document-size limit counts these). */
  seq = 0
  bytes = 0
  checkpointSeq = 0
  /** Updates accepted from clients and not yet released (committed and durable, or refused). */
  queued = 0
  /** Bytes of the queued updates not yet committed (the document-size limit counts these too). */
  queuedBytes = 0
  /** Updates the live document holds that are committed but not yet durable (group-commit.ts). */
  undurable = 0
  unloadTimer: NodeJS.Timeout | null = null
  private changed = false
  private readonly send: Send

  constructor(name: string, log: RoomSource, send: Send) {
    this.name = name
    this.send = send
    this.doc = this.build(log)
    this.clientOwners = log.clientOwners(name)
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    // The relay is no awareness participant itself.
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onAwareness)
  }

  /**
   * Load from the log. Throws when a stored update cannot be applied, or when the log holds
   * updates that do not integrate (a document poisoned before the relay checked updates): the
   * caller closes with 4500 and `relay doc repair` rebuilds it.
   */
  private build(log: RoomSource): Y.Doc {
    const doc = new Y.Doc()
    const cp = log.checkpoint(this.name)
    const { seq, bytes } = log.stats(this.name)
    doc.transact(() => {
      if (cp) Y.applyUpdate(doc, cp.data)
      for (const u of log.updates(this.name, cp?.seq ?? 0)) Y.applyUpdate(doc, u)
    })
    if (hasPending(doc)) {
      doc.destroy()
      throw new NeedsRepair(this.name)
    }
    this.seq = seq
    this.bytes = bytes
    this.checkpointSeq = cp?.seq ?? 0
    // Yjs's own test for whether a transaction makes an 'update' event, without the encoding of
    // the update that listening for 'update' costs on every apply.
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.deleteSet.clients.size > 0) this.changed = true
      else
        for (const [client, clock] of tr.afterState)
          if (tr.beforeState.get(client) !== clock) this.changed = true
    })
    return doc
  }

  /** Replace the live document with one freshly built from the log (after a failed apply). */
  rebuild(log: RoomSource): void {
    this.doc = this.build(log)
  }

  /**
   * Apply a checked update (update-check.ts) to the live document. 'noop' when it adds nothing,
   * 'failed' when Yjs threw while integrating it or could not integrate all of it (it holds
   * something pending: the check should make that impossible); then the document may be
   * half-changed and the caller must rebuild it from the log.
   */
  apply(update: Uint8Array): ApplyResult {
    this.changed = false
    try {
      Y.applyUpdate(this.doc, update)
    } catch {
      return 'failed'
    }
    if (hasPending(this.doc)) return 'failed'
    return this.changed ? 'changed' : 'noop'
  }

  /**
   * The member a Yjs client id belongs to: who first wrote it, or whose live connection uses it
   * as its presence id (a stock client's awareness id is its document's client id), so no one
   * can write under the id of a member who is about to make their first edit.
   */
  ownerOf(client: number): string | undefined {
    return this.clientOwners.get(client) ?? this.awarenessOwners.get(client)?.grant?.memberId
  }

  broadcast(message: Uint8Array, except: Conn | null): void {
    if (this.send.all) this.send.all(this.conns, message, except)
    else for (const conn of this.conns) if (conn !== except) this.send(conn, message)
  }

  add(conn: Conn): void {
    this.conns.push(conn)
    if (this.unloadTimer) {
      clearTimeout(this.unloadTimer)
      this.unloadTimer = null
    }
  }

  remove(conn: Conn): void {
    const i = this.conns.indexOf(conn)
    if (i === -1) return
    this.conns[i] = this.conns[this.conns.length - 1]!
    this.conns.pop()
    const ids = conn.awarenessIds
    if (!ids || ids.size === 0) return
    for (const id of ids) this.awarenessOwners.delete(id)
    awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(ids), null)
    conn.awarenessIds = null
  }

  destroy(): void {
    this.awareness.destroy()
    this.doc.destroy()
  }

  private readonly onAwareness = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const ids = change.added.concat(change.updated, change.removed)
    if (origin && typeof origin === 'object' && 'awarenessIds' in origin) {
      const conn = origin as Conn
      conn.awarenessIds ??= new Set()
      for (const list of [change.added, change.updated]) {
        for (const id of list) {
          conn.awarenessIds.add(id)
          this.awarenessOwners.set(id, conn)
        }
      }
    }
    for (const id of change.removed) {
      this.awarenessOwners.get(id)?.awarenessIds?.delete(id)
      this.awarenessOwners.delete(id)
    }
    // Echo to everyone, the sender included: a stock client that hears nothing for 30 s drops
    // the connection, and its own awareness renewal is what it hears when it is alone.
    this.broadcast(encodeAwareness(this.awareness, ids), null)
  }
}

export class NeedsRepair extends Error {
  constructor(doc: string) {
    super(`${doc} holds updates that do not apply; stop the relay and run: relay doc repair --doc ${doc}`)
  }
}
