import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Conn } from '../../../sync-server/connection.ts'
import { GroupCommit, type Pending } from '../../../sync-server/group-commit.ts'
import { resolveLimits } from '../../../sync-server/limits.ts'
import { Rooms } from '../../../sync-server/rooms.ts'
import { openDatabase } from '../../../sync-server/store/db.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'
import { clientsOf, parseChecked } from '../../../sync-server/update-check.ts'

const dirs: string[] = []
const dbs: DatabaseSync[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A group commit on a real SQLite log (durability 'process'), with one writer on one document. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'signoff-group-commit-'))
  dirs.push(dir)
  const db = openDatabase(dir, 'normal')
  dbs.push(db)
  const log = new UpdateLog(db)
  const sent: Uint8Array[] = []
  const rooms = new Rooms(
    log,
    resolveLimits(),
    (_conn, message) => sent.push(message),
    () => {},
  )
  const refused: string[] = []
  const commit = new GroupCommit(
    log,
    rooms,
    null,
    () => {},
    (_p, refusal) => refused.push(refusal.message),
    (_conn, message) => sent.push(message),
  )
  const room = rooms.open('W/doc')
  const writer = { room } as unknown as Conn
  const reader = { room } as unknown as Conn
  room.add(writer)
  room.add(reader)
  const client = new Y.Doc()
  const text = client.getText('t')
  const edit = (s: string): Pending => {
    let data: Uint8Array | null = null
    const on = (u: Uint8Array) => {
      data = u
    }
    client.on('update', on)
    text.insert(text.length, s)
    client.off('update', on)
    const update = parseChecked(data!)
    return {
      room,
      conn: writer,
      member: 'alice',
      token: 'tok',
      update,
      beforeAnswer: false,
      clients: clientsOf(update),
      data: data!,
    }
  }
  return { commit, log, room, sent, refused, edit }
}

const turn = () => new Promise((r) => setImmediate(r))
/** Keeps the thread busy for `ms`, within one turn of the event loop. */
function spin(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // busy
  }
}

/** Waits `ms` by the clock the relay reads (a timer may fire early by the loop's cached time). */
async function quietFor(ms: number): Promise<void> {
  const end = performance.now() + ms
  while (performance.now() < end) await new Promise((r) => setTimeout(r, 1))
}

describe('group commit: at once when the relay is quiet, batched under load', () => {
  it('an update that finds the relay quiet is logged and broadcast before enqueue returns', () => {
    const { commit, log, room, sent, edit } = setup()
    commit.enqueue(edit('a'))
    expect(commit.commits).toBe(1)
    expect(log.updates('W/doc', 0)).toHaveLength(1)
    expect(room.doc.getText('t').toString()).toBe('a')
    expect(sent).toHaveLength(1) // to the reader only
    expect(room.queued).toBe(0)
  })

  it('updates arriving right after a commit share the next one, in order', async () => {
    const { commit, log, room, sent, edit } = setup()
    commit.enqueue(edit('a'))
    for (const s of ['b', 'c', 'd']) {
      spin(2) // a slow machine: over QUIET_MS later, but in the same turn of the event loop…
      commit.enqueue(edit(s))
    }
    expect(commit.commits).toBe(1) // …so the others wait for the end of the turn
    await turn()
    expect(commit.commits).toBe(2)
    expect(log.updates('W/doc', 0)).toHaveLength(4)
    expect(room.doc.getText('t').toString()).toBe('abcd')
    expect(sent).toHaveLength(4)
    await quietFor(5)
    commit.enqueue(edit('e')) // quiet again
    expect(commit.commits).toBe(3)
    expect(room.doc.getText('t').toString()).toBe('abcde')
  })

  it('a refused update that finds the relay quiet is refused at once and never logged', () => {
    const { commit, log, room, refused, edit } = setup()
    const first = edit('a')
    const second = edit('b')
    commit.enqueue(second) // builds on `first`, which the relay does not have
    expect(refused).toHaveLength(1)
    expect(log.updates('W/doc', 0)).toHaveLength(0)
    expect(room.queued).toBe(0)
    expect(first.data.length).toBeGreaterThan(0)
  })
})
