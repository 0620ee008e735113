import type { Pool, PoolClient } from 'pg'
import { type Access, newToken, type TokenInfo, type TokenRow, tokenInfo } from '../store/tokens.ts'
import {
  type LogEntryInfo,
  type LogQuery,
  type LogRow,
  logEntryInfo,
  logPageQuery,
} from '../store/update-log.ts'
import { APPEND, NOT_SKIPPED, NOW_MS, SCHEMA } from './pg-sql.ts'
import { type Row, Snapshot, toRow } from './snapshot.ts'

export type { Row }

/**
 * The cluster's durable store in PostgreSQL: the update log, the per-document heads (the only
 * place sequence numbers are assigned), checkpoints and tokens. `pg` is imported by the caller
 * (cluster/node.ts) only in cluster mode, so the desktop app never bundles it.
 */

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

/**
 * Run `fn` in a transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it
 * throws. A connection that failed mid-transaction is not given back to the pool.
 */
export async function inTransaction<T>(
  pool: Pool,
  begin: string,
  fn: (c: PoolClient) => Promise<T>,
): Promise<T> {
  const c = await pool.connect()
  let broken: Error | undefined
  try {
    await c.query(begin)
    const result = await fn(c)
    await c.query('COMMIT')
    return result
  } catch (err) {
    broken = err as Error
    await c.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    c.release(broken)
  }
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
      // One snapshot for every read: the rows, the checkpoint and the head agree.
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const top = await c.query<{
        head: string | null
        bytes: string | null
        cp_seq: string | null
        cp_data: Buffer | null
        cp_owners: string | null
      }>(
        `SELECT h.seq AS head, h.bytes, k.seq AS cp_seq, k.data AS cp_data, k.owners AS cp_owners
         FROM (SELECT $1::text AS doc) d LEFT JOIN doc_heads h USING (doc) LEFT JOIN checkpoints k USING (doc)`,
        [doc],
      )
      const t = top.rows[0]!
      const cp = t.cp_seq !== null ? { seq: Number(t.cp_seq), data: new Uint8Array(t.cp_data!) } : undefined
      const from = Math.min(cp?.seq ?? 0, rowsAfter)
      const rows = (await this.rowsFrom(c, doc, from)).map(toRow)
      const owners = new Map<number, string>()
      if (cp && t.cp_owners === null) {
        const all = await c.query<{ member: string; clients: string }>(
          `SELECT member, clients FROM updates WHERE doc = $1 AND ${NOT_SKIPPED} ORDER BY seq`,
          [doc],
        )
        for (const r of all.rows)
          for (const id of JSON.parse(r.clients) as number[]) if (!owners.has(id)) owners.set(id, r.member)
      } else {
        if (cp)
          for (const [id, member] of JSON.parse(t.cp_owners!) as [number, string][]) owners.set(id, member)
        // Rows up to the checkpoint are in its owners already; first writer wins after it.
        for (const r of rows)
          if (r.seq > (cp?.seq ?? 0))
            for (const id of r.clients) if (!owners.has(id)) owners.set(id, r.member)
      }
      await c.query('COMMIT')
      return new Snapshot(cp, rows, Number(t.head ?? 0), Number(t.bytes ?? 0), owners)
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      c.release()
    }
  }

  private rowsFrom(c: PoolClient, doc: string, after: number) {
    return c
      .query<{ seq: string; member: string; clients: string; data: Buffer }>(
        `SELECT seq, member, clients, data FROM updates WHERE doc = $1 AND seq > $2 AND ${NOT_SKIPPED} ORDER BY seq`,
        [doc, after],
      )
      .then((r) => r.rows)
  }

  /** Rows after `after` up to `upto` (inclusive), in order: what a node missed. */
  async rows(doc: string, after: number, upto: number): Promise<Row[]> {
    const r = await this.pool.query<{ seq: string; member: string; clients: string; data: Buffer }>(
      `SELECT seq, member, clients, data FROM updates WHERE doc = $1 AND seq > $2 AND seq <= $3 AND ${NOT_SKIPPED} ORDER BY seq`,
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
   * One group commit, one statement (one round trip, its own transaction, durable when it
   * returns: synchronous_commit=on): it locks the documents' heads in sorted order and, for each
   * document whose stored head is the one the node applied (compare-and-set), writes its rows as
   * head+1… with the database's time (never below the document's last). A document whose head
   * moved on is left out: the node is behind on it. `beforeCommit` (the test fault switch) runs
   * the same statement inside BEGIN … COMMIT and is called right before COMMIT.
   */
  async append(docs: DocAppend[], beforeCommit?: () => void): Promise<AppendResult> {
    const started = performance.now()
    const h = { doc: [] as string[], expected: [] as number[], seq: [] as number[], bytes: [] as number[] }
    const r = {
      doc: [] as string[],
      seq: [] as number[],
      member: [] as string[],
      token: [] as string[],
      clients: [] as string[],
      data: [] as Buffer[],
    }
    for (const d of docs) {
      let seq = d.expected
      let bytes = 0
      for (const row of d.rows) {
        r.doc.push(d.doc)
        r.seq.push(++seq)
        r.member.push(row.member)
        r.token.push(row.token)
        r.clients.push(JSON.stringify(row.clients))
        r.data.push(Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength))
        bytes += row.data.length
      }
      h.doc.push(d.doc)
      h.expected.push(d.expected)
      h.seq.push(seq)
      h.bytes.push(bytes)
    }
    const args = [
      h.doc,
      h.expected,
      h.seq,
      h.bytes,
      this.node,
      r.doc,
      r.seq,
      r.member,
      r.token,
      r.clients,
      r.data,
    ]
    let rows: { doc: string; seq: string; written: boolean }[]
    if (!beforeCommit) {
      rows = (await this.pool.query(APPEND, args)).rows
    } else {
      rows = await inTransaction(this.pool, 'BEGIN', async (c) => {
        const r = (await c.query(APPEND, args)).rows
        beforeCommit()
        return r
      })
    }
    const written = new Map<string, number>()
    const behind = new Map<string, number>()
    const found = new Map(rows.map((x) => [x.doc, x]))
    docs.forEach((d, i) => {
      const x = found.get(d.doc)
      if (x?.written) written.set(d.doc, h.seq[i]!)
      else behind.set(d.doc, Number(x?.seq ?? 0))
    })
    return { written, behind, ms: performance.now() - started }
  }

  /**
   * A checkpoint of an exact log prefix, with who first wrote each client id up to it (`owners`
   * null: the loads after it read the owners from the whole log); never replaces a newer one.
   */
  async putCheckpoint(
    doc: string,
    seq: number,
    data: Uint8Array,
    owners: Map<number, string> | null = null,
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO checkpoints (doc, seq, data, owners) VALUES ($1, $2, $3, $4)
       ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, data = excluded.data, owners = excluded.owners
       WHERE checkpoints.seq < excluded.seq`,
      [doc, seq, Buffer.from(data), owners ? JSON.stringify([...owners]) : null],
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
    const { sql, args } = logPageQuery(doc, q, (n) => `$${n}`)
    return (await this.pool.query<LogRow>(sql, args)).rows.map(logEntryInfo)
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
