import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { LogEntry, UpdateLog } from './update-log.ts'

export const JOURNAL_FILE = 'relay.journal'

/**
 * The journal is laid out as zeros up to this size at start, for the reason the WAL is
 * (wal-sync.ts): a sync that overwrites blocks already written does not wait for the
 * filesystem's own journal. It starts over from its beginning once SQLite holds, durably,
 * everything in it (RESET_AT); a batch larger than what is left grows the file.
 */
export const JOURNAL_PREALLOCATE_BYTES = 16 * 1024 * 1024
const RESET_AT = 8 * 1024 * 1024
/** The header has the first block to itself; records follow. */
const HEADER_BYTES = 4096
const MAGIC = 'SGNJRNL1'
const RECORD_HEAD = 8
const ZEROS = Buffer.alloc(1024 * 1024)

/**
 * The relay's write-ahead record of accepted updates, ahead of SQLite (group-commit.ts). On the
 * path of an edit, a row of SQLite costs a transaction (BEGIN, INSERT, COMMIT: about 100 µs of
 * the relay's thread when the edit arrives to cold caches), a record here one `pwrite`; so the
 * relay writes the record, syncs it, broadcasts, and only then writes the row. A record is durable
 * before anyone hears of its update; the row follows on the same thread, before anything else
 * runs, and the journal is replayed into SQLite at the next start after a crash (`replayJournal`).
 *
 * The file is a header block (magic, epoch, CRC) and records, each `length, CRC, payload` with the
 * CRC taken over the payload seeded with the epoch. Reading stops at the first record that does
 * not check: a torn last write, the zeros laid out in advance, or a record left from an earlier
 * epoch. The journal starts over (`reset`) by writing a new epoch into the header once every
 * record in it is a durable row of SQLite, which makes all the old records stale at once.
 */
export class Journal {
  readonly path: string
  private readonly fd: number
  private epoch: number
  /** Where the next record goes. */
  private pos = HEADER_BYTES
  private size: number
  private closed = false
  /**
   * An append failed part-way: records of a batch that was never accepted may be on the file
   * after the last good one. The journal is not written again until it has started over.
   */
  broken = false

  private constructor(path: string, fd: number, epoch: number, size: number) {
    this.path = path
    this.fd = fd
    this.epoch = epoch
    this.size = size
  }

  static open(dataDir: string, preallocate = JOURNAL_PREALLOCATE_BYTES): Journal {
    const path = join(dataDir, JOURNAL_FILE)
    let fd: number
    try {
      fd = openSync(path, 'a+') // create if missing, never truncate
      closeSync(fd)
      fd = openSync(path, 'r+')
    } catch (err) {
      throw new Error(`cannot open ${path}: ${(err as Error).message}`)
    }
    try {
      let size = fstatSync(fd).size
      const laidOut = size < preallocate
      while (size < preallocate) {
        const n = Math.min(ZEROS.length, preallocate - size)
        size += writeSync(fd, ZEROS, 0, n, size)
      }
      // On the disk now, size and blocks, so that the first sync of a record does not wait for them.
      if (laidOut) fdatasyncSync(fd)
      const header = Buffer.alloc(16)
      readSync(fd, header, 0, 16, 0)
      return new Journal(path, fd, readEpoch(header), size)
    } catch (err) {
      closeSync(fd)
      throw new Error(`cannot lay out ${path}: ${(err as Error).message}`)
    }
  }

  /** The file descriptor to sync. */
  get file(): number {
    return this.fd
  }

  /** Bytes of records since the last reset. */
  get used(): number {
    return this.pos - HEADER_BYTES
  }

  /** Whether the journal should start over as soon as SQLite has all of it. */
  get due(): boolean {
    return this.broken || this.pos >= RESET_AT
  }

  /** The records of the current epoch, in the order they were written. */
  read(): LogEntry[] {
    const entries: LogEntry[] = []
    let pos = HEADER_BYTES
    const head = Buffer.alloc(RECORD_HEAD)
    while (pos + RECORD_HEAD <= this.size) {
      if (readSync(this.fd, head, 0, RECORD_HEAD, pos) < RECORD_HEAD) break
      const length = head.readUInt32LE(0)
      if (length === 0 || pos + RECORD_HEAD + length > this.size) break
      const payload = Buffer.alloc(length)
      if (readSync(this.fd, payload, 0, length, pos + RECORD_HEAD) < length) break
      if (crc32(payload, this.epoch) !== head.readUInt32LE(4)) break
      let entry: LogEntry
      try {
        entry = decodeEntry(payload)
      } catch {
        break
      }
      entries.push(entry)
      pos += RECORD_HEAD + length
    }
    this.pos = pos
    return entries
  }

  /**
   * Writes the records of one batch with one `pwrite`, after the last. Throws when the write
   * fails, and is `broken` until the next reset.
   */
  append(entries: LogEntry[]): void {
    const payloads = entries.map(encodeEntry)
    let total = 0
    for (const p of payloads) total += RECORD_HEAD + p.length
    const buf = Buffer.allocUnsafe(total)
    let at = 0
    for (const p of payloads) {
      buf.writeUInt32LE(p.length, at)
      buf.writeUInt32LE(crc32(p, this.epoch), at + 4)
      buf.set(p, at + RECORD_HEAD)
      at += RECORD_HEAD + p.length
    }
    let written = 0
    try {
      while (written < total) written += writeSync(this.fd, buf, written, total - written, this.pos + written)
    } catch (err) {
      this.broken = true
      throw err
    }
    this.pos += total
    if (this.pos > this.size) this.size = this.pos
  }

