/**
 * Suggestions: a reviewer proposes replacement words for a selection; anyone who may edit the
 * output accepts (the text changes as their edit, recorded in the trail as theirs) or declines.
 * Several can be accepted at once, in one transaction and one trail event. Suggestions are
 * threads in the signed comment records (comments.ts), so the trace says who proposed what on
 * which version, and who accepted it.
 */

import { deriveOutput, maybeAutoApprove, record } from './actions.ts'
import {
  anchorRange,
  appendRecord,
  COMMENT_MAX,
  type CommentResult,
  checkRange,
  commentRefusal,
  deriveThreads,
  transitionRule,
} from './comments.ts'
import type { Check } from './derive.ts'
import { checkAction } from './derive.ts'
import { contentLock } from './locks.ts'
import type { OutputDoc } from './output.ts'
import type { Workspace } from './workspace.ts'

export interface SuggestArgs {
  from: number
  to: number
  replacement: string
  /** Why, optionally. */
  body?: string
}

/** Propose `replacement` for the words in [from, to) (an empty replacement proposes deleting them). */
export function suggestChange(
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: SuggestArgs,
  now = Date.now(),
): CommentResult {
  const refused = commentRefusal(ws, memberId)
  if (refused) return { ok: false, reason: refused }
  const bad = checkRange(out, args.from, args.to)
  if (bad) return { ok: false, reason: bad }
  const replacement = args.replacement.replace(/\r\n?/g, '\n')
  const body = (args.body ?? '').trim()
  if (replacement.length > COMMENT_MAX || body.length > COMMENT_MAX)
    return { ok: false, reason: `A suggestion holds at most ${COMMENT_MAX} characters.` }
  const anchor = anchorRange(out, args.from, args.to)
  if (anchor.quote === replacement) return { ok: false, reason: 'The suggestion is the same as the text.' }
  const id = appendRecord(
    ws,
    out,
    memberId,
    { kind: 'suggestion', anchor, contentHash: out.hash(), replacement, body },
    now,
  )
  return { ok: true, id }
}

/**
 * Accept one or more open suggestions as this member's edit: each replaces the words it is
 * anchored to (refused when those words changed since it was made, or when two overlap), in one
 * transaction, then one `edited` trail event by this member names them, and each is marked accepted.
 */
export function acceptSuggestions(
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: { threads: string[] },
  now = Date.now(),
): Check {
  const refused = commentRefusal(ws, memberId)
  if (refused) return { ok: false, reason: refused }
  const { input, derived } = deriveOutput(ws, out)
  const edit = checkAction(derived, input, memberId, 'edit')
  if (!edit.ok) return edit
  const lock = contentLock(derived, input)
  if (lock.locked) return { ok: false, reason: `${lock.reason} Start a new version to accept suggestions.` }
  if (args.threads.length === 0) return { ok: false, reason: 'Choose the suggestions to accept.' }
  const all = deriveThreads(ws, out).threads
  const chosen: { id: string; from: number; to: number; replacement: string; by: string }[] = []
  for (const id of new Set(args.threads)) {
    const t = all.find((x) => x.id === id)
    if (t?.kind !== 'suggestion') return { ok: false, reason: 'There is no such suggestion on this output.' }
    if (t.status !== 'open') return { ok: false, reason: `That suggestion was already ${t.status}.` }
    if (!t.range || t.removed)
      return { ok: false, reason: 'The words that suggestion replaces were deleted.' }
    if (t.words !== t.anchor?.quote)
      return {
        ok: false,
        reason: `The words changed since it was suggested (“${t.anchor?.quote}” is now “${t.words}”).`,
      }
    chosen.push({ id: t.id, from: t.range.from, to: t.range.to, replacement: t.replacement ?? '', by: t.by })
  }
  chosen.sort((a, b) => a.from - b.from)
  for (let i = 1; i < chosen.length; i++)
    if (chosen[i]!.from < chosen[i - 1]!.to)
      return { ok: false, reason: 'Two of those suggestions change the same words: accept one.' }
  const inserted = chosen.reduce((n, c) => n + c.replacement.length, 0)
  const deleted = chosen.reduce((n, c) => n + c.to - c.from, 0)
  const names = [...new Set(chosen.map((c) => ws.members.get(c.by)?.name ?? c.by))].join(', ')
  // The text change and its trail event in one transaction, as this member's edit.
  record(
    ws,
    out,
    memberId,
    () => ({
      kind: 'edited',
      contentHash: out.hash(),
      summary: `Accepted ${chosen.length} suggestion${chosen.length === 1 ? '' : 's'} by ${names}: +${inserted} −${deleted} characters`,
      inserted,
      deleted,
    }),
    {
      now,
      keep: true,
      before: () => {
        // From the last to the first, so earlier ranges keep their offsets.
        for (const c of [...chosen].reverse()) {
          out.content.delete(c.from, c.to - c.from)
          if (c.replacement) out.content.insert(c.from, c.replacement)
        }
      },
    },
  )
  const hash = out.hash()
  for (const c of chosen)
    appendRecord(ws, out, memberId, { kind: 'accepted', thread: c.id, contentHash: hash }, now)
  maybeAutoApprove(ws, out, memberId, now)
  return { ok: true }
}

export function declineSuggestion(
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: { thread: string },
  now = Date.now(),
): CommentResult {
  const refused = commentRefusal(ws, memberId)
  if (refused) return { ok: false, reason: refused }
  const t = deriveThreads(ws, out).threads.find((x) => x.id === args.thread)
  if (!t) return { ok: false, reason: 'There is no such suggestion on this output.' }
  const rule = transitionRule(t, 'declined')
  if (rule) return { ok: false, reason: `${rule[0]!.toUpperCase()}${rule.slice(1)}.` }
  return { ok: true, id: appendRecord(ws, out, memberId, { kind: 'declined', thread: t.id }, now) }
}
