import * as Y from 'yjs'
import type { BackendTools } from '../backend.ts'
import type { Conn } from '../connection.ts'
import { integrate, type Pending } from '../group-commit.ts'
import { encodeSyncStep2, encodeUpdate } from '../messages.ts'
import type { CommitQueue } from '../protocol.ts'
import type { Room } from '../room.ts'
import { DurationWindow } from '../stats.ts'
import { Refused } from '../update-check.ts'
import type { ClusterRooms, RoomState } from './cluster-rooms.ts'
import { type Fanout, INLINE_NOTICE_BYTES, type Notice, type NoticeRow } from './fanout.ts'
import type { DocAppend, PgStore, Row } from './pg-store.ts'

/** Commit rounds in flight at once, each of other rooms. */
const MAX_ROUNDS = 2

export type FaultPoint = 'before-commit' | 'after-commit' | 'after-notice'

/**
 * All work on a cluster node's log runs in this one loop, one step at a time: catch up on what
 * other nodes committed, then one group commit of every update accepted meanwhile. Accepted
 * updates wait in their room's inbox, unapplied, until a commit round takes them: the live
 * document is therefore the committed log prefix `room.seq`, plus, while a round's transaction is
 * in flight, that round's updates. A sync answer computed then waits for the round's end. A round
 * whose compare-and-set finds the document's head moved on (another node wrote) leaves that
 * document out; the room is rebuilt from the log and its updates go back to the inbox, where
 * those the log already has integrate as no-ops and are dropped (no duplicate rows).
 *
 * Nothing is broadcast before COMMIT returned: a client never sees an update PostgreSQL could
 * lose (synchronous_commit=on).
 */
export class CommitLoop implements CommitQueue {
  commits = 0
  behind = 0
  remoteRows = 0
  readonly pgCommitTimes = new DurationWindow()
  /** Bytes of updates accepted and not yet committed; past --max-pending-bytes reading pauses. */
  heldBytes = 0
  pressured = false
  rooms!: ClusterRooms
  fanout!: Fanout
  private running = false
  /** Rounds whose transaction is in PostgreSQL now. */
  private rounds = 0
  private again = false
  private idle: (() => void)[] = []
  private fault: FaultPoint | undefined
  private readonly store: PgStore
  private readonly tools: BackendTools
  private readonly nodeId: string

  constructor(store: PgStore, tools: BackendTools, nodeId: string, fault: FaultPoint | undefined) {
    this.store = store
    this.tools = tools
    this.nodeId = nodeId
    this.fault = fault
  }

  enqueue(p: Pending): void {
    const s = this.rooms.states.get(p.room)
    if (!s) return
    p.room.queued++
    p.room.queuedBytes += p.data.length
    s.inbox.push(p)
    this.hold(p.data.length)
    this.kick()
  }

  answerSync(conn: Conn, stateVector: Uint8Array): void {
    Y.decodeStateVector(stateVector) // throws on garbage: the connection is closed as malformed
    const room = conn.room!
    const s = this.rooms.states.get(room)
    if (!s) return // the room was dropped; this connection is being closed
    if (this.rooms.inFlight.has(room) || s.stale) s.waiters.push([conn, stateVector])
    else this.tools.send(conn, encodeSyncStep2(Y.encodeStateAsUpdate(room.doc, stateVector)))
  }

  readonly kick = (): void => {
    this.again = true
    if (this.running) return
    this.running = true
    setImmediate(this.loop)
  }

  whenIdle(): Promise<void> {
    if (!this.running && !this.again && this.rounds === 0) return Promise.resolve()
    return new Promise((r) => this.idle.push(r))
  }

  private readonly loop = async (): Promise<void> => {
    const { logLine } = this.tools
    try {
      while (this.again) {
        this.again = false
        let failed = false
        for (const [room, s] of this.rooms.states) {
          // A room in a round's transaction is caught up once the round is over.
          if (this.rooms.inFlight.has(room)) continue
          if (s.stale || s.remote.length > 0 || s.target > room.seq) {
            await this.catchUp(room, s).catch((err: Error) => {
              failed = true
              logLine(`catching up on ${room.name} failed: ${err.message}`)
            })
          }
        }
        // The database is unreachable: try again a little later rather than at once.
        if (failed) await new Promise((r) => setTimeout(r, 250))
        await this.checkpoints()
        if (this.rounds >= MAX_ROUNDS) continue // the round that ends kicks the loop again
        this.startRound()
        // Updates a lost compare-and-set put back, or that arrived meanwhile.
        for (const [room, st] of this.rooms.states)
          if ((st.inbox.length > 0 || st.stale) && !this.rooms.inFlight.has(room) && this.rounds < MAX_ROUNDS)
            this.again = true
      }
    } catch (err) {
      logLine(`internal error in the commit loop: ${(err as Error).stack}`)
    } finally {
      this.running = false
      if (this.again) this.kick()
      else if (this.rounds === 0) for (const fn of this.idle.splice(0)) fn()
    }
  }

