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

interface LogRow {
  seq: number
  time: number
  member: string
  data: Uint8Array
}

/**
 * `relay doc repair`: rebuild a document from its log with the relay's update check, in log
 * order, leaving out every update the check refuses (or that does not integrate) and everything
 * that then no longer fits. The rows stay in the log byte for byte, for the trace; they are only
 * marked in `skipped_updates`, which the relay leaves out when it loads the document. The new
 * state becomes the document's checkpoint. Run it with the relay stopped: a running relay holding
 * the document would overwrite the checkpoint when it unloads it.
 */
export function repairDocument(db: DatabaseSync, doc: string, now = Date.now()): RepairReport {
  const rows = db
    .prepare('SELECT seq, time, member, data FROM updates WHERE doc = ? ORDER BY seq')
    .all(doc) as unknown as LogRow[]
  const marked = new Set(
    (db.prepare('SELECT seq FROM skipped_updates WHERE doc = ?').all(doc) as { seq: number }[]).map((r) =>
      Number(r.seq),
    ),
  )
  let ydoc = new Y.Doc()
  const kept: LogRow[] = []
  const skipped: Skipped[] = []
  for (const row of rows) {
    if (marked.has(Number(row.seq))) continue
    const reason = integrate(ydoc, row.data)
    if (reason === null) {
      kept.push(row)
      continue
    }
    skipped.push({ seq: Number(row.seq), member: row.member, time: Number(row.time), reason })
    // A failed apply may have changed part of the document: start again from what was kept.
    ydoc.destroy()
    ydoc = new Y.Doc()
    for (const k of kept) Y.applyUpdate(ydoc, k.data)
  }
  const lastSeq = rows.length > 0 ? Number(rows[rows.length - 1]!.seq) : 0
  db.exec('BEGIN IMMEDIATE')
  try {
    const mark = db.prepare('INSERT INTO skipped_updates (doc, seq, reason, time) VALUES (?, ?, ?, ?)')
    for (const s of skipped) mark.run(doc, s.seq, s.reason, now)
    db.prepare('DELETE FROM checkpoints WHERE doc = ?').run(doc)
    if (lastSeq > 0)
      db.prepare('INSERT INTO checkpoints (doc, seq, data) VALUES (?, ?, ?)').run(
        doc,
        lastSeq,
        Y.encodeStateAsUpdate(ydoc),
      )
    db.exec('COMMIT')
  } catch (err) {
    db.exec('ROLLBACK')
    throw err
  } finally {
    ydoc.destroy()
  }
  return { doc, rows: rows.length, kept: kept.length, skipped, alreadySkipped: marked.size }
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
