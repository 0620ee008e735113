import { fdatasyncSync } from 'node:fs'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import type { Backend, BackendTools } from './backend.ts'
import { GroupCommit } from './group-commit.ts'
import { sqliteTrace } from './http-api.ts'
import { Rooms } from './rooms.ts'
import { startCheckpointer } from './store/checkpointer.ts'
import { DB_FILE, type Durability, openDatabase } from './store/db.ts'
import { JOURNAL_FILE, type Journal, openJournal } from './store/journal.ts'
import { type DataDirLock, lockDataDir } from './store/lock.ts'
import { PendingLog } from './store/pending-log.ts'
import { TokenStore } from './store/tokens.ts'
import { UpdateLog } from './store/update-log.ts'
import { openWalSync, syncWalFile, type WalSync } from './store/wal-sync.ts'

export interface SqliteOptions {
  dataDir: string
  durability?: Durability
  walSync?: (dataDir: string, db: DatabaseSync) => WalSync
}

export interface SqliteBackend extends Backend {
  readonly groupCommit: GroupCommit
  readonly tokens: TokenStore
  readonly loadedCount: () => number
  /** Make what was just written to the database durable (token changes). */
  syncNow(): void
}

/**
 * When the WAL is copied into the database file. A checkpoint writes and syncs the database file
 * beside the relay's own WAL syncs, and on the same disk each of those waits for the other: the
 * commits that land during one are the slowest the relay has (measured with a checkpoint every
 * 5 s: WAL sync p99 7.9 ms on the 100-reader bench, 2.8 ms without). So it runs when the relay
 * has gone quiet (no commit for a second), where it delays no one, and under writes that never
 * pause by volume, as SQLite's own autocheckpoint does (every 1,000 pages; 500 commits are
 * 1,500–2,500). Larger checkpoints are not better: each stalls the commits beside it for longer
 * (every 1,500 commits: 1→1 latency p99 6.6–6.9 ms against 3.2 ms, same machine and day). An idle
 * relay still gets one within a minute of its last commit.
 */
export const CHECKPOINT_POLICY = {
  commits: 500,
  bytes: 4 * 1024 * 1024,
  idleMs: 60_000,
  quiet: { commits: 50, ms: 1_000 },
}

/** Whether the WAL has taken in enough since the last checkpoint for the next one. */
export function checkpointDue(
  since: { commits: number; bytes: number; ms: number; quietMs: number },
  policy = CHECKPOINT_POLICY,
): boolean {
  if (since.commits === 0) return false
  if (since.commits >= policy.quiet.commits && since.quietMs >= policy.quiet.ms) return true
  return since.commits >= policy.commits || since.bytes >= policy.bytes || since.ms >= policy.idleMs
}
const CHECKPOINT_CHECK_MS = 500
/** About half the preallocated WAL (wal-sync.ts), in 4 KiB pages. */
const WAL_CATCH_UP_FRAMES = 4096

/**
 * The embedded relay's store: one SQLite file (update log, checkpoints, token hashes), a group
 * commit per turn of the event loop synced to the disk before anyone hears of it (group-commit.ts),
 * and fan-out to the connections of this process.
 */
