import * as Y from 'yjs'
import { CLOSE } from './close-codes.ts'
import type { Conn } from './connection.ts'
import { encodeSyncStep2, encodeUpdate } from './messages.ts'
import type { ApplyResult, Room } from './room.ts'
import type { Rooms } from './rooms.ts'
import type { Send } from './send.ts'
import { DurationWindow } from './stats.ts'
import type { Journal } from './store/journal.ts'
import { PendingLog } from './store/pending-log.ts'
import type { LogEntry, UpdateLog } from './store/update-log.ts'
import type { WalSync } from './store/wal-sync.ts'
import { checkUpdate, integratedSafely, Refused, statesBefore } from './update-check.ts'
import type { ParsedUpdate } from './update-parse.ts'

/**
 * How long the relay must have been quiet (nothing committed, nothing syncing) for an update to
 * be committed the moment it arrives instead of at the end of the event loop's turn. A quiet
 * relay has no one to batch with, and the hop to the end of the turn was 30-60 µs of every edit's
 * latency. Under load the relay commits more often than this, so updates keep sharing commits;
 * and the updates that arrive in the same turn as one committed at once share the next commit.
 */
const QUIET_MS = 1

/**
 * Rows of updates durable in the journal are written to SQLite this long after the first of them
 * was broadcast, or at once when this many (or bytes) wait. Written right after each broadcast,
 * the SQLite transaction and the WAL pages it dirties met the next edits on the CPU and the disk
 * (1 → 1, disk: p50 0.14 ms and p99 0.27 ms slower than with no rows written at all).
 */
const ROWS_AFTER_MS = 50
/**
 * When the rows are due but an update was committed less than this long ago, edits are flowing:
 * the rows are written a millisecond after the next commit's broadcast instead (the relay has
 * just answered, its clients have had their turn, and the next edit is furthest away), or
 * ROWS_AFTER_MS later at the latest.
 */
const ROWS_QUIET_MS = 10
const ROWS_AT_ONCE = 256
const ROWS_AT_ONCE_BYTES = 1024 * 1024

export interface Pending {
  room: Room
  conn: Conn
  member: string
  token: string
  /** The update as parsed when it arrived; checked against the document right before applying. */
  update: ParsedUpdate
  /** Sent before the client answered the relay's sync step 1 (see Conn.answered). */
  beforeAnswer: boolean
  clients: number[]
  data: Uint8Array
  /** The message that tells the others, made before the wait for the disk (flushAhead). */
  message?: Uint8Array
}

/** Tells the sender (and the operator) why its update was left out: closes only that connection. */
export type RefuseUpdate = (p: Pending, refusal: Refused) => void

/** Runs once a batch is durable (true) or could not be made durable (false). */
type AfterDurable = (ok: boolean) => void

/** One group commit: committed to SQLite, waiting to be on the disk before anyone hears of it. */
interface Batch {
  accepted: Pending[]
  rooms: Set<Room>
  after: AfterDurable[]
}

/** A batch after its updates were checked and applied (GroupCommit.integrateBatch). */
interface Integrated {
  accepted: Pending[]
  refused: [Pending, Refused][]
  unchanged: Pending[]
  touched: Set<Room>
  rows: LogEntry[]
}

/**
 * The onStoreDocument hook, made strict: every update accepted during one turn of the event loop
 * is applied to its live document and logged in one group commit (an update that finds the relay
 * quiet is committed at once, see QUIET_MS); nothing is broadcast or acknowledged until that
 * commit is durable. A client can therefore never see an update the log could lose. An update Yjs
 * cannot integrate is left out of the log, its document is rebuilt from the log and the sender is
 * closed.
 *
 * A commit takes one of two ways:
 * - Ahead of SQLite (flushAhead), when nothing else is in flight and the disk is fast: the
 *   batch's records are appended to the journal (journal.ts) with one write, which with
 *   durability 'disk' is synced (O_DSYNC; or an fdatasync after it where the filesystem has no
 *   direct I/O) on this thread, and the batch is broadcast, all in one call. The
 *   rows follow in SQLite a little later, many in one transaction: the SQLite transaction, the
 *   relay's largest cost on the path of an edit, is off that path.
 * - SQLite first (flushCommitted), while a sync runs on the thread pool (a slow disk, see
 *   wal-sync.ts) or rows are waiting: the rows are committed, and the commit waits for the next
 *   sync of the WAL. While one sync runs, the next batches commit and wait for the sync after it,
 *   so one fdatasync covers everything that queued behind it.
 * Without a WalSync (durability 'process') a batch is released as soon as it is written.
 *
 * While a room's live document holds updates that are committed but not yet durable, anything
 * computed from it (a sync step 2 answer) waits for them: see `afterDurable`.
 */
