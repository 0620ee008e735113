import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { DB_FILE, openDatabase } from '../../../sync-server/store/db.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** The layout of `updates` in databases made before it became a WITHOUT ROWID table. */
const ROWID_LAYOUT = `
CREATE TABLE updates (
  id INTEGER PRIMARY KEY,
  doc TEXT NOT NULL,
  seq INTEGER NOT NULL,
  time INTEGER NOT NULL,
  member TEXT NOT NULL,
  token TEXT NOT NULL,
  clients TEXT NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (doc, seq)
);`

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'signoff-log-layout-'))
  dirs.push(dir)
  return dir
}

/** The CREATE TABLE statement `updates` has in the database in `dir`. */
function layoutOf(dir: string): string {
  const db = new DatabaseSync(join(dir, DB_FILE))
  try {
    return (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'updates'").get() as { sql: string }).sql
  } finally {
    db.close()
  }
}

/** Writes the same rows through UpdateLog and reads them back every way the relay does. */
function exercise(dir: string) {
  const db = openDatabase(dir, 'normal')
  try {
    const log = new UpdateLog(db)
    log.begin()
    for (let seq = 1; seq <= 5; seq++)
      log.append({
        doc: 'W/doc',
        seq,
        time: 1000 + seq,
        member: seq % 2 ? 'alice' : 'bob',
        token: 't',
        clients: [seq % 2 ? 11 : 22],
        data: Uint8Array.of(seq, 0),
      })
    log.append({
      doc: 'W/other',
      seq: 1,
      time: 1,
      member: 'carol',
      token: 't',
      clients: [33],
      data: Uint8Array.of(9),
    })
    log.commit()
    db.exec("INSERT INTO skipped_updates (doc, seq, reason, time) VALUES ('W/doc', 2, 'test', 0)")
    return {
      stats: log.stats('W/doc'),
      replay: log.updates('W/doc', 0).map((u) => u[0]),
      upto: log.updates('W/doc', 1, 4).map((u) => u[0]),
      owners: [...log.clientOwners('W/doc')],
      one: log.update('W/doc', 3)?.[0],
      byBob: log.list('W/doc', { member: 'bob' }).map((e) => [e.seq, e.skipped ?? null]),
      page: log.list('W/doc', { after: 1, limit: 2 }).map((e) => e.seq),
      duplicate: (() => {
        try {
          log.append({
            doc: 'W/doc',
            seq: 5,
            time: 0,
            member: 'x',
            token: 't',
            clients: [],
            data: Uint8Array.of(0),
          })
          return 'stored'
        } catch {
          return 'refused'
        }
      })(),
    }
  } finally {
    db.close()
  }
}

describe('the update log reads and writes alike on both layouts of its table', () => {
  it('a new database gets one b-tree keyed by (doc, seq)', () => {
    const dir = dataDir()
    openDatabase(dir).close()
    expect(layoutOf(dir)).toMatch(/WITHOUT ROWID/)
  })

  it('a database made with the rowid layout keeps it and answers the same', () => {
    const old = dataDir()
    const pre = new DatabaseSync(join(old, DB_FILE))
    pre.exec('PRAGMA journal_mode = WAL')
    pre.exec(ROWID_LAYOUT)
    pre.close()
    const before = exercise(old)
    const now = exercise(dataDir())
    expect(before).toEqual(now)
    expect(now).toEqual({
      stats: { seq: 5, bytes: 10 },
      replay: [1, 3, 4, 5],
      upto: [3, 4],
      owners: [
        [11, 'alice'],
        [22, 'bob'],
      ],
      one: 3,
      byBob: [
        [2, 'test'],
        [4, null],
      ],
      page: [2, 3],
      duplicate: 'refused',
    })
    expect(layoutOf(old)).toMatch(/id INTEGER PRIMARY KEY/)
  })
})
