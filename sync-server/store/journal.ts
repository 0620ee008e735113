import { closeSync, constants, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import * as decoding from 'lib0/decoding'
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
/** Records one after another; and, with synced writes, batches on pages of their own (PAGE). */
const MAGIC = 'SGNJRNL1'
const MAGIC_PAGED = 'SGNJRNL2'
const RECORD_HEAD = 8
const ZEROS = Buffer.alloc(1024 * 1024)
/**
 * With synced writes (`syncWrites`) each batch starts on a page of its own and is padded with
 * zeros to the next: direct I/O writes whole blocks, and a write never touches a block that holds
 * a record someone was already told of. 4 KiB suits disks with 512-byte and with 4 KiB sectors.
 * In such a "paged" journal a record's head never crosses a page, and a length of 0 where a
 * record could start means "go on at the next page".
 */
const PAGE = 4096
/** The page-aligned buffer synced writes go out from; a larger batch goes out in pieces of it. */
const DIRECT_BUFFER_BYTES = 1024 * 1024

/**
 * The relay's write-ahead record of accepted updates, ahead of SQLite (group-commit.ts). On the
 * path of an edit, a row of SQLite costs a transaction (BEGIN, INSERT, COMMIT: about 100 µs of
 * the relay's thread when the edit arrives to cold caches), a record here one `pwrite`; so the
 * relay writes the record, syncs it, broadcasts, and only then writes the row. A record is durable
 * before anyone hears of its update; its row follows a little later, many in one transaction
 * (group-commit.ts), and the journal is replayed into SQLite at the next start after a crash
 * (`replayJournal`).
 *
 * The file is a header block (magic, epoch, CRC) and records, each `length, CRC, payload` with the
 * CRC taken over the payload seeded with the epoch. Reading stops at the first record that does
 * not check: a torn last write, the zeros laid out in advance, or a record left from an earlier
 * epoch. The journal starts over (`reset`) by writing a new epoch into the header once every
 * record in it is a durable row of SQLite, which makes all the old records stale at once.
 *
 * With durability 'disk' the relay makes the journal's writes synced (`syncWrites`: O_DIRECT and
 * O_DSYNC): one `pwrite` puts a batch on the disk, instead of a write into the page cache and an
 * fdatasync after it. Each batch then starts on a page and is padded with zeros (PAGE), and the
 * header says so (MAGIC_PAGED) for whoever reads the journal after a crash.
 */
export class Journal {
  readonly path: string
  private readonly fd: number
  /** The descriptor synced writes go through (O_DIRECT | O_DSYNC); -1 while writes are buffered. */
  private direct = -1
  /** Where a batch's records are built: page-aligned with synced writes. */
  private buf: Buffer = Buffer.allocUnsafe(64 * 1024)
  private epoch: number
  /** Laid out in pages (PAGE), as synced writes write it; read that way too. */
  private paged: boolean
  /** Where the next record goes. */
  private pos = HEADER_BYTES
  private size: number
  private closed = false
  /**
   * An append failed part-way: records of a batch that was never accepted may be on the file
   * after the last good one. The journal is not written again until it has started over.
   */
  broken = false

  private constructor(path: string, fd: number, header: Header, size: number) {
    this.path = path
    this.fd = fd
    this.epoch = header.epoch
    this.paged = header.paged
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
      return new Journal(path, fd, readHeader(header), size)
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
      if (this.paged && pos % PAGE !== 0 && (PAGE - (pos % PAGE) < RECORD_HEAD || length === 0)) {
        pos = roundUp(pos) // the zeros that end a page
        continue
      }
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

  /** Whether each append is on the disk when it returns (`syncWrites`). */
  get writesSynced(): boolean {
    return this.direct >= 0
  }

  /**
   * From now on each append is on the disk when it returns, with one `pwrite` (O_DIRECT and
   * O_DSYNC), instead of needing an fdatasync after it. Only on an empty journal (just reset).
   * Returns why not when this platform, filesystem or disk cannot: the journal then stays
   * buffered, and the caller syncs it. Only a disk error on the header page (not a refusal)
   * leaves it `broken`, until the next reset rewrites that page.
   */
  syncWrites(open: typeof openSync = openSync): string | null {
    if (this.direct >= 0) return null
    if (this.pos !== HEADER_BYTES) throw new Error('synced writes start on an empty journal')
    const O_DIRECT = (constants as { O_DIRECT?: number }).O_DIRECT
    if (O_DIRECT === undefined) return 'this platform has no O_DIRECT'
    let fd: number
    try {
      fd = open(this.path, constants.O_RDWR | O_DIRECT | constants.O_DSYNC)
    } catch (err) {
      return (err as Error).message
    }
    // Direct I/O needs memory aligned as the disk requires, which JavaScript cannot ask for: the
    // header page, now saying "paged", is written from each 16-byte step of a buffer until one
    // is taken.
    const raw = Buffer.alloc(DIRECT_BUFFER_BYTES + PAGE)
    const header = encodeHeader(this.epoch, true)
    for (let at = 0; at < PAGE; at += 16) {
      header.copy(raw, at)
      try {
        writeFully(fd, raw, at, PAGE, 0)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EINVAL') continue
        closeSync(fd)
        // The header page may be damaged: nothing more is written ahead until a reset rewrites it.
        this.broken = true
        return (err as Error).message
      }
      this.buf = raw.subarray(at, at + DIRECT_BUFFER_BYTES)
      this.direct = fd
      this.paged = true
      return null
    }
    closeSync(fd)
    return 'the filesystem refuses direct writes'
  }

  /**
   * Writes the records of one batch with one `pwrite`, after the last; with synced writes, it is
   * on the disk when this returns. Throws when the write fails, and is `broken` until the next reset.
   */
  append(entries: LogEntry[]): void {
    let bound = PAGE
    for (const e of entries) bound += recordBound(e) + RECORD_HEAD
    const buf = bound <= this.buf.length ? this.buf : Buffer.allocUnsafe(bound)
    let at = 0
    for (const e of entries) {
      // In a paged journal a record's head does not cross a page (the reader goes on at the next).
      const left = PAGE - ((this.pos + at) % PAGE)
      if (this.paged && left < RECORD_HEAD) {
        buf.fill(0, at, at + left)
        at += left
      }
      at = writeRecord(buf, at, e, this.epoch)
    }
    try {
      if (this.direct < 0) {
        writeFully(this.fd, buf, 0, at, this.pos)
      } else {
        const total = roundUp(at) // this.pos is on a page
        buf.fill(0, at, total)
        for (let done = 0; done < total; done += DIRECT_BUFFER_BYTES) {
          const n = Math.min(DIRECT_BUFFER_BYTES, total - done)
          if (buf !== this.buf) buf.copy(this.buf, 0, done, done + n)
          writeFully(this.direct, this.buf, 0, n, this.pos + done)
        }
        at = total
      }
    } catch (err) {
      this.broken = true
      throw err
    }
    this.pos += at
    if (this.pos > this.size) this.size = this.pos
  }

  /**
   * Start over: a new epoch in the header makes every record written so far stale. Only once
   * SQLite holds all of them durably (the caller has synced its WAL, or with durability 'process'
   * written them). The header reaches the disk with the next sync of the journal (with synced
   * writes, at once); until then a crash finds the old epoch and replays rows SQLite already has,
   * which changes nothing.
   */
  reset(): void {
    const epoch = (this.epoch + 1) >>> 0 || 1
    this.paged = this.direct >= 0
    if (this.direct < 0) writeSync(this.fd, encodeHeader(epoch, false), 0, 16, 0)
    else {
      // The header page from the aligned buffer: the rest of the page is zeros, as laid out.
      this.buf.fill(0, 0, PAGE)
      encodeHeader(epoch, true).copy(this.buf)
      writeFully(this.direct, this.buf, 0, PAGE, 0)
    }
    this.epoch = epoch
    this.pos = HEADER_BYTES
    this.broken = false
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.direct >= 0) closeSync(this.direct)
    closeSync(this.fd)
  }
}

function encodeHeader(epoch: number, paged: boolean): Buffer {
  const header = Buffer.alloc(16)
  header.write(paged ? MAGIC_PAGED : MAGIC, 0, 'latin1')
  header.writeUInt32LE(epoch, 8)
  header.writeUInt32LE(crc32(header.subarray(0, 12)), 12)
  return header
}

interface Header {
  /** 0 (nothing valid to read) for zeros or a damaged header. */
  epoch: number
  paged: boolean
}

function readHeader(header: Buffer): Header {
  const magic = header.toString('latin1', 0, 8)
  if (magic !== MAGIC && magic !== MAGIC_PAGED) return { epoch: 0, paged: false }
  if (crc32(header.subarray(0, 12)) !== header.readUInt32LE(12)) return { epoch: 0, paged: false }
  return { epoch: header.readUInt32LE(8), paged: magic === MAGIC_PAGED }
}

const roundUp = (pos: number) => Math.ceil(pos / PAGE) * PAGE

/** pwrite all of it; a write that stops short throws. */
function writeFully(fd: number, buf: Buffer, offset: number, length: number, position: number): void {
  let written = 0
  while (written < length) {
    const n = writeSync(fd, buf, offset + written, length - written, position + written)
    if (n <= 0) throw new Error(`short write to the journal (${written} of ${length} bytes)`)
    written += n
  }
}

// ---- records -------------------------------------------------------------------------------
// A record is built in place, in plain JavaScript: on the path of every edit, lib0's encoder
// and zlib's crc32 cost about 50 µs between them on a thread just woken by the edit, this
// about 10. The bytes are those lib0's encoder made (`decodeEntry` reads them), and the CRC
// zlib's (the tests check both).

const CRC_TABLE = new Int32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  CRC_TABLE[n] = c
}