export class GroupCommit {
  private queue: Pending[] = []
  private scheduled = false
  /** When the last commit started or the last batch was released (see QUIET_MS). */
  private flushedAt = 0
  /** An update was committed at once in this turn of the event loop (see QUIET_MS). */
  private committedThisTurn = false
  private readonly endTurn = (): void => {
    this.committedThisTurn = false
  }
  /** Committed, waiting for the next sync to start. */
  private waiting: Batch[] = []
  /** Covered by the sync now running. */
  private syncing: Batch[] | null = null
  private readonly log: UpdateLog
  /** The log with the rows accepted but not yet in SQLite: what documents are rebuilt from. */
  readonly pending: PendingLog
  private readonly journal: Journal | null
  /** Rooms with rows in `pending`, and those rows' bytes; the timer that writes them (scheduleRows). */
  private readonly pendingRooms = new Set<Room>()
  private pendingBytes = 0
  private rowsTimer: NodeJS.Timeout | null = null
  /** The rows are due: written after the next commit's broadcast (ROWS_QUIET_MS). */
  private rowsAfterCommit = false
  /** The last write of rows failed: until one succeeds, every commit goes to SQLite first. */
  private rowsRefused = false
  private readonly rooms: Rooms
  private readonly wal: WalSync | null
  private readonly logLine: (line: string) => void
  private readonly refuse: RefuseUpdate
  /**
   * Bytes of updates received and not yet released (queued, committed but not durable, or being
   * synced): what a slow disk makes the relay hold in memory. Past `maxHeldBytes` the relay stops
   * reading from every connection (`onPressure(true)`) until half of it has drained, so a flood
   * of writers, or a disk that stalls, costs bounded memory instead of growing without end.
   */
  heldBytes = 0
  peakHeldBytes = 0
  pressured = false
  pressureEvents = 0
  maxHeldBytes = Number.POSITIVE_INFINITY
  onPressure: (over: boolean) => void = () => {}
  private readonly send: Send
  commits = 0
  /** Bytes of updates committed since start: with `commits`, how much the WAL has taken in. */
  committedBytes = 0
  syncs = 0
  syncFailures = 0
  /** How long the disk took to make a group commit durable, for operators and the benchmark. */
  readonly syncTimes = new DurationWindow()

  constructor(
    log: UpdateLog,
    rooms: Rooms,
    wal: WalSync | null,
    logLine: (line: string) => void,
    refuse: RefuseUpdate,
    send: Send,
    ahead: { journal?: Journal | null; pending?: PendingLog } = {},
  ) {
    this.journal = ahead.journal ?? null
    this.pending = ahead.pending ?? new PendingLog(log)
    this.send = send
    this.log = log
    this.rooms = rooms
    this.wal = wal
    this.logLine = logLine
    this.refuse = refuse
  }

  enqueue(p: Pending): void {
    p.room.queued++
    p.room.queuedBytes += p.data.length
    this.hold(p.data.length)
    this.queue.push(p)
    if (this.scheduled) return
    if (
      !this.committedThisTurn &&
      this.syncing === null &&
      this.waiting.length === 0 &&
      performance.now() - this.flushedAt > QUIET_MS
    ) {
      // Whatever else arrives in this turn of the event loop waits for its end, as before.
      this.committedThisTurn = true
      setImmediate(this.endTurn)
      this.flushNow()
      return
    }
    this.scheduled = true
    setImmediate(this.flush)
  }

