import { execFileSync } from 'node:child_process'
import {
  constants,
  type openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { crc32 } from 'node:zlib'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Relay, startRelay } from '../../../sync-server/relay.ts'
import { openDatabase } from '../../../sync-server/store/db.ts'
import {
  crc32Of,
  JOURNAL_FILE,
  Journal,
  JournalMismatch,
  openJournal,
  replayJournal,
  writeRecord,
} from '../../../sync-server/store/journal.ts'
import { type LogEntry, UpdateLog } from '../../../sync-server/store/update-log.ts'
import { openWalSync, type WalSync } from '../../../sync-server/store/wal-sync.ts'
import { CLI, type Client, client, getJson, NODE, NODE_FLAGS, synced, tempDir, waitFor } from './helpers.ts'

const dirs: string[] = []
const relays: Relay[] = []
const clients: Client[] = []
const dbs: DatabaseSync[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const r of relays.splice(0)) await r.close()
  for (const db of dbs.splice(0)) db.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function dir(): string {
  const d = tempDir()
  dirs.push(d)
  return d
}

function entry(seq: number, doc = 'W1/out-1', data = new Uint8Array([seq, 1, 2])): LogEntry {
  return {
    doc,
    seq,
    time: 1_700_000_000_000 + seq,
    member: 'ada',
    token: 'tok1',
    clients: [7, 2 ** 32 - 1],
    data,
  }
}

/** A record's payload as lib0's encoder writes it: what the journal's own encoder must match. */
function encodeEntry(e: LogEntry): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarString(enc, e.doc)
  encoding.writeVarUint(enc, e.seq)
  encoding.writeVarUint(enc, e.time)
  encoding.writeVarString(enc, e.member)
  encoding.writeVarString(enc, e.token)
  encoding.writeVarUint(enc, e.clients.length)
  for (const c of e.clients) encoding.writeVarUint(enc, c)
  encoding.writeVarUint8Array(enc, e.data)
  return encoding.toUint8Array(enc)
}

/** The sequence numbers a journal opened afresh in `d` reads. */
function seqsIn(d: string): number[] {
  const j = Journal.open(d, 64 * 1024)
  try {
    return j.read().map((e) => e.seq)
  } finally {
    j.close()
  }
}

function db(d: string): UpdateLog {
  const handle = openDatabase(d)
  dbs.push(handle)
  return new UpdateLog(handle)
}

describe('the journal file', () => {
  it('reads back what was appended, in order, with every field', () => {
    const d = dir()
    const j = Journal.open(d, 64 * 1024)
    j.reset()
    j.append([entry(1), entry(2)])
    j.append([entry(1, 'W1/other', new Uint8Array(5000).fill(9))])
    j.close()
    const again = Journal.open(d, 64 * 1024)
    expect(again.read()).toEqual([entry(1), entry(2), entry(1, 'W1/other', new Uint8Array(5000).fill(9))])
    again.close()
  })

  it('stops at a torn or damaged record and loses none before it', () => {
    const d = dir()
    const j = Journal.open(d, 64 * 1024)
    j.reset()
    j.append([entry(1)])
    const afterFirst = 4096 + j.used
    j.append([entry(2), entry(3)])
    j.close()
    const file = join(d, JOURNAL_FILE)
    const bytes = readFileSync(file)
    bytes[afterFirst + 12] = (bytes[afterFirst + 12] ?? 0) ^ 0xff // inside record 2's payload
    writeFileSync(file, bytes)
    expect(seqsIn(d)).toEqual([1])
  })

  it.each(['buffered', 'synced'])(
    'after a reset, forgets every earlier record although its bytes are still in the file (%s writes)',
    (writes) => {
      const d = dir()
      const j = Journal.open(d, 64 * 1024)
      j.reset()
      if (writes === 'synced') expect(j.syncWrites()).toBeNull()
      j.append([entry(1), entry(2), entry(3)])
      j.reset()
      j.append([entry(4)])
      j.close()
      expect(seqsIn(d)).toEqual([4])
    },
  )

  it('is laid out in advance, and a file of zeros or garbage reads as empty', () => {
    const d = dir()
    Journal.open(d, 64 * 1024).close()
    expect(readFileSync(join(d, JOURNAL_FILE)).length).toBe(64 * 1024)
    writeFileSync(join(d, JOURNAL_FILE), Buffer.from('not a journal at all, just some text'.repeat(200)))
    const j = Journal.open(d, 64 * 1024)
    expect(j.read()).toEqual([])
    j.close()
  })

  it('that fails to write is not written again until it has started over', () => {
    const d = dir()
    const j = Journal.open(d, 64 * 1024)
    j.reset()
    j.close() // every write now fails (EBADF), as a failing disk would
    expect(() => j.append([entry(1)])).toThrow()
    expect(j.broken).toBe(true)
    expect(j.due).toBe(true)
  })
})

