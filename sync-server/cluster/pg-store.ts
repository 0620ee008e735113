import type { Pool, PoolClient } from 'pg'
import { type Access, newToken, type TokenInfo, type TokenRow, tokenInfo } from '../store/tokens.ts'
import type { LogEntryInfo, LogQuery } from '../store/update-log.ts'
import { type Row, Snapshot, toRow } from './snapshot.ts'

export type { Row }

/**
 * The cluster's durable store in PostgreSQL: the update log, the per-document heads (the only
 * place sequence numbers are assigned), checkpoints and tokens. `pg` is imported by the caller
 * (cluster/node.ts) only in cluster mode, so the desktop app never bundles it.
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS updates (
  doc text NOT NULL,
  seq bigint NOT NULL,
  time bigint NOT NULL,
  member text NOT NULL,
  token text NOT NULL,
  clients text NOT NULL,
  node text NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (doc, seq)
);
CREATE TABLE IF NOT EXISTS doc_heads (
  doc text PRIMARY KEY,
  seq bigint NOT NULL,
  bytes bigint NOT NULL,
  last_time bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
  doc text PRIMARY KEY,
  seq bigint NOT NULL,
  data bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  id text PRIMARY KEY,
  workspace text NOT NULL,
  member text NOT NULL,
  access text NOT NULL CHECK (access IN ('read', 'write')),
  secret_hash bytea NOT NULL,
  created_at bigint NOT NULL,
  revoked_at bigint
);
CREATE INDEX IF NOT EXISTS tokens_by_workspace ON tokens (workspace);
`

/** Milliseconds since the epoch by the database's clock: the one clock every node shares. */
const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint'

/** One document's rows for an append; `expected` is the head the node's room has applied. */
export interface DocAppend {
  doc: string
  expected: number
  rows: { member: string; token: string; clients: number[]; data: Uint8Array }[]
}

export interface AppendResult {
  /** Documents written, with their new head. */
  written: Map<string, number>
  /** Documents whose stored head was ahead of `expected`: nothing of theirs was written. */
  behind: Map<string, number>
  /** How long the transaction took (ms), for the benchmark. */
  ms: number
}

export class PgStore {
  readonly pool: Pool
  readonly node: string

  constructor(pool: Pool, node: string) {
    this.pool = pool
    this.node = node
  }

  /** Creates the tables once; nodes starting together serialise on an advisory lock. */
  async migrate(): Promise<void> {
    const c = await this.pool.connect()
    try {
      await c.query('BEGIN')
      await c.query('SELECT pg_advisory_xact_lock(7318004)')
      await c.query(SCHEMA)
      await c.query('COMMIT')
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      c.release()
    }
  }