  /**
   * Start over: a new epoch in the header makes every record written so far stale. Only once
   * SQLite holds all of them durably (the caller has synced its WAL, or with durability 'process'
   * written them). The header reaches the disk with the next sync of the journal; until then a
   * crash finds the old epoch and replays rows SQLite already has, which changes nothing.
   */
  reset(): void {
    const epoch = (this.epoch + 1) >>> 0 || 1
    writeSync(this.fd, encodeHeader(epoch), 0, 16, 0)
    this.epoch = epoch
    this.pos = HEADER_BYTES
    this.broken = false
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    closeSync(this.fd)
  }
}

function encodeHeader(epoch: number): Buffer {
  const header = Buffer.alloc(16)
  header.write(MAGIC, 0, 'latin1')
  header.writeUInt32LE(epoch, 8)
  header.writeUInt32LE(crc32(header.subarray(0, 12)), 12)
  return header
}

/** The epoch in a header; 0 (nothing valid to read) for zeros or a damaged header. */
function readEpoch(header: Buffer): number {
  if (header.toString('latin1', 0, 8) !== MAGIC) return 0
  if (crc32(header.subarray(0, 12)) !== header.readUInt32LE(12)) return 0
  return header.readUInt32LE(8)
}

export function encodeEntry(e: LogEntry): Uint8Array {
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

function decodeEntry(payload: Uint8Array): LogEntry {
  const dec = decoding.createDecoder(payload)
  const doc = decoding.readVarString(dec)
  const seq = decoding.readVarUint(dec)
  const time = decoding.readVarUint(dec)
  const member = decoding.readVarString(dec)
  const token = decoding.readVarString(dec)
  const clients: number[] = []
  for (let n = decoding.readVarUint(dec); n > 0; n--) clients.push(decoding.readVarUint(dec))
  const data = decoding.readVarUint8Array(dec).slice()
  if (decoding.hasContent(dec)) throw new Error('trailing bytes')
  return { doc, seq, time, member, token, clients, data }
}

/** A journal that does not continue this database: replaying it would leave gaps in the log. */
export class JournalMismatch extends Error {}

/**
 * At start, before anything is loaded: writes into SQLite every record of the journal that it
 * does not hold yet (a crash came between a record and its row), in one transaction, and says
 * how many. A record SQLite holds already must be that row, byte for byte, and a missing one must
 * be the document's next; otherwise this journal is not this database's (a backup restored over
 * it) and nothing is written. The caller then makes SQLite durable and resets the journal.
 */
export function replayJournal(journal: Journal, log: UpdateLog): number {
  const entries = journal.read()
  if (entries.length === 0) return 0
  const next = new Map<string, number>()
  const missing: LogEntry[] = []
  for (const e of entries) {
    let last = next.get(e.doc)
    if (last === undefined) last = log.stats(e.doc).seq
    if (e.seq <= last) {
      const held = missing.find((m) => m.doc === e.doc && m.seq === e.seq)?.data ?? log.update(e.doc, e.seq)
      if (!held || Buffer.compare(Buffer.from(held), Buffer.from(e.data)) !== 0)
        throw mismatch(journal, e, 'differs from the row of that number')
      next.set(e.doc, last)
      continue
    }
    if (e.seq !== last + 1) throw mismatch(journal, e, `follows update ${last}, not the one before it`)
    missing.push(e)
    next.set(e.doc, e.seq)
  }
  if (missing.length === 0) return 0
  log.begin()
  try {
    for (const e of missing) log.append(e)
    log.commit()
  } catch (err) {
    log.rollback()
    throw new Error(
      `cannot write ${missing.length} updates from ${journal.path} into the log: ${(err as Error).message}`,
    )
  }
  return missing.length
}

function mismatch(journal: Journal, e: LogEntry, what: string): JournalMismatch {
  return new JournalMismatch(
    `${journal.path} does not belong to this database: its update ${e.seq} of ${e.doc} ${what}. ` +
      `If a backup was restored into this directory, remove ${journal.path} (it holds updates newer than the backup).`,
  )
}

/**
 * Opens the journal of a data directory for its one writer (the relay, or a repair, holding the
 * directory's lock): replays into SQLite what a crash left out, makes SQLite durable (`syncLog`),
 * then starts the journal over.
 */
export function openJournal(
  dataDir: string,
  log: UpdateLog,
  syncLog: () => void,
  preallocate = JOURNAL_PREALLOCATE_BYTES,
): { journal: Journal; replayed: number } {
  const journal = Journal.open(dataDir, preallocate)
  try {
    const replayed = replayJournal(journal, log)
    syncLog()
    journal.reset()
    return { journal, replayed }
  } catch (err) {
    journal.close()
    throw err
  }
}