  /**
   * The commit, called from the sender's message handler. An error here is the relay's, not the
   * message's: it goes to the process's crash policy (crash-policy.ts), as a flush at the end of
   * the turn would, instead of closing the sender as malformed.
   */
  private flushNow(): void {
    try {
      this.flush()
    } catch (err) {
      process.nextTick(() => {
        throw err
      })
    }
  }

  private hold(bytes: number): void {
    this.heldBytes += bytes
    if (this.heldBytes > this.peakHeldBytes) this.peakHeldBytes = this.heldBytes
    if (!this.pressured && this.heldBytes > this.maxHeldBytes) {
      this.pressured = true
      this.pressureEvents++
      this.onPressure(true)
    }
  }

  private unhold(bytes: number): void {
    this.heldBytes -= bytes
    if (this.pressured && this.heldBytes <= this.maxHeldBytes / 2) {
      this.pressured = false
      this.onPressure(false)
    }
  }

  /**
   * Run `fn` once everything the room's live document holds is durable: at once when nothing is
   * pending, otherwise after the newest batch (which holds the room's newest updates, batches
   * being durable in order). `fn(false)` when that batch could not be made durable.
   */
  afterDurable(room: Room | null, fn: AfterDurable): void {
    const last = this.waiting[this.waiting.length - 1] ?? this.syncing?.[this.syncing.length - 1]
    if (!last || (room !== null && room.undurable === 0)) {
      fn(true)
      return
    }
    last.after.push(fn)
  }

  /**
   * Validates the state vector as it reads it; throws on garbage. The answer is the live document
   * now, sent once all it holds is durable (at once when nothing is pending).
   */
  answerSync(conn: Conn, stateVector: Uint8Array): void {
    const room = conn.room!
    const answer = encodeSyncStep2(Y.encodeStateAsUpdate(room.doc, stateVector))
    this.afterDurable(room, (ok) => {
      if (ok) this.send(conn, answer)
    })
  }

  /** Resolves once every update committed so far is durable (false if some could not be). */
  durable(): Promise<boolean> {
    return new Promise((resolve) => this.afterDurable(null, resolve))
  }

  readonly flush = (): void => {
    this.scheduled = false
    this.flushedAt = performance.now()
    const batch = this.queue
    if (batch.length === 0) return
    this.queue = []
    // Ahead of SQLite (journal.ts) while nothing else is in flight, the disk is fast and SQLite
    // takes rows: then the batch's record, sync and broadcast run in this one call.
    const journal = this.journal
    if (
      journal !== null &&
      !journal.broken &&
      !this.rowsRefused &&
      this.syncing === null &&
      this.waiting.length === 0 &&
      (this.wal === null ||
        (this.wal.inline === true && (journal.writesSynced || this.wal.syncFile !== undefined)))
    )
      this.flushAhead(batch, journal)
    else this.flushCommitted(batch)
  }

  /**
   * Checks and applies each update of the batch in order; the accepted ones get their sequence
   * numbers and wait in `pending` for their rows to be written.
   */
  private integrateBatch(batch: Pending[]): Integrated {
    const out: Integrated = { accepted: [], refused: [], unchanged: [], touched: new Set(), rows: [] }
    const time = Date.now()
    for (const p of batch) {
      const room = p.room
      out.touched.add(room)
      const result = this.integrate(p)
      if (result instanceof Refused) {
        out.refused.push([p, result])
        continue
      }
      if (result === 'noop') {
        out.unchanged.push(p)
        continue
      }
      room.seq++
      const row: LogEntry = {
        doc: room.name,
        seq: room.seq,
        time,
        member: p.member,
        token: p.token,
        clients: p.clients,
        data: p.data,
      }
      this.pending.rows.push(row)
      out.rows.push(row)
      room.bytes += p.data.length
      this.committedBytes += p.data.length
      for (const c of p.clients) if (!room.clientOwners.has(c)) room.clientOwners.set(c, p.member)
      out.accepted.push(p)
    }
    return out
  }

