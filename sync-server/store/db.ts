import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'

/** The relay's one file: the update log (the team's version trace), checkpoints and tokens. */
export const DB_FILE = 'relay.sqlite'

/**
 * `updates` is one b-tree keyed by (doc, seq), without a rowid: a commit writes one page fewer
 * than a rowid table with a unique index on (doc, seq) would (databases created with that layout
 * before keep it; every statement works on both).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS updates (
  doc TEXT NOT NULL,
  seq INTEGER NOT NULL,
  time INTEGER NOT NULL,
  member TEXT NOT NULL,
  token TEXT NOT NULL,
  clients TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS updates_by_member ON updates (doc, member, seq);
CREATE TABLE IF NOT EXISTS skipped_updates (
  doc TEXT NOT NULL,
  seq INTEGER NOT NULL,
  reason TEXT NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY (doc, seq)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  doc TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY,
  workspace TEXT NOT NULL,
  member TEXT NOT NULL,
  access TEXT NOT NULL CHECK (access IN ('read', 'write')),
  secret_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS tokens_by_workspace ON tokens (workspace);
`

/**
 * How far a commit goes before the relay broadcasts or acknowledges an update:
 * - 'disk' (default): the update is on the disk (its journal record or its WAL frame is
 *   fdatasynced, see group-commit.ts); survives a crash of the process and of the machine (power
 *   loss). The relay commits with synchronous=NORMAL and syncs itself (wal-sync.ts), on its own
 *   thread while the disk is fast and on the thread pool while it is slow, so a slow disk delays
 *   only the updates waiting for it.
 * - 'process': the update is written to the OS (journal or WAL), not synced; survives a crash or
 *   SIGKILL of the relay, but the last commits may be lost if the machine itself goes down.
 */
export type Durability = 'disk' | 'process'

/**
 * How SQLite itself syncs a commit: 'full' syncs the WAL in COMMIT (the token CLI, whose few
 * writes need no more); 'normal' leaves it to the caller (the relay, see Durability). In both,
 * checkpoints sync, and the database cannot be corrupted by a crash.
 */
export type CommitSync = 'full' | 'normal'

/** WAL mode; busy_timeout lets the CLI mint tokens while a relay runs on the same file. */
export function openDatabase(dataDir: string, sync: CommitSync = 'full'): DatabaseSync {
  makeDirectory(dataDir)
  let db: DatabaseSync | null = null
  try {
    db = new DatabaseSync(join(dataDir, DB_FILE))
    db.exec('PRAGMA busy_timeout = 5000')
    db.exec('PRAGMA journal_mode = WAL')
    db.exec(sync === 'normal' ? 'PRAGMA synchronous = NORMAL' : 'PRAGMA synchronous = FULL')
    // Checkpointing copies the WAL into the main file and fsyncs it; left automatic it lands on
    // whichever commit crosses the threshold and stalls that broadcast. The relay runs it on a
    // worker thread on a timer instead (relay.ts, checkpointer.ts).
    db.exec('PRAGMA wal_autocheckpoint = 0')
    db.exec('PRAGMA foreign_keys = ON')
    db.exec(SCHEMA)
    return db
  } catch (err) {
    db?.close()
    throw new Error(`cannot open ${join(dataDir, DB_FILE)}: ${(err as Error).message}`)
  }
}

/**
 * mkdir -p, one level at a time. Node's recursive mkdirSync never returns for a path under a
 * directory where mkdir answers ENOENT although the parent exists (such as /proc/x); this throws.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = []
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) missing.unshift(d)
  for (const d of missing) {
    try {
      mkdirSync(d)
    } catch (err) {
      throw new Error(
        `cannot create the folder ${d} (${(err as Error).message}): choose a folder you can write for --data`,
      )
    }
  }
  // SQLite would only say "unable to open database file".
  if (!statSync(dir).isDirectory())
    throw new Error(`${resolve(dir)} is a file, not a folder: choose a folder for --data`)
}