export function openSqliteBackend(options: SqliteOptions, tools: BackendTools): SqliteBackend {
  const { limits, logLine } = tools
  // SQLite commits without syncing; with 'disk' the relay syncs the WAL itself (group-commit.ts).
  const db = openDatabase(options.dataDir, 'normal')
  let lock: DataDirLock
  try {
    lock = lockDataDir(options.dataDir, 'starting another')
  } catch (err) {
    db.close()
    throw err
  }
  const log = new UpdateLog(db)
  let wal: WalSync | null = null
  let journal: Journal
  try {
    // What a crash left in the journal goes into SQLite before any document is loaded.
    const opened = openJournal(options.dataDir, log, () => syncWalFile(options.dataDir))
    journal = opened.journal
    if (opened.replayed > 0)
      logLine(`${opened.replayed} updates a crash left out of the log were written from ${JOURNAL_FILE}`)
  } catch (err) {
    db.close()
    lock.release()
    throw err
  }
  try {
    // After the journal exists: openWalSync makes the directory's entries durable.
    if ((options.durability ?? 'disk') === 'disk')
      wal = options.walSync
        ? options.walSync(options.dataDir, db)
        : openWalSync(options.dataDir, db, undefined, logLine)
  } catch (err) {
    journal.close()
    db.close()
    lock.release()
    throw err
  }
  // On the real disk, each journal write is its own sync (journal.ts); a WalSync stand-in (tests)
  // keeps them buffered and syncs them through itself.
  if (wal && !options.walSync) {
    const why = journal.syncWrites()
    if (why) logLine(`the journal is synced after each write (${why})`)
  }
  const tokens = new TokenStore(db)
  const pending = new PendingLog(log)
  const rooms = new Rooms(log, limits, tools.send, logLine, pending)
  const commit = new GroupCommit(log, rooms, wal, logLine, tools.refuseUpdate, tools.send, {
    journal,
    pending,
  })
  // Memory for updates waiting on the disk is bounded: past the limit no connection is read from
  // until the backlog has drained to half of it (TCP then slows the senders down).
  commit.maxHeldBytes = limits.maxPendingBytes
  commit.onPressure = (over) => {
    logLine(
      over
        ? `${commit.heldBytes} bytes of updates wait for the disk: reading paused`
        : 'the backlog drained: reading resumed',
    )
    tools.setReading(over)
  }

  let closing = false
  let checkpointed = { commits: 0, bytes: 0, time: Date.now() }
  const requestCheckpoint = () => {
    if (commit.commits === checkpointed.commits) return
    checkpointed = { commits: commit.commits, bytes: commit.committedBytes, time: Date.now() }
    checkpointer.request()
  }
  // SQLite starts the WAL over from its beginning only once a checkpoint has copied every frame,
  // and under steady writes frames keep arriving while one runs. When the WAL gets long, the next
  // checkpoint follows at once: each has less to copy than the last, until one catches up and the
  // WAL is reused (bounded on disk, and its blocks are the preallocated ones).
  const checkpointer = startCheckpointer(join(options.dataDir, DB_FILE), logLine, (r) => {
    if (r.log > WAL_CATCH_UP_FRAMES && !closing) requestCheckpoint()
  })
  let lastCommit = { commits: 0, time: Date.now() }
  const walCheckpoint = setInterval(() => {
    const now = Date.now()
    if (commit.commits !== lastCommit.commits) lastCommit = { commits: commit.commits, time: now }
    const since = {
      commits: commit.commits - checkpointed.commits,
      bytes: commit.committedBytes - checkpointed.bytes,
      ms: now - checkpointed.time,
      quietMs: now - lastCommit.time,
    }
    if (checkpointDue(since)) requestCheckpoint()
  }, CHECKPOINT_CHECK_MS)
  walCheckpoint.unref()

  // Revocations by the CLI in another process, found by time.
  let lastSweep = Date.now()

  return {
    groupCommit: commit,
    tokens,
    loadedCount: () => rooms.loaded.size,
    syncNow: () => wal?.syncNow(),
    verify: (token) => tokens.verify(token),
    open: (name) => rooms.open(name),
    loaded: (name) => rooms.loaded.get(name),
    rooms: () => rooms.loaded.values(),
    released: (room) => rooms.released(room),
    commit,
    pressured: () => commit.pressured,
    trace: sqliteTrace(log, tokens, () => commit.writePendingForRead()),
    durable: () => commit.durable(),
    revokedAmong() {
      const since = lastSweep - 1000
      lastSweep = Date.now()
      return tokens.revokedSinceTime(since)
    },
    revocationSweepMs: 2_000,
    async drain() {
      commit.flush()
      await commit.durable()
      commit.writePending()
    },
    async close() {
      closing = true
      clearInterval(walCheckpoint)
      const logged = commit.writePending(true)
      rooms.closeAll()
      wal?.syncNow() // the checkpoints rooms.closeAll wrote
      await checkpointer.close()
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
      // Everything is in the database file now: a stopped relay leaves an empty journal.
      if (logged) {
        journal.reset()
        fdatasyncSync(journal.file)
      }
      journal.close()
      wal?.close()
      db.close()
      lock.release()
    },
  }
}