  /**
   * Writes every pending row to SQLite in one transaction, with the checkpoints that are due.
   * Throws, with nothing written, when SQLite refuses.
   */
  private writeRows(touched: Iterable<Room>): void {
    try {
      this.log.begin()
      for (const row of this.pending.rows) this.log.append(row)
      for (const room of this.pendingRooms) this.maybeCheckpoint(room)
      for (const room of touched) if (!this.pendingRooms.has(room)) this.maybeCheckpoint(room)
      this.log.commit()
    } catch (err) {
      this.log.rollback()
      this.rowsRefused = true
      throw err
    }
    this.rowsRefused = false
    this.pending.rows.length = 0
    this.pendingRooms.clear()
    this.pendingBytes = 0
    if (this.rowsTimer) {
      clearTimeout(this.rowsTimer)
      this.rowsTimer = null
    }
    this.rowsAfterCommit = false
    this.commits++
  }

  /** A checkpoint of a room still loaded (one unloaded meanwhile wrote its own). */
  private maybeCheckpoint(room: Room): void {
    if (this.rooms.loaded.get(room.name) === room) this.rooms.maybeCheckpoint(room)
  }

  /**
   * The rows of updates already durable in the journal go to SQLite a little later, many in one
   * transaction (ROWS_AFTER_MS), or at once when many wait: off the path of the next edits.
   */
  private scheduleRows(): void {
    if (this.pending.rows.length >= ROWS_AT_ONCE || this.pendingBytes >= ROWS_AT_ONCE_BYTES) {
      this.writeRowsLogged()
      return
    }
    if (this.rowsTimer) return
    this.rowsIn(ROWS_AFTER_MS, this.rowsDue)
  }

  /** The one timer for the waiting rows, replaced. */
  private rowsIn(ms: number, fn: () => void): void {
    if (this.rowsTimer) clearTimeout(this.rowsTimer)
    this.rowsTimer = setTimeout(fn, ms)
    this.rowsTimer.unref()
  }

  private readonly rowsDue = (): void => {
    this.rowsTimer = null
    if (performance.now() - this.flushedAt >= ROWS_QUIET_MS) {
      this.writeRowsLogged()
      return
    }
    this.rowsAfterCommit = true
    this.rowsIn(ROWS_AFTER_MS, this.writeRowsLogged)
  }

  private readonly writeRowsLogged = (): void => {
    if (this.rowsTimer) clearTimeout(this.rowsTimer)
    this.rowsTimer = null
    if (this.pending.rows.length === 0) return
    try {
      this.writeRows([])
    } catch (err) {
      this.logLine(
        `${this.pending.rows.length} updates could not be written to the log (${(err as Error).message}); ` +
          'they are safe in the journal and are written with the next commit, or replayed at the next start',
      )
      return
    }
    this.resetJournalIfDue()
  }

  /**
   * SQLite first: the batch's rows are committed, and the commit waits for the next sync of the
   * WAL before anyone hears of it (with durability 'process', for nothing).
   */
  private flushCommitted(batch: Pending[]): void {
    const before = this.pending.rows.length
    const b = this.integrateBatch(batch)
    try {
      this.writeRows(b.touched)
    } catch (err) {
      this.failed(batch, b.touched, before, `commit failed: ${(err as Error).message}`)
      return
    }
    this.resetJournalIfDue()
    const committed = this.settle(batch, b)
    if (!this.wal) {
      this.release([committed], true)
      return
    }
    if (b.accepted.length === 0 && this.syncing === null && this.waiting.length === 0) {
      this.release([committed], true)
      return
    }
    this.waiting.push(committed)
    if (this.syncing === null) this.startSync()
  }

