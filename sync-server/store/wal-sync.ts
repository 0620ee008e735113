import { closeSync, fdatasync, fdatasyncSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { DB_FILE } from './db.ts'

/**
 * The WAL is laid out on the disk at start, as zeros, up to this size. A commit that grows a file
 * makes fdatasync wait for the filesystem's journal (the new size and blocks), which on a busy
 * machine costs milliseconds; a commit that overwrites blocks already written is a pure data
 * write. SQLite reuses the WAL from its start after each checkpoint (every few seconds, see
 * relay.ts), so in steady state every commit lands in blocks written before. PostgreSQL zero-fills
 * its WAL segments for the same reason.
 */
export const WAL_PREALLOCATE_BYTES = 32 * 1024 * 1024
const ZEROS = Buffer.alloc(1024 * 1024)

/**
 * Makes committed transactions durable: fdatasync of the WAL file, the file every commit is
 * written to. Once it returns, every frame written before the call is on the disk, which is
 * exactly what synchronous=FULL would have waited for inside COMMIT.
 */
export interface WalSync {
  /**
   * Sync everything written so far; `done` gets null once it is on the disk. May call `done`
   * before it returns (a sync on the calling thread) or later (on the thread pool).
   */
  sync(done: (err: Error | null) => void): void
  /** The same, blocking: for the rare writes outside the update path (tokens). */
  syncNow(): void
  /**
   * Whether syncs wait on the relay's own thread now (SyncPlacement). Only then does the relay
   * write updates ahead of SQLite into its journal (journal.ts); absent means never.
   */
  readonly inline?: boolean
  /** fdatasync another of the relay's files (the journal) on this thread, timed as a sync of this disk; throws on failure. */
  syncFile?(fd: number): void
  /** A sync the relay did itself (a synced write of the journal) took `ms`: counts as a sync of this disk. */
  noteSync?(ms: number): void
  close(): void
}

/** fdatasync of a database's WAL, if it has one: for one-off writers of a data directory (a repair). */
export function syncWalFile(dataDir: string): void {
  let fd: number
  try {
    fd = openSync(`${join(dataDir, DB_FILE)}-wal`, 'r+')
  } catch {
    return
  }
  try {
    fdatasyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Opens the WAL of the relay's database, already open as `db` (in WAL mode the file exists while
 * a connection is open), and lays it out to WAL_PREALLOCATE_BYTES.
 */
export function openWalSync(
  dataDir: string,
  db: DatabaseSync,
  preallocate = WAL_PREALLOCATE_BYTES,
  logLine: (line: string) => void = () => {},
): WalSync {
  const fd = openSync(`${join(dataDir, DB_FILE)}-wal`, 'r+')
  try {
    preallocateWal(db, fd, preallocate)
  } catch (err) {
    closeSync(fd)
    throw err
  }
  // The directory entries of a new database and WAL must be durable too.
  const dir = openSync(dataDir, 'r')
  try {
    fsyncSync(dir)
  } finally {
    closeSync(dir)
  }
  let closed = false
  const placement = new SyncPlacement(logLine)
  return {
    sync(done) {
      const started = performance.now()
      if (placement.inline) {
        let error: Error | null = null
        try {
          fdatasyncSync(fd)
        } catch (err) {
          error = err as Error
        }
        placement.note(performance.now() - started)
        done(error)
        return
      }
      fdatasync(fd, (err) => {
        placement.note(performance.now() - started)
        done(err)
      })
    },
    syncNow() {
      if (!closed) fdatasyncSync(fd)
    },
    get inline() {
      return placement.inline
    },
    syncFile(other) {
      const started = performance.now()
      try {
        fdatasyncSync(other)
      } finally {
        placement.note(performance.now() - started)
      }
    },
    noteSync(ms) {
      placement.note(ms)
    },
    close() {
      if (closed) return
      closed = true
      closeSync(fd)
    },
  }
}

/**
 * Zeros appended past the WAL's end are harmless to SQLite: recovery reads frames until the first
 * one whose salt and checksum do not match, and a zero frame never matches (the same as the stale
 * frames SQLite itself leaves behind when it restarts the WAL). Appending under the write lock
 * (BEGIN IMMEDIATE) keeps a concurrent writer, such as the token CLI, from writing frames there
 * at the same moment.
 */
function preallocateWal(db: DatabaseSync, fd: number, bytes: number): void {
  db.exec('BEGIN IMMEDIATE')
  try {
    let size = fstatSync(fd).size
    if (size >= bytes) return
    while (size < bytes) {
      const n = Math.min(ZEROS.length, bytes - size)
      size += writeSync(fd, ZEROS, 0, n, size)
    }
    fdatasyncSync(fd)
  } finally {
    db.exec('COMMIT')
  }
}

/**
 * Where the relay waits for the disk. While syncs are fast (an SSD: a fraction of a millisecond)
 * it waits on its own thread, as Redis does with appendfsync always: the sync is then woken by the
 * disk alone, with no hand-off to a pool thread and back, each of which can add milliseconds when
 * the machine is busy (measured: WAL sync p99 1.5–3.7 ms here against 4.5–5.3 ms on the pool).
 * While they are slow (a spinning disk, network storage) it waits on the thread pool, so one slow
 * sync never holds up awareness, joins and the trace API for long. A moving average with a gap
 * between the two thresholds keeps it from flapping; a single sample counts for at most SPIKE_MS,
 * so it takes a run of slow syncs, not one stall, to move.
 */
export class SyncPlacement {
  static readonly SLOW_MS = 2
  static readonly FAST_MS = 1
  static readonly SPIKE_MS = 5
  inline = true
  /** Moving average of recent sync times, ms (0 before the first). */
  average = 0
  private readonly logLine: (line: string) => void

  constructor(logLine: (line: string) => void = () => {}) {
    this.logLine = logLine
  }

  note(ms: number): void {
    // One sample counts for at most SPIKE_MS: a stall of the disk (one to three syncs of 5–200 ms
    // now and then, seen on a virtual disk) is paid where it happened, instead of also moving the
    // next dozen syncs to the pool. A disk that stays slow still moves them after a few syncs.
    const sample = Math.min(ms, SyncPlacement.SPIKE_MS)
    this.average = this.average === 0 ? sample : this.average * 0.9 + sample * 0.1
    if (this.inline && this.average > SyncPlacement.SLOW_MS) {
      this.inline = false
      this.logLine(`disk syncs average ${this.average.toFixed(1)} ms: waiting for them on the thread pool`)
    } else if (!this.inline && this.average < SyncPlacement.FAST_MS) {
      this.inline = true
      this.logLine(`disk syncs average ${this.average.toFixed(1)} ms: waiting for them on the relay's thread`)
    }
  }
}
