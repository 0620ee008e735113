/**
 * The host's local update log: the relay's own store (the same SQLite schema and UpdateLog), so
 * the log that is the version trace on the relay is kept on this machine too and the whole
 * history is available offline. Appends are grouped: every update written in one turn of the
 * event loop goes in one transaction with one sync (synchronous=FULL), and each append's promise
 * resolves only once its row is on the disk.
 */
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import * as Y from 'yjs'
import { openDatabase, UpdateLog } from '../../../sync-server/index.ts'

/** Who wrote a row: this machine's member (`local:<id>`) or the relay (`relay`). */
export type LogWriter = string

interface Queued {
  doc: string
  data: Uint8Array
  member: LogWriter
  done: () => void
  failed: (error: unknown) => void
}

/** After this many rows past the last checkpoint, loading a document writes a new one. */
const CHECKPOINT_EVERY = 500

export class ReplicaLog {
  private readonly db: DatabaseSync
  private readonly log: UpdateLog
  private readonly seqs = new Map<string, number>()
  private queue: Queued[] = []
  private scheduled = false
  private closed = false
  /** Appends written so far (for the figures). */
  appended = 0

  constructor(dataDir: string) {
    this.db = openDatabase(join(dataDir, 'replicas'), 'full')
    this.log = new UpdateLog(this.db)
  }

  private nextSeq(doc: string): number {
    const seq = (this.seqs.get(doc) ?? this.log.stats(doc).seq) + 1
    this.seqs.set(doc, seq)
    return seq
  }

  /** Append one update; resolves once it is durable. */
  append(doc: string, data: Uint8Array, member: LogWriter): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The local log is closed.'))
    return new Promise((done, failed) => {
      this.queue.push({ doc, data, member, done, failed })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return
    const time = Date.now()
    const seqsBefore = new Map(this.seqs)
    try {
      this.log.begin()
      for (const q of batch)
        this.log.append({
          doc: q.doc,
          seq: this.nextSeq(q.doc),
          time,
          member: q.member,
          token: '',
          clients: [],
          data: q.data,
        })
      this.log.commit()
    } catch (error) {
      this.log.rollback()
      this.seqs.clear()
      for (const [k, v] of seqsBefore) this.seqs.set(k, v)
      for (const q of batch) q.failed(error)
      return
    }
    this.appended += batch.length
    for (const q of batch) q.done()
  }

  /** Everything the log holds for a document, as one update (or null when it holds nothing). */
  load(doc: string): Uint8Array | null {
    const checkpoint = this.log.checkpoint(doc)
    const rows = this.log.updates(doc, checkpoint?.seq ?? 0)
    if (!checkpoint && rows.length === 0) return null
    const parts = checkpoint ? [checkpoint.data, ...rows] : rows
    const merged = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts)
    if (rows.length >= CHECKPOINT_EVERY) {
      const { seq } = this.log.stats(doc)
      // A checkpoint is a cache of the state after `seq`; the rows themselves stay.
      const d = new Y.Doc()
      Y.applyUpdate(d, merged)
      this.log.putCheckpoint(doc, seq, Y.encodeStateAsUpdate(d))
      d.destroy()
    }
    return merged
  }

  /** Rows of a document (seq, writer, size), for tests and the figures. */
  rows(doc: string): { seq: number; member: string; size: number }[] {
    return this.log
      .list(doc, { limit: 1_000_000 })
      .map((r) => ({ seq: r.seq, member: r.member, size: r.size }))
  }

  /**
   * The first member of this machine who wrote to a document here (`local:<id>` rows), or null
   * when it holds only what came from the relay: whose log it is (see Replicas' log keys).
   */
  localWriter(doc: string): string | null {
    const row = this.db
      .prepare("SELECT member FROM updates WHERE doc = ? AND member LIKE 'local:%' ORDER BY seq LIMIT 1")
      .get(doc) as { member: string } | undefined
    return row ? row.member.slice('local:'.length) : null
  }

  /** Write what is queued, then close. */
  close(): void {
    if (this.closed) return
    this.flush()
    this.closed = true
    this.db.close()
  }
}