  /**
   * The journal first (journal.ts): the batch's records are written and synced, and the batch is
   * broadcast; its rows go to SQLite a little later, with those of the batches after it
   * (scheduleRows), off the path of the next edits. Until then, and if SQLite refuses them, they
   * wait in `pending`, durable in the journal: documents are built from both, the trace API
   * writes them before it reads, every commit writes them first, and a restart replays them.
   */
  private flushAhead(batch: Pending[], journal: Journal): void {
    const before = this.pending.rows.length
    const b = this.integrateBatch(batch)
    // Made while the thread is busy anyway: after the wait for the disk, only the sends are left.
    for (const p of b.accepted) p.message = encodeUpdate(p.data)
    const started = performance.now()
    if (b.rows.length > 0) {
      try {
        journal.append(b.rows)
      } catch (err) {
        if (this.wal && journal.writesSynced) this.syncFailures++
        this.failed(batch, b.touched, before, `journal write failed: ${(err as Error).message}`)
        return
      }
    }
    // With synced writes the write was the sync (O_DSYNC); else the fdatasync after it is.
    let syncMs = performance.now() - started
    const committed = this.settle(batch, b)
    const syncing = this.wal !== null && b.rows.length > 0
    let syncFailed: Error | null = null
    if (syncing && !journal.writesSynced) {
      const syncStarted = performance.now()
      try {
        this.wal!.syncFile!(journal.file)
      } catch (err) {
        syncFailed = err as Error
        // After a failed fdatasync the file's state is unknown: commits go SQLite-first (synced
        // WAL) until the journal starts over, once SQLite holds its rows.
        journal.broken = true
      }
      syncMs = performance.now() - syncStarted
    }
    this.release([committed], syncFailed === null)
    if (syncing) {
      this.syncs++
      if (journal.writesSynced) this.wal!.noteSync?.(syncMs)
      this.syncTimes.add(syncMs)
      if (syncFailed) {
        this.syncFailures++
        this.logLine(`journal sync failed, 1 commit not acknowledged: ${syncFailed.message}`)
      }
    }
    if (b.rows.length === 0) return
    for (const room of b.touched) this.pendingRooms.add(room)
    for (const row of b.rows) this.pendingBytes += row.data.length
    if (this.rowsAfterCommit) {
      // A millisecond on: the clients it was sent to have their turn on the CPU first.
      this.rowsAfterCommit = false
      this.rowsIn(1, this.writeRowsLogged)
    } else this.scheduleRows()
  }

  /**
   * Once SQLite has every record of the journal, the journal starts over when it is due: after
   * the WAL is synced, so that what it forgets is on the disk (with durability 'process', what
   * SQLite has written is enough).
   */
  private resetJournalIfDue(): void {
    const journal = this.journal
    if (!journal?.due || this.pending.rows.length > 0) return
    try {
      this.wal?.syncNow()
      journal.reset()
    } catch (err) {
      this.logLine(`the journal could not start over: ${(err as Error).message}`)
    }
  }

  /**
   * Nothing of the batch is stored, so nothing of it may be served: its rows leave `pending`
   * (those from `before` on), its documents are rebuilt from the log, its senders closed.
   */
  private failed(batch: Pending[], touched: Set<Room>, before: number, why: string): void {
    this.pending.rows.length = before
    this.logLine(`${why}; ${batch.length} updates refused`)
    for (const p of batch) {
      p.room.queued--
      p.room.queuedBytes -= p.data.length
      this.unhold(p.data.length)
    }
    for (const room of touched) this.tryRebuild(room)
    for (const p of batch) p.conn.close(CLOSE.loadFailed, 'the relay could not store an update')
  }

  /** The batch is stored: the refused and unchanged updates leave the queue, the sender of each refused one is told. */
  private settle(batch: Pending[], b: Integrated): Batch {
    // room.bytes counts the accepted ones now; the others leave the queue at once.
    for (const p of batch) p.room.queuedBytes -= p.data.length
    for (const [p] of b.refused) {
      p.room.queued--
      this.unhold(p.data.length)
    }
    for (const p of b.unchanged) {
      p.room.queued--
      this.unhold(p.data.length)
    }
    for (const p of b.accepted) p.room.undurable++
    for (const [p, refusal] of b.refused) this.refuse(p, refusal)
    return { accepted: b.accepted, rooms: b.touched, after: [] }
  }

