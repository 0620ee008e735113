import type { Pool } from 'pg'
import { planRepair, type RepairReport, reportOf } from '../repair.ts'
import { NOW_MS } from './pg-sql.ts'
import { inTransaction } from './pg-store.ts'

/**
 * `relay doc repair --database …`: the embedded relay's repair (repair.ts) on a cluster's
 * PostgreSQL log. One transaction holds the document's head row locked, so no node appends to it
 * meanwhile (a node refuses to load a document that needs repair, so none holds it); the marked
 * rows and the new checkpoint, with its client id owners, are written together. The checkpoint
 * replaces whatever was there, as SQLite's repair does.
 */
export function repairPgDocument(pool: Pool, doc: string): Promise<RepairReport> {
  return inTransaction(pool, 'BEGIN', async (c) => {
    await c.query('SELECT seq FROM doc_heads WHERE doc = $1 FOR UPDATE', [doc])
    const rows = (
      await c.query<{ seq: string; time: string; member: string; clients: string; data: Buffer }>(
        'SELECT seq, time, member, clients, data FROM updates WHERE doc = $1 ORDER BY seq',
        [doc],
      )
    ).rows.map((r) => ({
      seq: Number(r.seq),
      time: Number(r.time),
      member: r.member,
      clients: JSON.parse(r.clients) as number[],
      data: new Uint8Array(r.data),
    }))
    const marked = new Set(
      (await c.query<{ seq: string }>('SELECT seq FROM skipped_updates WHERE doc = $1', [doc])).rows.map(
        (r) => Number(r.seq),
      ),
    )
    const plan = planRepair(rows, marked)
    for (const s of plan.skipped)
      await c.query(`INSERT INTO skipped_updates (doc, seq, reason, time) VALUES ($1, $2, $3, ${NOW_MS})`, [
        doc,
        s.seq,
        s.reason,
      ])
    await c.query('DELETE FROM checkpoints WHERE doc = $1', [doc])
    if (plan.state)
      await c.query('INSERT INTO checkpoints (doc, seq, data, owners) VALUES ($1, $2, $3, $4)', [
        doc,
        plan.lastSeq,
        Buffer.from(plan.state),
        JSON.stringify([...plan.owners]),
      ])
    return reportOf(doc, rows.length, plan, marked.size)
  })
}