  private applyRow(room: Room, s: RoomState, row: NoticeRow | Row): boolean {
    if (row.seq <= room.seq) return true
    if (row.seq !== room.seq + 1) return false
    if (room.apply(row.data) === 'failed') {
      s.stale = true
      return false
    }
    room.seq = row.seq
    room.bytes += row.data.length
    for (const c of row.clients) if (!room.clientOwners.has(c)) room.clientOwners.set(c, row.member)
    this.remoteRows++
    room.broadcast(encodeUpdate(row.data), null)
    return true
  }

  private async catchUp(room: Room, s: RoomState): Promise<void> {
    if (s.stale) return this.rebuild(room, s)
    const notices = s.remote.sort((a, b) => a.firstSeq - b.firstSeq)
    s.remote = []
    for (const n of notices) {
      s.target = Math.max(s.target, n.firstSeq + n.count - 1)
      if (n.rows && n.firstSeq <= room.seq + 1) for (const r of n.rows) if (!this.applyRow(room, s, r)) break
    }
    if (s.stale) return this.rebuild(room, s)
    if (s.target > room.seq) {
      const rows = await this.store.rows(room.name, room.seq, s.target)
      if (this.rooms.rooms.get(room.name) !== room) return
      for (const r of rows) if (!this.applyRow(room, s, r)) break
      if (s.stale) return this.rebuild(room, s)
    }
    this.answerWaiters(room, s)
  }

  /** Build the room again from the log and send its clients the rows they lack. */
  private async rebuild(room: Room, s: RoomState): Promise<void> {
    const old = room.seq
    const snap = await this.store.load(room.name, old)
    if (this.rooms.rooms.get(room.name) !== room) return
    room.rebuild(snap)
    for (const [c, m] of snap.owners) if (!room.clientOwners.has(c)) room.clientOwners.set(c, m)
    s.stale = false
    s.target = Math.max(s.target, room.seq)
    for (const r of snap.rows) if (r.seq > old) room.broadcast(encodeUpdate(r.data), null)
    this.answerWaiters(room, s)
  }

  private answerWaiters(room: Room, s: RoomState): void {
    if (s.stale || this.rooms.inFlight.has(room)) return
    for (const [conn, sv] of s.waiters.splice(0))
      if (conn.room === room) this.tools.send(conn, encodeSyncStep2(Y.encodeStateAsUpdate(room.doc, sv)))
  }

  /** Integrate each room's inbox into its live document: what changes it goes to the log. */
  private take(): { docs: DocAppend[]; taken: Map<Room, Pending[]> } {
    const docs: DocAppend[] = []
    const taken = new Map<Room, Pending[]>()
    for (const [room, s] of this.rooms.states) {
      if (s.inbox.length === 0 || s.stale || this.rooms.inFlight.has(room)) continue
      const batch = s.inbox
      s.inbox = []
      const changed: Pending[] = []
      for (let i = 0; i < batch.length; i++) {
        const p = batch[i]!
        let half = false
        const r = integrate(p, this.tools.logLine, () => {
          half = true
        })
        if (r === 'changed') {
          changed.push(p)
          continue
        }
        this.release(p)
        if (r instanceof Refused) this.tools.refuseUpdate(p, r)
        if (half) {
          // The live document may be half-changed: what follows waits for the rebuild.
          s.stale = true
          s.inbox = batch.slice(i + 1).concat(s.inbox)
          break
        }
      }
      if (changed.length === 0) continue
      taken.set(room, changed)
      this.rooms.inFlight.add(room)
      docs.push({
        doc: room.name,
        expected: room.seq,
        rows: changed.map((p) => ({ member: p.member, token: p.token, clients: p.clients, data: p.data })),
      })
    }
    return { docs, taken }
  }