describe('the journal with synced writes (O_DIRECT, O_DSYNC)', () => {
  it('starts each batch on a page, and reads back every record, whatever size the batches have', () => {
    const d = dir()
    const j = Journal.open(d, 64 * 1024)
    j.reset()
    expect(j.syncWrites()).toBeNull()
    expect(j.writesSynced).toBe(true)
    const written: LogEntry[] = []
    const append = (batch: LogEntry[]) => {
      j.append(batch)
      written.push(...batch)
      expect(j.used % 4096).toBe(0)
    }
    append([entry(1)])
    append([entry(2), entry(3)])
    // A record that ends 2 bytes before a page: the padding still holds a zero length.
    const overhead = 8 + encodeEntry(entry(4, 'W1/out-1', new Uint8Array(0))).length + 1
    append([entry(4, 'W1/out-1', new Uint8Array(4096 - 2 - overhead).fill(4))])
    expect(j.used % 4096).toBe(0)
    // Within a batch, a record that would start 3 bytes before a page starts on the page instead.
    append([entry(8, 'W1/out-1', new Uint8Array(4096 - 3 - overhead).fill(8)), entry(9)])
    // Larger than the aligned buffer: goes out in pieces of it, each synced.
    append([entry(5, 'W1/out-1', new Uint8Array(1536 * 1024).fill(5)), entry(6)])
    append([entry(7)])
    j.close()
    expect(readFileSync(join(d, JOURNAL_FILE)).toString('latin1', 0, 8)).toBe('SGNJRNL2')
    const again = Journal.open(d, 64 * 1024)
    expect(again.read()).toEqual(written)
    again.close()
  })

  it('reads a journal written buffered, and takes synced writes once it is empty again', () => {
    const d = dir()
    const j = Journal.open(d, 64 * 1024)
    j.reset()
    j.append([entry(1), entry(2)])
    j.close()
    const again = Journal.open(d, 64 * 1024)
    expect(again.read().map((e) => e.seq)).toEqual([1, 2])
    expect(() => again.syncWrites()).toThrow(/empty journal/)
    again.reset()
    expect(again.syncWrites()).toBeNull()
    again.append([entry(3)])
    again.close()
    expect(seqsIn(d)).toEqual([3])
  })

  it('stays buffered, and says why, where the filesystem has no direct I/O', () => {
    const d = dir()
    const j = Journal.open(d, 64 * 1024)
    j.reset()
    const refuse = (() => {
      throw Object.assign(new Error('EINVAL: invalid argument, open'), { code: 'EINVAL' })
    }) as unknown as typeof openSync
    expect(j.syncWrites(refuse)).toMatch(/EINVAL/)
    expect(j.writesSynced).toBe(false)
    j.append([entry(1)])
    j.close()
    expect(seqsIn(d)).toEqual([1])
  })

  it('builds the bytes lib0 and zlib would: the same record, the same CRC', () => {
    let seed = 7
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const buf = Buffer.alloc(64 * 1024)
    for (let i = 0; i < 300; i++) {
      const e: LogEntry = {
        doc: i % 5 === 0 ? `W1/ünïcode-${i}-🙂` : `W1/out-${i}`,
        seq: rand(2 ** 31) * (i % 3 === 0 ? 2 ** 20 : 1),
        time: 1_700_000_000_000 + rand(2 ** 30),
        member: i % 7 === 0 ? 'Zoë' : 'ada',
        token: `tok${rand(1000)}`,
        clients: Array.from({ length: rand(4) }, () => rand(2 ** 31) * 2),
        data: Uint8Array.from({ length: rand(300) }, () => rand(256)),
      }
      const epoch = rand(2 ** 31) * 2
      const end = writeRecord(buf, 0, e, epoch)
      const payload = encodeEntry(e)
      expect(Buffer.from(buf.subarray(8, end))).toEqual(Buffer.from(payload))
      expect(buf.readUInt32LE(0)).toBe(payload.length)
      expect(buf.readUInt32LE(4)).toBe(crc32(payload, epoch))
      expect(crc32Of(payload, 0, payload.length, epoch)).toBe(crc32(payload, epoch))
    }
  })
})

