import { CLOSE } from './close-codes.ts'
import type { Conn } from './connection.ts'
import { encodeUpdate } from './messages.ts'
import type { Room } from './room.ts'
import type { Rooms } from './rooms.ts'
import type { UpdateLog } from './store/update-log.ts'

interface Pending {
  room: Room
  conn: Conn
  member: string
  token: string
  clients: number[]
  data: Uint8Array
}

/**
 * The onStoreDocument hook, made strict: every update accepted during one turn of the event loop
 * is applied to its live document, appended to the log and committed (one fsync) together;
 * only then is anything broadcast. A client can therefore never see an update the log does not
 * hold. An update Yjs cannot integrate is left out of the log, its document is rebuilt from the
 * log and the sender is closed.
 */
export class GroupCommit {
  private queue: Pending[] = []
  private scheduled = false
  private readonly log: UpdateLog
  private readonly rooms: Rooms
  private readonly logLine: (line: string) => void
  commits = 0

  constructor(log: UpdateLog, rooms: Rooms, logLine: (line: string) => void) {
    this.log = log
    this.rooms = rooms
    this.logLine = logLine
  }

  enqueue(p: Pending): void {
    p.room.queued++
    p.room.queuedBytes += p.data.length
    this.queue.push(p)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.flush)
    }
  }

  readonly flush = (): void => {
    this.scheduled = false
    const batch = this.queue
    if (batch.length === 0) return
    this.queue = []
    const accepted: Pending[] = []
    const failed: Pending[] = []
    const touched = new Set<Room>()
    const time = Date.now()
    try {
      this.log.begin()
      for (const p of batch) {
        const room = p.room
        touched.add(room)
        const result = room.apply(p.data)
        if (result === 'failed') {
          failed.push(p)
          room.rebuild(this.log) // sees this transaction's rows, not the failed update
          continue
        }
        if (result === 'noop') continue
        room.seq++
        this.log.append({
          doc: room.name,
          seq: room.seq,
          time,
          member: p.member,
          token: p.token,
          clients: p.clients,
          data: p.data,
        })
        room.bytes += p.data.length
        accepted.push(p)
      }
      for (const room of touched) this.rooms.maybeCheckpoint(room)
      this.log.commit()
      this.commits++
    } catch (err) {
      // Nothing of this batch is durable, so nothing of it may be served: rebuild from the log.
      this.log.rollback()
      this.logLine(`commit failed, ${batch.length} updates refused: ${(err as Error).message}`)
      for (const p of batch) {
        p.room.queued--
        p.room.queuedBytes -= p.data.length
      }
      for (const room of touched) this.tryRebuild(room)
      for (const p of batch) p.conn.close(CLOSE.loadFailed, 'the relay could not store an update')
      return
    }
    for (const p of batch) {
      p.room.queued--
      p.room.queuedBytes -= p.data.length
    }
    for (const p of failed) p.conn.close(CLOSE.malformed, 'update does not apply')
    for (const p of accepted) p.room.broadcast(encodeUpdate(p.data), p.conn)
    for (const room of touched) if (room.conns.length === 0) this.rooms.released(room)
  }

  private tryRebuild(room: Room): void {
    try {
      room.rebuild(this.log)
    } catch (err) {
      this.logLine(`reload of ${room.name} failed: ${(err as Error).message}`)
      for (const c of room.conns) c.close(CLOSE.loadFailed, 'document failed to load')
    }
  }
}
