import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'
import { stripBidi } from '../ui/bidi.ts'

// The workspace keeps each row's parse until the row changes (workspace.ts); the board's copy
// without bidi overrides is kept by that parse, so a row is cleaned once per change rather than
// ten thousand times per keystroke elsewhere in the workspace.
const cleaned = new WeakMap<OutputSummary, OutputSummary>()

const last = new WeakMap<Workspace, { version: number; rows: OutputSummary[] }>()

/**
 * Every valid summary row; the board's one read of the workspace index. Returns the previous
 * array when no row changed, so the board regroups only on real changes (not on sync status),
 * and without reading the rows again while none did (the board asks at every change of the
 * session, whose sync state moves at every save).
 */
export function readSummaries(ws: Workspace): OutputSummary[] {
  const kept = last.get(ws)
  if (kept && kept.version === ws.summariesVersion) return kept.rows
  const version = ws.summariesVersion
  const out = ws.allSummaries()
  for (let i = 0; i < out.length; i++) {
    const s = out[i]!
    let c = cleaned.get(s)
    if (c === undefined) {
      // Member-written text shown on cards, menus and notices: no bidi overrides (ui/bidi.ts).
      const title = stripBidi(s.title)
      const changed = title !== s.title || s.reasons.some((r) => stripBidi(r) !== r)
      c = changed ? { ...s, title, reasons: s.reasons.map(stripBidi) } : s
      cleaned.set(s, c)
    }
    out[i] = c
  }
  const previous = kept?.rows
  const rows =
    previous && previous.length === out.length && previous.every((s, i) => s === out[i]) ? previous : out
  last.set(ws, { version, rows })
  return rows
}