describe('replaying the journal at start', () => {
  it('writes the rows SQLite lacks, keeps those it has, and says how many', () => {
    const d = dir()
    const log = db(d)
    log.begin()
    log.append(entry(1))
    log.commit()
    const j = Journal.open(d, 64 * 1024)
    j.reset()
    j.append([entry(1), entry(2), entry(1, 'W1/other')])
    expect(replayJournal(j, log)).toBe(2)
    expect(log.updates('W1/out-1', 0)).toEqual([entry(1).data, entry(2).data])
    expect(log.list('W1/out-1', {})[1]).toMatchObject({ seq: 2, member: 'ada', clients: [7, 2 ** 32 - 1] })
    expect(log.updates('W1/other', 0)).toHaveLength(1)
    // Once more changes nothing.
    expect(replayJournal(j, log)).toBe(0)
    j.close()
  })

  it('refuses a journal that does not continue this database (a backup restored over it), writing nothing', () => {
    const d = dir()
    const log = db(d)
    const j = Journal.open(d, 64 * 1024)
    j.reset()
    j.append([entry(5), entry(6)]) // the database ends before update 5
    expect(() => replayJournal(j, log)).toThrow(JournalMismatch)
    expect(() => replayJournal(j, log)).toThrow(/remove .*relay\.journal/)
    expect(log.stats('W1/out-1').seq).toBe(0)

    log.begin()
    log.append(entry(1, 'W1/out-1', new Uint8Array([42])))
    log.commit()
    j.reset()
    j.append([entry(1)]) // update 1 with other bytes than the database's
    expect(() => replayJournal(j, log)).toThrow(/differs from the row/)
    j.close()
  })

  it('runs before `relay doc repair`, so a repair after a crash sees every update', () => {
    const d = dir()
    const doc = new Y.Doc()
    doc.getText('content').insert(0, 'only in the journal')
    const j = Journal.open(d)
    j.reset()
    j.append([{ ...entry(1, 'W1'), data: Y.encodeStateAsUpdate(doc) }])
    j.close()
    const out = execFileSync(NODE, [...NODE_FLAGS, CLI, 'doc', 'repair', '--data', d, '--doc', 'W1'], {
      encoding: 'utf8',
    })
    expect(out).toContain(`Wrote 1 updates a crash left in ${JOURNAL_FILE} into the log first.`)
    const log = db(d)
    expect(log.stats('W1').seq).toBe(1)
    const rebuilt = new Y.Doc()
    for (const u of log.updates('W1', 0)) Y.applyUpdate(rebuilt, u)
    expect(rebuilt.getText('content').toString()).toBe('only in the journal')
  })

  it('starts the journal over once SQLite has its rows on the disk', () => {
    const d = dir()
    const log = db(d)
    const j = Journal.open(d, 64 * 1024)
    j.reset()
    j.append([entry(1)])
    j.close()
    let synced = 0
    const opened = openJournal(d, log, () => synced++, 64 * 1024)
    expect(opened.replayed).toBe(1)
    expect(synced).toBe(1)
    expect(opened.journal.read()).toEqual([])
    opened.journal.close()
  })
})

/** The real disk, always waited for on the relay's thread: the relay writes ahead of SQLite. */
function fastDisk(fail = { next: 0 }): (d: string, handle: DatabaseSync) => WalSync {
  return (d, handle) => {
    const real = openWalSync(d, handle)
    return {
      sync: (done) => real.sync(done),
      syncNow: () => real.syncNow(),
      inline: true,
      syncFile(fd) {
        if (fail.next > 0) {
          fail.next--
          throw new Error('EIO: i/o error, fdatasync')
        }
        real.syncFile!(fd)
      },
      close: () => real.close(),
    }
  }
}

async function relayOn(dataDir: string, walSync?: (d: string, db: DatabaseSync) => WalSync): Promise<Relay> {
  const relay = await startRelay({ port: 0, dataDir, ...(walSync ? { walSync } : {}) })
  relays.push(relay)
  return relay
}

