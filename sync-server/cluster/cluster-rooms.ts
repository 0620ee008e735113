import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { CLOSE } from '../close-codes.ts'
import type { Conn } from '../connection.ts'
import type { Pending } from '../group-commit.ts'
import type { Limits } from '../limits.ts'
import { Room } from '../room.ts'
import type { Send } from '../send.ts'
import type { Fanout, Notice } from './fanout.ts'
import type { PgStore } from './pg-store.ts'

export interface RoomState {
  /** Accepted, not yet taken by a commit round, in arrival order. */
  inbox: Pending[]
  /** Notices from other nodes, not yet applied. */
  remote: Notice[]
  /** Highest head the heads check or a notice announced. */
  target: number
  /** The live document may hold what the log has not (a lost compare-and-set, a failed apply). */
  stale: boolean
  /** Sync answers waiting for the round in flight. */
  waiters: [Conn, Uint8Array][]
  awarenessIds: Set<number>
  awarenessTimer: NodeJS.Timeout | null
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] }

const AWARENESS_COALESCE_MS = 30
const REMOTE = 'remote'
/** Owner of awareness ids whose connection is on another node: no local connection may set them. */
const REMOTE_OWNER = { grant: null, awarenessIds: null } as unknown as Conn

/**
 * A cluster node's loaded documents: one load/unload state machine per document (an open during
 * an unload waits for its checkpoint), loaded subscribe-first-then-read so that nothing committed
 * between the read and the subscription is missed, and presence crossing nodes.
 */
export class ClusterRooms {
  readonly rooms = new Map<string, Room>()
  readonly states = new Map<Room, RoomState>()
  /** Rooms whose updates are in the commit round's transaction now. */
  readonly inFlight = new Set<Room>()
  private readonly loading = new Map<string, Promise<Room>>()
  readonly unloading = new Map<string, Promise<void>>()
  /** Notices for documents being loaded: applied once loaded (subscribe first, then read). */
  private readonly early = new Map<string, Notice[]>()
  fanout!: Fanout
  private readonly store: PgStore
  private readonly limits: Limits
  private readonly send: Send
  private readonly logLine: (line: string) => void
  private readonly nodeId: string
  /** Something waits for the commit loop (a notice to apply). */
  private readonly kick: () => void
  /** Give back an update's place in the memory limit. */
  private readonly release: (p: Pending) => void

  constructor(args: {
    store: PgStore
    limits: Limits
    send: Send
    logLine: (line: string) => void
    nodeId: string
    kick: () => void
    release: (p: Pending) => void
  }) {
    this.store = args.store
    this.limits = args.limits
    this.send = args.send
    this.logLine = args.logLine
    this.nodeId = args.nodeId
    this.kick = args.kick
    this.release = args.release
  }

  /** A notice from Redis: queued for the commit loop (or for the load in progress). */
  onNotice(n: Notice): void {
    if (n.node === this.nodeId) return
    const e = this.early.get(n.doc)
    if (e) {
      e.push(n)
      return
    }
    const room = this.rooms.get(n.doc)
    if (!room) return
    this.states.get(room)!.remote.push(n)
    this.kick()
  }

