import type { DatabaseSync, StatementSync } from 'node:sqlite'

export interface LogEntry {
  doc: string
  seq: number
  time: number
  member: string
  token: string
  clients: number[]
  data: Uint8Array
}

export interface LogEntryInfo {
  seq: number
  time: number
  member: string
  clients: number[]
  size: number
  /** Why `relay doc repair` left this update out of the document (the row itself stays). */
  skipped?: string
}

export interface LogQuery {
  after?: number
  limit?: number
  member?: string
  since?: number
  until?: number
}

/** A trace page's row as both stores return it (PostgreSQL's bigints arrive as strings). */
export interface LogRow {
  seq: number | string
  time: number | string
  member: string
  clients: string
  size: number
  skipped: string | null
}

/**
 * One page of the trace of `doc`, as SQL for either store: `param(n)` spells the nth parameter
 * (`?` in SQLite, `$n` in PostgreSQL).
 */
export function logPageQuery(
  doc: string,
  q: LogQuery,
  param: (n: number) => string,
): { sql: string; args: (string | number)[] } {
  const args: (string | number)[] = []
  const p = (value: string | number) => {
    args.push(value)
    return param(args.length)
  }
  const where = [`u.doc = ${p(doc)}`, `u.seq > ${p(q.after ?? 0)}`]
  if (q.member !== undefined) where.push(`u.member = ${p(q.member)}`)
  if (q.since !== undefined) where.push(`u.time >= ${p(q.since)}`)
  if (q.until !== undefined) where.push(`u.time <= ${p(q.until)}`)
  const sql = `SELECT u.seq, u.time, u.member, u.clients, length(u.data) AS size, s.reason AS skipped FROM updates u LEFT JOIN skipped_updates s ON s.doc = u.doc AND s.seq = u.seq WHERE ${where.join(' AND ')} ORDER BY u.seq LIMIT ${p(q.limit ?? 100)}`
  return { sql, args }
}

export function logEntryInfo(r: LogRow): LogEntryInfo {
  return {
    seq: Number(r.seq),
    time: Number(r.time),
    member: r.member,
    clients: JSON.parse(r.clients) as number[],
    size: Number(r.size),
    ...(r.skipped === null ? {} : { skipped: r.skipped }),
  }
}

/** Rows `relay doc repair` marked are kept for the trace and left out of the document. */
const NOT_SKIPPED = 'seq NOT IN (SELECT seq FROM skipped_updates WHERE doc = ?1)'

/**
 * The append-only update log. Rows are never updated or deleted: the log is the version trace.
 * Appends run inside a transaction the caller opens (group commit, see group-commit.ts). An update
 * that poisoned a document before the relay checked updates is marked in `skipped_updates` by
 * `relay doc repair` (repair.ts) and left out of what is replayed.
 */
export class UpdateLog {
  private readonly db: DatabaseSync
  private readonly insert: StatementSync
  private readonly lastSeqStmt: StatementSync
  private readonly afterStmt: StatementSync
  private readonly uptoStmt: StatementSync
  private readonly checkpointGet: StatementSync
  private readonly checkpointPut: StatementSync
  private readonly oneStmt: StatementSync
  private readonly ownersStmt: StatementSync
  private readonly beginStmt: StatementSync
  private readonly commitStmt: StatementSync

  constructor(db: DatabaseSync) {
    this.db = db
    this.insert = db.prepare(
      'INSERT INTO updates (doc, seq, time, member, token, clients, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    this.lastSeqStmt = db.prepare(
      'SELECT COALESCE(MAX(seq), 0) AS seq, COALESCE(SUM(length(data)), 0) AS bytes FROM updates WHERE doc = ?',
    )
    this.afterStmt = db.prepare(
      `SELECT data FROM updates WHERE doc = ?1 AND seq > ?2 AND ${NOT_SKIPPED} ORDER BY seq`,
    )
    this.uptoStmt = db.prepare(
      `SELECT data FROM updates WHERE doc = ?1 AND seq > ?2 AND seq <= ?3 AND ${NOT_SKIPPED} ORDER BY seq`,
    )
    this.checkpointGet = db.prepare('SELECT seq, data FROM checkpoints WHERE doc = ?')
    this.checkpointPut = db.prepare(
      'INSERT INTO checkpoints (doc, seq, data) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, data = excluded.data',
    )
    this.beginStmt = db.prepare('BEGIN IMMEDIATE')
    this.commitStmt = db.prepare('COMMIT')
    this.oneStmt = db.prepare('SELECT data FROM updates WHERE doc = ? AND seq = ?')
    this.ownersStmt = db.prepare(
      `SELECT member, clients FROM updates WHERE doc = ?1 AND ${NOT_SKIPPED} ORDER BY seq`,
    )
  }

  begin(): void {
    this.beginStmt.run()
  }

  commit(): void {
    this.commitStmt.run()
  }

  rollback(): void {
    if (this.db.isTransaction) this.db.exec('ROLLBACK')
  }

  append(e: LogEntry): void {
    this.insert.run(e.doc, e.seq, e.time, e.member, e.token, JSON.stringify(e.clients), e.data)
  }

  /** Highest sequence number and total logged bytes of a document (0, 0 when it has none). */
  stats(doc: string): { seq: number; bytes: number } {
    const row = this.lastSeqStmt.get(doc) as { seq: number; bytes: number }
    return { seq: Number(row.seq), bytes: Number(row.bytes) }
  }

  checkpoint(doc: string): { seq: number; data: Uint8Array } | undefined {
    const row = this.checkpointGet.get(doc) as { seq: number; data: Uint8Array } | undefined
    return row ? { seq: Number(row.seq), data: row.data } : undefined
  }

  /** A checkpoint is a cache of the state after `seq`; the raw rows stay. */
  putCheckpoint(doc: string, seq: number, data: Uint8Array): void {
    this.checkpointPut.run(doc, seq, data)
  }

  /** Update bytes after `afterSeq`, up to `uptoSeq` when given, in log order, skipped rows left out. */
  updates(doc: string, afterSeq: number, uptoSeq?: number): Uint8Array[] {
    const rows = (
      uptoSeq === undefined ? this.afterStmt.all(doc, afterSeq) : this.uptoStmt.all(doc, afterSeq, uptoSeq)
    ) as { data: Uint8Array }[]
    return rows.map((r) => r.data)
  }

  /**
   * Which member first wrote each Yjs client id of the document (skipped rows left out): a
   * client id is one member's, and only that member may add to it (update-check.ts).
   */
  clientOwners(doc: string): Map<number, string> {
    const owners = new Map<number, string>()
    for (const r of this.ownersStmt.all(doc) as { member: string; clients: string }[]) {
      for (const c of JSON.parse(r.clients) as number[]) if (!owners.has(c)) owners.set(c, r.member)
    }
    return owners
  }

  update(doc: string, seq: number): Uint8Array | undefined {
    return (this.oneStmt.get(doc, seq) as { data: Uint8Array } | undefined)?.data
  }

  /** One page of the trace: who wrote what, when, how big. */
  list(doc: string, q: LogQuery): LogEntryInfo[] {
    const { sql, args } = logPageQuery(doc, q, () => '?')
    return (this.db.prepare(sql).all(...args) as unknown as LogRow[]).map(logEntryInfo)
  }
}