function open(relay: Relay, room: string, member: string): Client {
  const token = relay.createToken({ workspaceId: 'W1', memberId: member, access: 'write' }).token
  const c = client(relay.url, room, token)
  clients.push(c)
  return c
}

describe('a relay writing ahead of SQLite', () => {
  it('broadcasts an update once the journal has it, and the update survives SQLite refusing its row', async () => {
    const dataDir = dir()
    const lines: string[] = []
    // A disk the relay always finds fast (on a loaded test machine it might move to the pool).
    let relay = await startRelay({ port: 0, dataDir, log: (l) => lines.push(l), walSync: fastDisk() })
    relays.push(relay)
    const writer = open(relay, 'W1/out-1', 'ada')
    const reader = open(relay, 'W1/out-1', 'bea')
    await Promise.all([synced(writer), synced(reader)])
    writer.doc.getText('content').insert(0, 'first ')
    await waitFor(() => reader.doc.getText('content').toString() === 'first ', 'the first edit')
    expect(relay.stats().syncs).toBeGreaterThan(0)
    const other = openDatabase(dataDir)
    dbs.push(other)
    const log = new UpdateLog(other)
    // Its row follows in SQLite a moment later.
    await waitFor(() => log.stats('W1/out-1').seq === 1, 'the first row')

    // SQLite now refuses rows of this document, as a full disk would.
    other.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON updates WHEN NEW.doc = 'W1/out-1' BEGIN SELECT RAISE(ABORT, 'the disk is full'); END",
    )
    writer.doc.getText('content').insert(6, 'second')
    // The journal had it on the disk first: the reader is told, and a newcomer sees it.
    await waitFor(() => reader.doc.getText('content').toString() === 'first second', 'the second edit')
    await waitFor(() => lines.some((l) => l.includes('safe in the journal')), 'the refusal logged')
    const late = open(relay, 'W1/out-1', 'cy')
    await synced(late)
    expect(late.doc.getText('content').toString()).toBe('first second')
    expect(log.stats('W1/out-1').seq).toBe(1)
    // While SQLite refuses the row, nothing more is accepted: the next edit is refused, not lost.
    writer.doc.getText('content').insert(0, '> ')
    await waitFor(() => writer.closes.length > 0, 'the writer closed')
    expect(writer.closes[0]).toEqual({ code: 4500, reason: 'the relay could not store an update' })
    expect(reader.doc.getText('content').toString()).toBe('first second')

    // The relay stops with the row still refused: it stays in the journal.
    for (const c of clients.splice(0)) c.destroy()
    await relay.close()
    relays.length = 0
    expect(lines.some((l) => l.includes('stay in the journal for the next start'))).toBe(true)

    // The disk has room again; the next start writes the row from the journal.
    other.exec('DROP TRIGGER refuse')
    lines.length = 0
    relay = await startRelay({ port: 0, dataDir, log: (l) => lines.push(l), walSync: fastDisk() })
    relays.push(relay)
    expect(
      lines.some((l) => /1 updates a crash left out of the log were written from relay\.journal/.test(l)),
    ).toBe(true)
    expect(log.stats('W1/out-1').seq).toBe(2)
    expect(lines.some((l) => l.includes('could not'))).toBe(false)
    const auditor = relay.createToken({ workspaceId: 'W1', memberId: 'auditor', access: 'read' }).token
    const trace = await getJson(relay.url, `/api/docs/${encodeURIComponent('W1/out-1')}/updates`, auditor)
    expect(trace.body.updates.map((u: { seq: number; member: string }) => [u.seq, u.member])).toEqual([
      [1, 'ada'],
      [2, 'ada'],
    ])
    const fresh = open(relay, 'W1/out-1', 'dee')
    await synced(fresh)
    expect(fresh.doc.getText('content').toString()).toBe('first second')
  })

  it('writes the rows a moment later, many in one transaction, and the trace API sees every broadcast update', async () => {
    const relay = await relayOn(dir(), fastDisk())
    const writer = open(relay, 'W1/out-1', 'ada')
    const reader = open(relay, 'W1/out-1', 'bea')
    await Promise.all([synced(writer), synced(reader)])
    const text = writer.doc.getText('content')
    for (let i = 0; i < 20; i++) {
      text.insert(text.length, String(i % 10))
      const want = text.toString()
      await waitFor(() => reader.doc.getText('content').toString() === want, `edit ${i}`)
    }
    const commitsBefore = relay.stats().commits
    const auditor = relay.createToken({ workspaceId: 'W1', memberId: 'auditor', access: 'read' }).token
    const trace = await getJson(relay.url, `/api/docs/${encodeURIComponent('W1/out-1')}/updates`, auditor)
    expect(trace.body.updates).toHaveLength(20)
    // Twenty edits, each broadcast on its own, took fewer SQLite transactions than that.
    expect(relay.stats().commits).toBeLessThan(20)
    expect(relay.stats().commits).toBeGreaterThanOrEqual(commitsBefore)
    expect(relay.stats().syncs).toBeGreaterThanOrEqual(20)
  })

  it('whose journal sync fails acknowledges nothing of that update, and the clients recover', async () => {
    const fail = { next: 0 }
    const dataDir = dir()
    const relay = await relayOn(dataDir, fastDisk(fail))
    const writer = open(relay, 'W1/out-1', 'ada')
    const reader = open(relay, 'W1/out-1', 'bea')
    await Promise.all([synced(writer), synced(reader)])
    fail.next = 1
    writer.doc.getText('content').insert(0, 'kept by the writer')
    await waitFor(() => writer.closes.length > 0 && reader.closes.length > 0, 'both closed')
    expect(writer.closes[0]).toEqual({ code: 4500, reason: 'the relay could not make an update durable' })
    expect(relay.stats().syncFailures).toBe(1)
    // The stock clients reconnect (45xx) and resync: the edit arrives once (SQLite-first, until
    // the journal has started over).
    await waitFor(() => reader.doc.getText('content').toString() === 'kept by the writer', 'recovery', 15_000)
    // Later edits go ahead of SQLite again, through a journal that has started over.
    const text = writer.doc.getText('content')
    for (const s of ['> ', '>']) {
      text.insert(0, s)
      const want = text.toString()
      await waitFor(() => reader.doc.getText('content').toString() === want, 'a later edit')
    }
    const journal = Journal.open(dataDir)
    const records = journal.read()
    journal.close()
    // The failed update (1) was before the journal started over; the later ones are in it.
    expect(records.length).toBeGreaterThan(0)
    expect(records.every((r) => r.seq >= 2 && r.member === 'ada')).toBe(true)
    expect(relay.stats().syncFailures).toBe(1)
  })

  it('on the real disk writes each update into the journal with one synced write before anyone hears of it', async () => {
    const dataDir = dir()
    const relay = await relayOn(dataDir)
    const writer = open(relay, 'W1/out-1', 'ada')
    const reader = open(relay, 'W1/out-1', 'bea')
    await Promise.all([synced(writer), synced(reader)])
    writer.doc.getText('content').insert(0, 'on the disk')
    await waitFor(() => reader.doc.getText('content').toString() === 'on the disk', 'the edit')
    // The relay's descriptor of its journal is opened O_DIRECT | O_DSYNC (Linux shows its flags).
    if (process.platform === 'linux') {
      const flags = readdirSync('/proc/self/fd')
        .filter((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`) === join(dataDir, JOURNAL_FILE)
          } catch {
            return false
          }
        })
        .map((fd) =>
          Number.parseInt(/flags:\s*(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!, 8),
        )
      const { O_DIRECT = 0, O_DSYNC } = constants as { O_DIRECT?: number; O_DSYNC: number }
      expect(flags.some((f) => (f & O_DIRECT) !== 0 && (f & O_DSYNC) === O_DSYNC)).toBe(true)
    }
    // The record is in the file, page-aligned, whether or not its row has reached SQLite yet.
    const j = Journal.open(dataDir)
    const records = j.read()
    j.close()
    expect(records.map((e) => [e.doc, e.seq, e.member])).toEqual([['W1/out-1', 1, 'ada']])
    expect(relay.stats().syncs).toBeGreaterThan(0)
  })

  it('a journal from another database stops the relay from starting, with what to do', async () => {
    const dataDir = dir()
    const j = Journal.open(dataDir)
    j.reset()
    const update = Y.encodeStateAsUpdate(new Y.Doc())
    j.append([{ ...entry(3), data: update }])
    j.close()
    await expect(startRelay({ port: 0, dataDir })).rejects.toThrow(/does not belong to this database.*remove/)
    // Nothing was written, and the directory is free for the operator's next try.
    rmSync(join(dataDir, JOURNAL_FILE))
    await relayOn(dataDir)
  })
})
