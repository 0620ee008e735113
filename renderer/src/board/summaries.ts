import { parseSummary } from '../../../shared/domain/parse.ts'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'
import { stripBidi } from '../ui/bidi.ts'

// Yjs hands back the same object for a row until that row is replaced, so a row is parsed once
// per change rather than ten thousand times per keystroke elsewhere in the workspace.
const parsed = new WeakMap<object, OutputSummary | null>()

const last = new WeakMap<Workspace, OutputSummary[]>()

/**
 * Every valid summary row; the board's one read of the workspace index. Returns the previous
 * array when no row changed, so the board regroups only on real changes (not on sync status).
 */
export function readSummaries(ws: Workspace): OutputSummary[] {
  const out: OutputSummary[] = []
  for (const [key, raw] of ws.summaries.entries()) {
    if (typeof raw !== 'object' || raw === null) continue
    let s = parsed.get(raw)
    if (s === undefined) {
      s = parseSummary(raw)
      // Member-written text shown on cards, menus and notices: no bidi overrides (ui/bidi.ts).
      if (s) s = { ...s, title: stripBidi(s.title), reasons: s.reasons.map(stripBidi) }
      parsed.set(raw, s)
    }
    if (s && s.id === key) out.push(s)
  }
  const previous = last.get(ws)
  if (previous && previous.length === out.length && previous.every((s, i) => s === out[i])) return previous
  last.set(ws, out)
  return out
}
