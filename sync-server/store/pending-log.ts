import type { RoomSource } from '../room.ts'
import type { LogEntry, UpdateLog } from './update-log.ts'

/**
 * The update log as the relay's documents see it: the rows in SQLite, and after them the rows
 * accepted but not yet written there (`rows`, in log order). Those are the updates of the batch
 * being checked (a refused one rebuilds its document from everything accepted before it), and,
 * after a failed write, updates that are durable in the journal but that SQLite refused
 * (group-commit.ts): documents are built from both, so they never lose what was broadcast.
 */
export class PendingLog implements RoomSource {
  readonly rows: LogEntry[] = []
  private readonly log: UpdateLog

  constructor(log: UpdateLog) {
    this.log = log
  }

  checkpoint(doc: string): { seq: number; data: Uint8Array } | undefined {
    return this.log.checkpoint(doc)
  }

  stats(doc: string): { seq: number; bytes: number } {
    const stats = this.log.stats(doc)
    for (const e of this.rows) {
      if (e.doc !== doc) continue
      stats.seq = Math.max(stats.seq, e.seq)
      stats.bytes += e.data.length
    }
    return stats
  }

  updates(doc: string, afterSeq: number): Uint8Array[] {
    const updates = this.log.updates(doc, afterSeq)
    for (const e of this.rows) if (e.doc === doc && e.seq > afterSeq) updates.push(e.data)
    return updates
  }

  clientOwners(doc: string): Map<number, string> {
    const owners = this.log.clientOwners(doc)
    for (const e of this.rows) {
      if (e.doc !== doc) continue
      for (const c of e.clients) if (!owners.has(c)) owners.set(c, e.member)
    }
    return owners
  }
}
