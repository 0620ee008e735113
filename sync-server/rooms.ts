import * as Y from 'yjs'
import type { Limits } from './limits.ts'
import { Room, type RoomSource } from './room.ts'
import type { Send } from './send.ts'
import type { UpdateLog } from './store/update-log.ts'

/**
 * The onLoadDocument / onUnloadDocument hooks: documents are loaded from the log when the first
 * connection arrives (before any sync message is answered) and dropped from memory a while
 * after the last one leaves.
 */
export class Rooms {
  readonly loaded = new Map<string, Room>()
  private readonly log: UpdateLog
  /** What rooms are loaded from: the log, with the rows not yet written to it (pending-log.ts). */
  private readonly source: RoomSource
  private readonly limits: Limits
  private readonly send: Send
  private readonly logLine: (line: string) => void

  constructor(
    log: UpdateLog,
    limits: Limits,
    send: Send,
    logLine: (line: string) => void,
    source: RoomSource = log,
  ) {
    this.log = log
    this.source = source
    this.limits = limits
    this.send = send
    this.logLine = logLine
  }

  /** The loaded room, loading it from the log first. Throws when loading fails. */
  open(name: string): Room {
    let room = this.loaded.get(name)
    if (!room) {
      room = new Room(name, this.source, this.send)
      this.loaded.set(name, room)
    }
    return room
  }

  /** Called when a connection leaves: schedule the unload once the room is empty. */
  released(room: Room): void {
    if (room.conns.length > 0 || room.unloadTimer) return
    room.unloadTimer = setTimeout(() => this.unload(room), this.limits.unloadAfterMs)
    room.unloadTimer.unref()
  }

  private unload(room: Room): void {
    room.unloadTimer = null
    if (room.conns.length > 0) return
    if (room.queued > 0) {
      // Updates still waiting for the group commit apply to this document: wait for them.
      this.released(room)
      return
    }
    this.loaded.delete(room.name)
    try {
      if (room.seq > room.checkpointSeq)
        this.log.putCheckpoint(room.name, room.seq, Y.encodeStateAsUpdate(room.doc))
    } catch (err) {
      this.logLine(`checkpoint of ${room.name} failed: ${(err as Error).message}`)
    }
    room.destroy()
  }

  /** Write a checkpoint inside the current transaction when enough updates accumulated. */
  maybeCheckpoint(room: Room): void {
    if (room.seq - room.checkpointSeq < this.limits.checkpointEvery) return
    this.log.putCheckpoint(room.name, room.seq, Y.encodeStateAsUpdate(room.doc))
    room.checkpointSeq = room.seq
  }

  closeAll(): void {
    for (const room of this.loaded.values()) {
      if (room.unloadTimer) clearTimeout(room.unloadTimer)
      room.unloadTimer = null
      room.conns.length = 0
      this.unload(room)
    }
  }
}