  /**
   * Take what waits in the rooms that are not in a round and commit it, without waiting: up to
   * MAX_ROUNDS rounds (of different rooms) are in PostgreSQL at once, so updates that arrive
   * during one commit do not wait for it to end before theirs starts.
   */
  private startRound(): void {
    const { docs, taken } = this.take()
    if (docs.length === 0) return
    this.rounds++
    this.round(docs, taken)
      .catch((err: Error) => this.tools.logLine(`internal error in a commit round: ${err.stack}`))
      .finally(() => {
        this.rounds--
        this.kick()
      })
  }

  private async round(docs: DocAppend[], taken: Map<Room, Pending[]>): Promise<void> {
    const firstFault = this.fault
    const faultAt = (point: FaultPoint) => {
      if (firstFault === point) process.kill(process.pid, 'SIGKILL')
    }
    let result: Awaited<ReturnType<PgStore['append']>>
    try {
      result = await this.store.append(
        docs,
        firstFault === 'before-commit' ? () => faultAt('before-commit') : undefined,
      )
    } catch (err) {
      // Whether it committed is unknown: nothing of it is served, every client of these
      // documents reconnects and resends what it has; the room is read again from the log.
      this.tools.logLine(`commit failed, ${docs.length} documents closed: ${(err as Error).message}`)
      for (const [room, changed] of taken) {
        this.rooms.inFlight.delete(room)
        for (const p of changed) this.release(p)
        this.rooms.drop(room, 'the relay could not store an update')
      }
      return
    }
    this.fault = undefined
    faultAt('after-commit')
    this.commits++
    this.pgCommitTimes.add(result.ms)
    const published = this.publish(taken, result.written)
    if (firstFault === 'after-notice') {
      await published
      await new Promise((r) => setTimeout(r, 20))
      faultAt('after-notice')
    }
  }

  /** Committed: broadcast to this node's clients and announce to the other nodes. */
  private publish(taken: Map<Room, Pending[]>, written: Map<string, number>): Promise<void> {
    const notices: Notice[] = []
    for (const [room, changed] of taken) {
      this.rooms.inFlight.delete(room)
      const s = this.rooms.states.get(room)!
      if (written.get(room.name) === undefined) {
        // Behind: another node appended first. Rebuild from the log and integrate again.
        this.behind++
        s.stale = true
        s.inbox = changed.concat(s.inbox)
        continue
      }
      const first = room.seq + 1
      const rows: NoticeRow[] = []
      let bytes = 0
      for (const p of changed) {
        this.release(p)
        room.seq++
        room.bytes += p.data.length
        bytes += p.data.length
        for (const c of p.clients) if (!room.clientOwners.has(c)) room.clientOwners.set(c, p.member)
        room.broadcast(encodeUpdate(p.data), p.conn)
        rows.push({ seq: room.seq, member: p.member, clients: p.clients, data: p.data })
      }
      s.target = Math.max(s.target, room.seq)
      notices.push({
        doc: room.name,
        node: this.nodeId,
        firstSeq: first,
        count: rows.length,
        rows: bytes <= INLINE_NOTICE_BYTES ? rows : null,
      })
      this.answerWaiters(room, s)
    }
    return this.fanout.notices(notices)
  }

  /** Write the checkpoints that are due (of rooms not in a round: an exact log prefix). */
  private async checkpoints(): Promise<void> {
    const { logLine, limits } = this.tools
    for (const [room, s] of this.rooms.states) {
      if (room.seq - room.checkpointSeq < limits.checkpointEvery || s.stale || this.rooms.inFlight.has(room))
        continue
      room.checkpointSeq = room.seq
      await this.store
        .putCheckpoint(room.name, room.seq, Y.encodeStateAsUpdate(room.doc), room.clientOwners)
        .catch((err: Error) => logLine(`checkpoint of ${room.name} failed: ${err.message}`))
    }
  }

  readonly release = (p: Pending): void => {
    p.room.queued--
    p.room.queuedBytes -= p.data.length
    this.hold(-p.data.length)
  }

  /**
   * Memory for updates waiting on PostgreSQL is bounded (--max-pending-bytes): past it no
   * connection is read from until half of it has drained; TCP then slows the senders down.
   */
  private hold(bytes: number): void {
    const { limits, logLine } = this.tools
    this.heldBytes += bytes
    const over = this.pressured
      ? this.heldBytes > limits.maxPendingBytes / 2
      : this.heldBytes > limits.maxPendingBytes
    if (over === this.pressured) return
    this.pressured = over
    logLine(
      over
        ? `${this.heldBytes} bytes of updates wait for the database: reading paused`
        : 'the backlog drained: reading resumed',
    )
    this.tools.setReading(over)
  }
}