/** zlib's crc32(buf.subarray(start, end), seed). */
export function crc32Of(buf: Uint8Array, start: number, end: number, seed: number): number {
  let c = ~seed
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/** Bytes a record of `e` can take at most. */
function recordBound(e: LogEntry): number {
  return (
    RECORD_HEAD +
    3 * (e.doc.length + e.member.length + e.token.length) +
    9 * (e.clients.length + 6) +
    e.data.length
  )
}

function writeVarUint(buf: Buffer, at: number, n: number): number {
  while (n > 0x7f) {
    buf[at++] = 0x80 | (n % 0x80)
    n = Math.floor(n / 0x80)
  }
  buf[at++] = n
  return at
}

function writeVarString(buf: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      const bytes = Buffer.from(s, 'utf8')
      at = writeVarUint(buf, at, bytes.length)
      buf.set(bytes, at)
      return at + bytes.length
    }
  }
  at = writeVarUint(buf, at, s.length)
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i)
  return at
}

/** `length, CRC, payload` of `e` at `at` (the payload as `decodeEntry` reads it); returns where the record ends. */
export function writeRecord(buf: Buffer, at: number, e: LogEntry, epoch: number): number {
  const start = at + RECORD_HEAD
  let end = writeVarString(buf, start, e.doc)
  end = writeVarUint(buf, end, e.seq)
  end = writeVarUint(buf, end, e.time)
  end = writeVarString(buf, end, e.member)
  end = writeVarString(buf, end, e.token)
  end = writeVarUint(buf, end, e.clients.length)
  for (const c of e.clients) end = writeVarUint(buf, end, c)
  end = writeVarUint(buf, end, e.data.length)
  buf.set(e.data, end)
  end += e.data.length
  buf.writeUInt32LE(end - start, at)
  buf.writeUInt32LE(crc32Of(buf, start, end, epoch), at + 4)
  return end
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
