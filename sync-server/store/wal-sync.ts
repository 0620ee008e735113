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
 * exactly what synchronous=FULL would have waited for inside COMMIT. Done on libuv's thread pool
 * so the relay's thread keeps serving other documents, awareness and the next batch while the
 * disk works.
 */
export interface WalSync {
  /** Sync everything written so far; `done` gets null once it is on the disk. */
  sync(done: (err: Error | null) => void): void
  /** The same, blocking: for the rare writes outside the update path (tokens). */
  syncNow(): void
  close(): void
}

/**
 * Opens the WAL of the relay's database, already open as `db` (in WAL mode the file exists while
 * a connection is open), and lays it out to WAL_PREALLOCATE_BYTES.
 */
export function openWalSync(dataDir: string, db: DatabaseSync, preallocate = WAL_PREALLOCATE_BYTES): WalSync {
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
  return {
    sync(done) {
      fdatasync(fd, (err) => done(err))
    },
    syncNow() {
      if (!closed) fdatasyncSync(fd)
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