  /**
   * Writes the rows that wait for SQLite now (before the trace API reads the log, and at
   * shutdown). False when SQLite refuses them: they stay in the journal (the next start replays them).
   */
  writePending(closing = false): boolean {
    if (this.rowsTimer) {
      clearTimeout(this.rowsTimer)
      this.rowsTimer = null
    }
    if (this.pending.rows.length === 0) return true
    try {
      this.writeRows([])
    } catch (err) {
      this.logLine(
        `${this.pending.rows.length} updates ${closing ? 'stay in the journal for the next start' : 'wait in the journal'}: SQLite refused them (${(err as Error).message})`,
      )
      return false
    }
    this.resetJournalIfDue()
    return true
  }

  /** writePending for the trace API: quiet while SQLite refuses rows (that was logged). */
  writePendingForRead(): void {
    if (!this.rowsRefused) this.writePending()
  }

  private startSync(): void {
    const batches = this.waiting
    this.waiting = []
    this.syncing = batches
    this.syncs++
    const started = performance.now()
    // The callback may run before sync() returns (a sync on this thread); nothing follows the call.
    this.wal!.sync((err) => {
      this.syncTimes.add(performance.now() - started)
      this.syncing = null
      if (err) {
        this.syncFailures++
        this.logLine(`WAL sync failed, ${batches.length} commits not acknowledged: ${err.message}`)
      }
      this.release(batches, err === null)
      if (this.waiting.length > 0) this.startSync()
    })
  }

  /**
   * Durable: broadcast, then answer what waited. Not durable (the disk reported an error): the
   * rows are in SQLite but the disk may not hold them, so no one is told of them; every client of
   * those documents is disconnected and resends what it has when it reconnects.
   */
  private release(batches: Batch[], ok: boolean): void {
    this.flushedAt = performance.now()
    for (const b of batches) {
      for (const p of b.accepted) {
        p.room.queued--
        p.room.undurable--
        this.unhold(p.data.length)
        if (ok) p.room.broadcast(p.message ?? encodeUpdate(p.data), p.conn)
      }
      if (!ok) {
        for (const room of b.rooms)
          for (const c of room.conns) c.close(CLOSE.loadFailed, 'the relay could not make an update durable')
      }
      for (const fn of b.after) fn(ok)
      for (const room of b.rooms) if (room.conns.length === 0) this.rooms.released(room)
    }
  }

  private integrate(p: Pending): Exclude<ApplyResult, 'failed'> | Refused {
    return integrate(p, this.logLine, () => this.tryRebuild(p.room))
  }

  private tryRebuild(room: Room): void {
    try {
      room.rebuild(this.pending)
    } catch (err) {
      this.logLine(`reload of ${room.name} failed: ${(err as Error).message}`)
      for (const c of room.conns) c.close(CLOSE.loadFailed, 'document failed to load')
    }
  }
}

/**
 * Check the update against the document as the updates before it in this batch left it, then
 * apply it. Whatever goes wrong stays with this update and its document: the others in the
 * batch go on. When the document may be half-changed, `halfChanged` must rebuild it from the log.
 */
export function integrate(
  p: Pending,
  logLine: (line: string) => void,
  halfChanged: () => void,
): Exclude<ApplyResult, 'failed'> | Refused {
  let refusal: Refused
  try {
    checkUpdate(p.room.doc, p.update, { member: p.member, ownerOf: (c) => p.room.ownerOf(c) })
    const before = statesBefore(p.room.doc, p.update)
    const result = p.room.apply(p.data)
    if (result !== 'failed' && integratedSafely(p.room.doc, p.update, before)) return result
    refusal = new Refused(
      'unsafe',
      result === 'failed' ? 'update does not apply' : 'an item is not between its neighbours',
    )
  } catch (err) {
    if (err instanceof Refused) return err
    logLine(`internal error applying an update to ${p.room.name}: ${(err as Error).stack}`)
    refusal = new Refused('internal', 'internal error')
  }
  // The document may be half-changed: rebuild it from the log (this transaction's rows included).
  halfChanged()
  return refusal
}
