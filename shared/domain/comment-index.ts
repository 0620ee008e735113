/**
 * The workspace's index of comment activity (see comments.ts): open threads per output and
 * mentions per member, a claim every app rewrites from the output's signed records.
 */
import type * as Y from 'yjs'
import { isNum, isObj, isStr } from '../guards.ts'
import { deriveThreads } from './comment-threads.ts'
import { localOrigin } from './origins.ts'
import type { OutputDoc } from './output.ts'
import type { Workspace } from './workspace.ts'

export interface Mention {
  /** The comment or reply that mentions. */
  id: string
  outputId: string
  memberId: string
  by: string
  at: number
  excerpt: string
}

/** The workspace's index of comment activity, one row per output: what a board card and an inbox read. */
export interface ThreadIndexRow {
  open: number
  mentions: Mention[]
  /** When each member last wrote on this output's threads: a mention older than that was answered. */
  lastBy: Record<string, number>
}

/** Only the latest mentions per output are kept in the index (the output document has them all). */
const MENTIONS_KEPT = 50

export const threadIndexOf = (ws: Workspace): Y.Map<unknown> => ws.doc.getMap('threads')

export function threadIndexRow(ws: Workspace, outputId: string): ThreadIndexRow {
  const raw = threadIndexOf(ws).get(outputId)
  if (!isObj(raw)) return { open: 0, mentions: [], lastBy: {} }
  const open = isNum(raw.open) ? raw.open : 0
  const mentions = Array.isArray(raw.mentions)
    ? raw.mentions.filter(
        (m): m is Mention =>
          isObj(m) && isStr(m.id) && isStr(m.memberId) && isStr(m.by) && isNum(m.at) && isStr(m.excerpt),
      )
    : []
  const lastBy: Record<string, number> = {}
  if (isObj(raw.lastBy)) for (const [k, v] of Object.entries(raw.lastBy)) if (isNum(v)) lastBy[k] = v
  return { open, mentions: mentions.map((m) => ({ ...m, outputId })), lastBy }
}

/**
 * Rewrite an output's index row from its threads (after any change to them, and whenever an app
 * that has the output finds a row another app wrote: the row is a claim, the records are the
 * truth). Returns true when the row was wrong and was rewritten.
 */
export function refreshThreadIndex(ws: Workspace, out: OutputDoc, actorId: string): boolean {
  if (!out.id || !ws.members.get(actorId)) return false
  const { threads, open } = deriveThreads(ws, out)
  const mentions: Mention[] = []
  const lastBy: Record<string, number> = {}
  const wrote = (by: string, at: number) => {
    if ((lastBy[by] ?? 0) < at) lastBy[by] = at
  }
  for (const t of threads) {
    wrote(t.by, t.at)
    for (const r of t.replies) wrote(r.by, r.at)
    if (t.statusBy && t.statusAt !== undefined) wrote(t.statusBy, t.statusAt)
  }
  for (const t of threads)
    for (const c of [t, ...t.replies])
      for (const memberId of c.mentions)
        if (memberId !== c.by)
          mentions.push({
            id: c.id,
            outputId: out.id,
            memberId,
            by: c.by,
            at: c.at,
            excerpt: c.body.slice(0, 140),
          })
  mentions.sort((a, b) => a.at - b.at)
  const row = { open, mentions: mentions.slice(-MENTIONS_KEPT), lastBy }
  const index = threadIndexOf(ws)
  const previous = index.get(out.id)
  if (JSON.stringify(previous) === JSON.stringify(row)) return false
  // No row and nothing to say: not worth a write.
  if (previous === undefined && threads.length === 0) return false
  ws.transact(localOrigin(actorId), () => index.set(out.id, row))
  return true
}