  /** Presence from another node; `update` null asks for this node's members' presence. */
  onRemoteAwareness(doc: string, from: string, update: Uint8Array | null): void {
    if (from === this.nodeId) return
    const room = this.rooms.get(doc)
    if (!room) return
    if (update === null) {
      // A node that has just loaded the document: it may lack what this node committed without
      // a notice (quiet.ts); announcing the head makes it read that from the log at once.
      void this.fanout.notices([{ doc, node: this.nodeId, firstSeq: room.seq, count: 1, rows: null }])
      const mine = [...room.awarenessOwners].filter(([, c]) => c !== REMOTE_OWNER).map(([id]) => id)
      if (mine.length > 0)
        this.fanout.awareness(doc, awarenessProtocol.encodeAwarenessUpdate(room.awareness, mine))
      return
    }
    try {
      awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE)
    } catch (err) {
      this.logLine(`awareness from ${from} for ${doc} not applied: ${(err as Error).message}`)
    }
  }

  async open(name: string): Promise<Room> {
    for (;;) {
      const room = this.rooms.get(name)
      if (room) return room
      const u = this.unloading.get(name)
      if (u) {
        await u
        continue
      }
      const l = this.loading.get(name)
      if (l) return l
      const p = this.load(name)
      this.loading.set(name, p)
      try {
        return await p
      } finally {
        this.loading.delete(name)
      }
    }
  }

  private async load(name: string): Promise<Room> {
    this.early.set(name, [])
    try {
      // Subscribe first, then read: a commit after the read is announced to us.
      await this.fanout.subscribe(name)
      await this.store.ensureHead(name)
      const snap = await this.store.load(name)
      const room = new Room(name, snap, this.send)
      const s: RoomState = {
        inbox: [],
        remote: this.early.get(name) ?? [],
        target: room.seq,
        stale: false,
        waiters: [],
        awarenessIds: new Set(),
        awarenessTimer: null,
      }
      this.rooms.set(name, room)
      this.states.set(room, s)
      room.awareness.on('update', (change: AwarenessChange, origin: unknown) =>
        this.onAwareness(room, s, change, origin),
      )
      this.fanout.awareness(name, null) // ask the other nodes for their members' presence here
      if (s.remote.length > 0) this.kick()
      return room
    } catch (err) {
      this.fanout.unsubscribe(name)
      throw err
    } finally {
      this.early.delete(name)
    }
  }

  private onAwareness(room: Room, s: RoomState, change: AwarenessChange, origin: unknown): void {
    if (origin === REMOTE) {
      for (const id of change.added.concat(change.updated)) room.awarenessOwners.set(id, REMOTE_OWNER)
      return
    }
    if (origin === 'timeout') return
    // A local member's presence (or its leaving): to the other nodes, coalesced.
    for (const id of change.added.concat(change.updated, change.removed))
      if (room.awarenessOwners.get(id) !== REMOTE_OWNER) s.awarenessIds.add(id)
    if (s.awarenessTimer || s.awarenessIds.size === 0) return
    s.awarenessTimer = setTimeout(() => {
      s.awarenessTimer = null
      const ids = [...s.awarenessIds]
      s.awarenessIds.clear()
      if (this.states.get(room) === s)
        this.fanout.awareness(room.name, awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids))
    }, AWARENESS_COALESCE_MS)
  }

  released(room: Room): void {
    if (room.conns.length > 0 || room.unloadTimer || this.rooms.get(room.name) !== room) return
    room.unloadTimer = setTimeout(() => this.unload(room), this.limits.unloadAfterMs)
    room.unloadTimer.unref()
  }

  private forget(room: Room, s: RoomState | undefined): void {
    this.rooms.delete(room.name)
    this.states.delete(room)
    this.fanout.unsubscribe(room.name)
    if (s?.awarenessTimer) clearTimeout(s.awarenessTimer)
  }

  unload(room: Room): void {
    room.unloadTimer = null
    const s = this.states.get(room)
    if (!s || room.conns.length > 0) return
    if (s.inbox.length > 0 || this.inFlight.has(room) || s.stale || s.remote.length > 0) {
      this.released(room)
      return
    }
    this.forget(room, s)
    // Exactly the log up to room.seq: nothing is in flight and the inbox is empty.
    const data = room.seq > room.checkpointSeq ? Y.encodeStateAsUpdate(room.doc) : null
    const seq = room.seq
    const owners = room.clientOwners
    room.destroy()
    if (!data) return
    const p = this.store
      .putCheckpoint(room.name, seq, data, owners)
      .catch((err: Error) => this.logLine(`checkpoint of ${room.name} failed: ${err.message}`))
      .finally(() => this.unloading.delete(room.name))
    this.unloading.set(room.name, p)
  }

  /** Close the room's connections and forget it; the next connection reads it from the log. */
  drop(room: Room, reason: string): void {
    const s = this.states.get(room)
    if (s) for (const p of s.inbox) this.release(p)
    this.forget(room, s)
    for (const c of [...room.conns]) c.close(CLOSE.loadFailed, reason)
    if (room.unloadTimer) clearTimeout(room.unloadTimer)
    room.destroy()
  }

  /** Unload every room (the node is stopping; no connection is left). */
  async unloadAll(): Promise<void> {
    for (const room of [...this.rooms.values()]) {
      if (room.unloadTimer) clearTimeout(room.unloadTimer)
      room.conns.length = 0
      this.unload(room)
    }
    await Promise.all(this.unloading.values())
  }
}
