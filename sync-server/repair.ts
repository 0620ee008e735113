import type { DatabaseSync } from 'node:sqlite'
import * as Y from 'yjs'
import { checkUpdate, parseChecked, Refused } from './update-check.ts'
import { hasPending } from './yjs-internals.ts'

export interface Skipped {
  seq: number
  member: string
  time: number
  reason: string
}

export interface RepairReport {
  doc: string
  /** Rows in the log (marked ones from an earlier repair included). */
  rows: number
  kept: number
  /** Rows this repair marked. */
  skipped: Skipped[]
  /** Rows an earlier repair had marked already. */
  alreadySkipped: number
}

export interface LogRow {
  seq: number
  time: number
  member: string
  clients: number[]
  data: Uint8Array
}

/** What a repair decides, before it is written: the rows it marks and the rebuilt state. */
export interface RepairPlan {
  skipped: Skipped[]
  kept: LogRow[]
  lastSeq: number
  /** The rebuilt document, the new checkpoint (null when the log is empty). */
  state: Uint8Array | null
  /** Who first wrote each client id among the kept rows. */
  owners: Map<number, string>
}

/**
 * `relay doc repair`: rebuild a document from its log with the relay's update check, in log
 * order, leaving out every update the check refuses (or that does not integrate) and everything
 * that then no longer fits. The rows stay in the log byte for byte, for the trace; they are only
 * marked in `skipped_updates`, which the relay leaves out when it loads the document. The new
 * state becomes the document's checkpoint. The same plan for both stores (repairDocument for
 * SQLite, cluster/pg-repair.ts for PostgreSQL).
 */
export function planRepair(rows: LogRow[], marked: Set<number>): RepairPlan {
  let ydoc = new Y.Doc()
  const kept: LogRow[] = []
  const skipped: Skipped[] = []
  for (const row of rows) {
    if (marked.has(row.seq)) continue
    const reason = integrate(ydoc, row.data)
    if (reason === null) {
      kept.push(row)
      continue
    }
    skipped.push({ seq: row.seq, member: row.member, time: row.time, reason })
    // A failed apply may have changed part of the document: start again from what was kept.
    ydoc.destroy()
    ydoc = new Y.Doc()
    for (const k of kept) Y.applyUpdate(ydoc, k.data)
  }
  const lastSeq = rows.length > 0 ? rows[rows.length - 1]!.seq : 0
  const owners = new Map<number, string>()
  for (const k of kept) for (const c of k.clients) if (!owners.has(c)) owners.set(c, k.member)
  const state = lastSeq > 0 ? Y.encodeStateAsUpdate(ydoc) : null
  ydoc.destroy()
  return { skipped, kept, lastSeq, state, owners }
}

/** Repair a document of the embedded relay's SQLite log. Run it with the relay stopped. */
export function repairDocument(db: DatabaseSync, doc: string, now = Date.now()): RepairReport {
  const rows = (
    db
      .prepare('SELECT seq, time, member, clients, data FROM updates WHERE doc = ? ORDER BY seq')
      .all(doc) as {
      seq: number
      time: number
      member: string
      clients: string
      data: Uint8Array
    }[]
  ).map((r) => ({
    ...r,
    seq: Number(r.seq),
    time: Number(r.time),
    clients: JSON.parse(r.clients) as number[],
  }))
  const marked = new Set(
    (db.prepare('SELECT seq FROM skipped_updates WHERE doc = ?').all(doc) as { seq: number }[]).map((r) =>
      Number(r.seq),
    ),
  )
  const plan = planRepair(rows, marked)
  db.exec('BEGIN IMMEDIATE')
  try {
    const mark = db.prepare('INSERT INTO skipped_updates (doc, seq, reason, time) VALUES (?, ?, ?, ?)')
    for (const s of plan.skipped) mark.run(doc, s.seq, s.reason, now)
    db.prepare('DELETE FROM checkpoints WHERE doc = ?').run(doc)
    if (plan.state)
      db.prepare('INSERT INTO checkpoints (doc, seq, data) VALUES (?, ?, ?)').run(
        doc,
        plan.lastSeq,
        plan.state,
      )
    db.exec('COMMIT')
  } catch (err) {
    db.exec('ROLLBACK')
    throw err
  }
  return reportOf(doc, rows.length, plan, marked.size)
}

export function reportOf(doc: string, rows: number, plan: RepairPlan, alreadySkipped: number): RepairReport {
  return { doc, rows, kept: plan.kept.length, skipped: plan.skipped, alreadySkipped }
}

/** null when the update passes the relay's check and integrates completely; else why not. */
function integrate(doc: Y.Doc, data: Uint8Array): string | null {
  try {
    checkUpdate(doc, parseChecked(data))
    Y.applyUpdate(doc, data)
    return hasPending(doc) ? 'does not integrate' : null
  } catch (err) {
    return err instanceof Refused ? err.message : `does not apply: ${(err as Error).message}`
  }
}
