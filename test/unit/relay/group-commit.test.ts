import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import type { Conn } from '../../../sync-server/connection.ts'
import { GroupCommit, type Pending } from '../../../sync-server/group-commit.ts'
import { resolveLimits } from '../../../sync-server/limits.ts'
import { Room } from '../../../sync-server/room.ts'
import { Rooms } from '../../../sync-server/rooms.ts'
import { openDatabase } from '../../../sync-server/store/db.ts'
import { Journal } from '../../../sync-server/store/journal.ts'
import { PendingLog } from '../../../sync-server/store/pending-log.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'
import { clientsOf, parseChecked } from '../../../sync-server/update-check.ts'

const dirs: string[] = []
const dbs: DatabaseSync[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/**
 * A group commit on a real SQLite log (durability 'process'), with one writer on one document;
 * `ahead`: with a journal, as the relay runs (journal.ts).
 */
function setup(ahead = false) {
  const dir = mkdtempSync(join(tmpdir(), 'signoff-group-commit-'))
  dirs.push(dir)
  const db = openDatabase(dir, 'normal')
  dbs.push(db)
  const log = new UpdateLog(db)
  const sent: Uint8Array[] = []
  const journal = ahead ? Journal.open(dir, 64 * 1024) : null
  journal?.reset()
  const pending = new PendingLog(log)
  const rooms = new Rooms(
    log,
    resolveLimits(),
    (_conn, message) => sent.push(message),
    () => {},
    pending,
  )
  const refused: string[] = []
  const commit = new GroupCommit(
    log,
    rooms,
    null,
    () => {},
    (_p, refusal) => refused.push(refusal.message),
    (_conn, message) => sent.push(message),
    { journal, pending },
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
  const journaled = () => {
    const reader = Journal.open(dir, 64 * 1024)
    try {
      return reader.read()
    } finally {
      reader.close()
    }
  }
  return { commit, log, room, sent, refused, edit, journaled, pending }
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

describe('group commit ahead of SQLite, with a journal', () => {
  it('journals and broadcasts an update before enqueue returns; its row follows', async () => {
    const { commit, log, room, sent, edit, journaled } = setup(true)
    commit.enqueue(edit('a'))
    expect(sent).toHaveLength(1)
    expect(journaled().map((e) => [e.doc, e.seq, e.member])).toEqual([['W/doc', 1, 'alice']])
    expect(log.updates('W/doc', 0)).toHaveLength(0)
    expect(room.seq).toBe(1)
    await waitForRows(log, 1)
    expect(commit.commits).toBe(1)
  })

  it('writes the rows of several broadcasts in one transaction', async () => {
    const { commit, log, room, sent, edit } = setup(true)
    for (const s of ['a', 'b', 'c']) {
      await quietFor(2) // each committed at once, on its own
      commit.enqueue(edit(s))
    }
    expect(sent).toHaveLength(3)
    expect(commit.commits).toBe(0)
    await waitForRows(log, 3)
    expect(commit.commits).toBeLessThan(3) // 1, unless the machine stalled for 50 ms between edits
    expect(room.doc.getText('t').toString()).toBe('abc')
  })

  it('builds documents from SQLite and the rows still waiting for it', async () => {
    const { commit, log, room, edit, pending } = setup(true)
    commit.enqueue(edit('a'))
    commit.writePending()
    commit.enqueue(edit('b')) // at the end of this turn: journaled, not yet in SQLite
    await turn()
    expect(pending.rows).toHaveLength(1)
    expect(log.updates('W/doc', 0)).toHaveLength(1)
    const reloaded = new Room('W/doc', pending, () => {})
    expect(reloaded.doc.getText('t').toString()).toBe('ab')
    expect(reloaded.seq).toBe(2)
    expect(reloaded.clientOwners.size).toBe(1)
    room.rebuild(pending) // as after a refused update
    expect(room.doc.getText('t').toString()).toBe('ab')
    expect(room.seq).toBe(2)
    reloaded.destroy()
  })
})

describe('when the rows of SQLite are written', () => {
  afterEach(() => {
    vi.useRealTimers()
  })
  const fake = () =>
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] })

  it('at 50 ms when the relay is quiet', () => {
    fake()
    const { commit, log, edit } = setup(true)
    commit.enqueue(edit('a'))
    vi.advanceTimersByTime(49)
    expect(log.updates('W/doc', 0)).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(log.updates('W/doc', 0)).toHaveLength(1)
  })

  it('while edits flow, a millisecond after the next broadcast, not in between', () => {
    fake()
    const { commit, log, sent, edit } = setup(true)
    commit.enqueue(edit('a'))
    vi.advanceTimersByTime(45)
    commit.enqueue(edit('b'))
    vi.advanceTimersByTime(5) // due, but an edit was committed 5 ms ago: the next one may be near
    expect(log.updates('W/doc', 0)).toHaveLength(0)
    vi.advanceTimersByTime(3)
    commit.enqueue(edit('c'))
    expect(sent).toHaveLength(3) // broadcast first ...
    expect(log.updates('W/doc', 0)).toHaveLength(0)
    vi.advanceTimersByTime(1) // ... then, a millisecond on, the rows
    expect(log.updates('W/doc', 0)).toHaveLength(3)
    expect(commit.commits).toBe(1)
  })

  it('at the latest 50 ms after they were due, if no edit follows', () => {
    fake()
    const { commit, log, edit } = setup(true)
    commit.enqueue(edit('a'))
    vi.advanceTimersByTime(45)
    commit.enqueue(edit('b'))
    vi.advanceTimersByTime(54)
    expect(log.updates('W/doc', 0)).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(log.updates('W/doc', 0)).toHaveLength(2)
  })
})

async function waitForRows(log: UpdateLog, n: number): Promise<void> {
  const end = performance.now() + 2000
  while (log.updates('W/doc', 0).length < n) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${n} rows`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