  /** The document's head row exists from its first load on, so appends only lock, never insert. */
  async ensureHead(doc: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO doc_heads (doc, seq, bytes, last_time) VALUES ($1, 0, 0, 0) ON CONFLICT (doc) DO NOTHING',
      [doc],
    )
  }

  /**
   * Read a document: its checkpoint, the rows after it (and after `rowsAfter` when that is
   * lower, for a room that must send what it missed), its head and who owns which client id.
   */
  async load(doc: string, rowsAfter = Number.POSITIVE_INFINITY): Promise<Snapshot> {
    const c = await this.pool.connect()
    try {
      // One snapshot for all three reads: the rows and the head agree.
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const cp = await c.query<{ seq: string; data: Buffer }>(
        'SELECT seq, data FROM checkpoints WHERE doc = $1',
        [doc],
      )
      const head = await c.query<{ seq: string; bytes: string }>(
        'SELECT seq, bytes FROM doc_heads WHERE doc = $1',
        [doc],
      )
      const cpRow = cp.rows[0]
        ? { seq: Number(cp.rows[0].seq), data: new Uint8Array(cp.rows[0].data) }
        : undefined
      const from = Math.min(cpRow?.seq ?? 0, rowsAfter)
      const rows = await c.query<{ seq: string; member: string; clients: string; data: Buffer }>(
        'SELECT seq, member, clients, data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq',
        [doc, from],
      )
      const owners = await c.query<{ member: string; clients: string }>(
        'SELECT member, clients FROM updates WHERE doc = $1 ORDER BY seq',
        [doc],
      )
      await c.query('COMMIT')
      const map = new Map<number, string>()
      for (const r of owners.rows)
        for (const id of JSON.parse(r.clients) as number[]) if (!map.has(id)) map.set(id, r.member)
      return new Snapshot(
        cpRow,
        rows.rows.map(toRow),
        Number(head.rows[0]?.seq ?? 0),
        Number(head.rows[0]?.bytes ?? 0),
        map,
      )
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      c.release()
    }
  }

  /** Rows after `after` up to `upto` (inclusive), in order: what a node missed. */
  async rows(doc: string, after: number, upto: number): Promise<Row[]> {
    const r = await this.pool.query<{ seq: string; member: string; clients: string; data: Buffer }>(
      'SELECT seq, member, clients, data FROM updates WHERE doc = $1 AND seq > $2 AND seq <= $3 ORDER BY seq',
      [doc, after, upto],
    )
    return r.rows.map(toRow)
  }

  async heads(docs: string[]): Promise<Map<string, number>> {
    const r = await this.pool.query<{ doc: string; seq: string }>(
      'SELECT doc, seq FROM doc_heads WHERE doc = ANY($1::text[])',
      [docs],
    )
    return new Map(r.rows.map((x) => [x.doc, Number(x.seq)]))
  }

  /**
   * One group commit: one transaction that locks the documents' heads in sorted order and, for
   * each document whose stored head is the one the node applied (compare-and-set), writes its
   * rows as head+1… with the database's time (never below the document's last). A document
   * whose head moved on is left out: the node is behind on it. `fault` runs right before COMMIT.
   */
  async append(docs: DocAppend[], fault?: () => void): Promise<AppendResult> {
    const started = performance.now()
    const sorted = [...docs].sort((a, b) => (a.doc < b.doc ? -1 : a.doc > b.doc ? 1 : 0))
    const c: PoolClient = await this.pool.connect()
    let broken: Error | undefined
    try {
      await c.query('BEGIN')
      const locked = await c.query<{ doc: string; seq: string }>(
        'SELECT doc, seq FROM doc_heads WHERE doc = ANY($1::text[]) ORDER BY doc FOR UPDATE',
        [sorted.map((d) => d.doc)],
      )
      const stored = new Map(locked.rows.map((r) => [r.doc, Number(r.seq)]))
      const written = new Map<string, number>()
      const behind = new Map<string, number>()
      const rDoc: string[] = []
      const rSeq: number[] = []
      const rMember: string[] = []
      const rToken: string[] = []
      const rClients: string[] = []
      const rData: Buffer[] = []
      const hDoc: string[] = []
      const hSeq: number[] = []
      const hBytes: number[] = []
      for (const d of sorted) {
        const head = stored.get(d.doc) ?? 0
        if (head !== d.expected || d.rows.length === 0) {
          if (head !== d.expected) behind.set(d.doc, head)
          continue
        }
        let seq = head
        let bytes = 0
        for (const r of d.rows) {
          seq++
          rDoc.push(d.doc)
          rSeq.push(seq)
          rMember.push(r.member)
          rToken.push(r.token)
          rClients.push(JSON.stringify(r.clients))
          rData.push(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength))
          bytes += r.data.length
        }
        hDoc.push(d.doc)
        hSeq.push(seq)
        hBytes.push(bytes)
        written.set(d.doc, seq)
      }
      if (hDoc.length > 0) {
        await c.query(
          `WITH h AS (
             UPDATE doc_heads d SET seq = v.seq, bytes = d.bytes + v.bytes, last_time = GREATEST(${NOW_MS}, d.last_time)
             FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS v(doc, seq, bytes)
             WHERE d.doc = v.doc RETURNING d.doc, d.last_time
           )
           INSERT INTO updates (doc, seq, time, member, token, clients, node, data)
           SELECT r.doc, r.seq, h.last_time, r.member, r.token, r.clients, $4, r.data
           FROM unnest($5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::bytea[])
             AS r(doc, seq, member, token, clients, data)
           JOIN h ON h.doc = r.doc`,
          [hDoc, hSeq, hBytes, this.node, rDoc, rSeq, rMember, rToken, rClients, rData],
        )
      }
      fault?.()
      await c.query('COMMIT')
      return { written, behind, ms: performance.now() - started }
    } catch (err) {
      broken = err as Error
      await c.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      // A connection that failed mid-transaction is not given back to the pool.
      c.release(broken)
    }
  }

  /** A checkpoint of an exact log prefix; never replaces a newer one. */
  async putCheckpoint(doc: string, seq: number, data: Uint8Array): Promise<void> {
    await this.pool.query(
      `INSERT INTO checkpoints (doc, seq, data) VALUES ($1, $2, $3)
       ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, data = excluded.data WHERE checkpoints.seq < excluded.seq`,
      [doc, seq, Buffer.from(data)],
    )
  }

  // ── trace API ──

  async head(doc: string): Promise<number> {
    const r = await this.pool.query<{ seq: string }>('SELECT seq FROM doc_heads WHERE doc = $1', [doc])
    return Number(r.rows[0]?.seq ?? 0)
  }

  async checkpoint(doc: string): Promise<{ seq: number; data: Uint8Array } | undefined> {
    const r = await this.pool.query<{ seq: string; data: Buffer }>(
      'SELECT seq, data FROM checkpoints WHERE doc = $1',
      [doc],
    )
    return r.rows[0] ? { seq: Number(r.rows[0].seq), data: new Uint8Array(r.rows[0].data) } : undefined
  }

  async updates(doc: string, after: number, upto: number): Promise<Uint8Array[]> {
    return (await this.rows(doc, after, upto)).map((r) => r.data)
  }

  async update(doc: string, seq: number): Promise<Uint8Array | undefined> {
    const r = await this.pool.query<{ data: Buffer }>(
      'SELECT data FROM updates WHERE doc = $1 AND seq = $2',
      [doc, seq],
    )
    return r.rows[0] ? new Uint8Array(r.rows[0].data) : undefined
  }

  async list(doc: string, q: LogQuery): Promise<LogEntryInfo[]> {
    const where = ['doc = $1', 'seq > $2']
    const args: (string | number)[] = [doc, q.after ?? 0]
    if (q.member !== undefined) {
      args.push(q.member)
      where.push(`member = $${args.length}`)
    }
    if (q.since !== undefined) {
      args.push(q.since)
      where.push(`time >= $${args.length}`)
    }
    if (q.until !== undefined) {
      args.push(q.until)
      where.push(`time <= $${args.length}`)
    }
    args.push(q.limit ?? 100)
    const r = await this.pool.query<{
      seq: string
      time: string
      member: string
      clients: string
      size: number
    }>(
      `SELECT seq, time, member, clients, length(data) AS size FROM updates WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${args.length}`,
      args,
    )
    return r.rows.map((x) => ({
      seq: Number(x.seq),
      time: Number(x.time),
      member: x.member,
      clients: JSON.parse(x.clients) as number[],
      size: Number(x.size),
    }))
  }

  // ── tokens ──

  async createToken(args: { workspaceId: string; memberId: string; access: Access }): Promise<{
    id: string
    token: string
  }> {
    const { id, hash, token } = newToken(args)
    await this.pool.query(
      `INSERT INTO tokens (id, workspace, member, access, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5, ${NOW_MS})`,
      [id, args.workspaceId, args.memberId, args.access, hash],
    )
    return { id, token }
  }

  async listTokens(workspaceId?: string): Promise<TokenInfo[]> {
    const r =
      workspaceId === undefined
        ? await this.pool.query<TokenRow>('SELECT * FROM tokens ORDER BY created_at, id')
        : await this.pool.query<TokenRow>(
            'SELECT * FROM tokens WHERE workspace = $1 ORDER BY created_at, id',
            [workspaceId],
          )
    return r.rows.map(tokenInfo)
  }

  async revokeToken(id: string): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE tokens SET revoked_at = ${NOW_MS} WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    )
    return (r.rowCount ?? 0) > 0
  }

  /** Which of these token ids are revoked now (the sweep: exact, whatever order revocations committed in). */
  async revokedAmong(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return []
    const r = await this.pool.query<{ id: string }>(
      'SELECT id FROM tokens WHERE id = ANY($1::text[]) AND revoked_at IS NOT NULL',
      [ids],
    )
    return r.rows.map((x) => x.id)
  }

  /** The token's stored row (for the node's cache), undefined when there is none. */
  async tokenRow(id: string): Promise<TokenRow | undefined> {
    const r = await this.pool.query<TokenRow>('SELECT * FROM tokens WHERE id = $1', [id])
    return r.rows[0]
  }
}
