/**
 * Comments anchored to the words. They live in the output document's own `comments` Y.Array,
 * beside the trail: append-only records signed and hash-chained exactly like trail events (the
 * same `signEvent`, `chainLink` and `checkIntegrity`), under a scope of their own so a comment can
 * never be replayed as a trail event. Each record names the content version it was written on.
 *
 * An anchor is a pair of Yjs relative positions: the start sticks to the first character of the
 * selection, the end to the last, so the range follows its words through anyone's edits (offline
 * ones too, once they merge). When every one of its words is deleted the range collapses and the
 * thread stays, marked as on removed text.
 *
 * Every command here takes (workspace, output, member, args, now) and returns the result shape of
 * `perform`; the renderer calls them by name (renderer/src/output/commands.ts).
 */

import { isObj, isStr } from '../guards.ts'
import { refreshThreadIndex } from './comment-index.ts'
import {
  type Anchor,
  anchorRange,
  COMMENT_MAX,
  type CommentRecord,
  commentScope,
  commentsOf,
} from './comment-records.ts'
import { deriveThreads, mentionsIn, type Thread, transitionRule } from './comment-threads.ts'
import { newId } from './ids.ts'
import { localOrigin } from './origins.ts'
import type { OutputDoc } from './output.ts'
import { chainLink, signEvent } from './signing.ts'
import type { Workspace } from './workspace.ts'

export * from './comment-index.ts'
export * from './comment-records.ts'
export * from './comment-threads.ts'

type Body = CommentRecord extends infer R
  ? R extends CommentRecord
    ? Omit<R, 'id' | 'v' | 'actor' | 'at' | 'prev' | 'sig'>
    : never
  : never

export type CommentResult = { ok: true; id: string } | { ok: false; reason: string }

/** Who may write comment records: a member whose device can sign for them. */
export function commentRefusal(ws: Workspace, memberId: string): string | null {
  if (!ws.members.get(memberId)) return 'Only members of the workspace can comment.'
  return ws.signingProblem(memberId)
}

/** Append one record, signed and chained to the last one, then refresh the index. */
export function appendRecord(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  body: Body,
  now: number,
): string {
  const arr = commentsOf(out)
  let id = ''
  out.transact(localOrigin(actorId), () => {
    let r = { id: newId('c'), v: 1, actor: actorId, at: now, ...body } as CommentRecord
    const last = arr.length > 0 ? arr.get(arr.length - 1) : undefined
    if (isObj(last) && isStr(last.id)) r = { ...r, prev: chainLink(last as { id: string }) }
    const signer = ws.signerFor(actorId)
    if (signer) r = signEvent(commentScope(out), r, signer.key)
    arr.push([r])
    id = r.id
  })
  refreshThreadIndex(ws, out, actorId)
  return id
}

const cleanBody = (body: string) => body.replace(/\r\n?/g, '\n').trim()

function checkBody(body: string): string | null {
  if (!body) return 'Write something first.'
  if (body.length > COMMENT_MAX) return `A comment holds at most ${COMMENT_MAX} characters.`
  return null
}

export function checkRange(out: OutputDoc, from: number, to: number): string | null {
  const length = out.content.length
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > length || from > to)
    return 'That selection is not in the current text.'
  if (from === to) return 'Select the words the comment is about.'
  return null
}

export interface AddCommentArgs {
  /** The selected range of the current content; both absent for a comment on the whole output. */
  from?: number
  to?: number
  body: string
}

/** Start a thread on the selected words. */
export function addComment(
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: AddCommentArgs,
  now = Date.now(),
): CommentResult {
  const refused = commentRefusal(ws, memberId)
  if (refused) return { ok: false, reason: refused }
  const body = cleanBody(args.body)
  const bad = checkBody(body)
  if (bad) return { ok: false, reason: bad }
  let anchor: Anchor | null = null
  if (args.from !== undefined || args.to !== undefined) {
    const from = args.from ?? 0
    const to = args.to ?? 0
    const badRange = checkRange(out, from, to)
    if (badRange) return { ok: false, reason: badRange }
    anchor = anchorRange(out, from, to)
  }
  const mentions = mentionsIn(body, ws.members.all())
  const id = appendRecord(
    ws,
    out,
    memberId,
    { kind: 'comment', anchor, contentHash: out.hash(), body, mentions },
    now,
  )
  return { ok: true, id }
}

function findThread(ws: Workspace, out: OutputDoc, threadId: string): Thread | string {
  const t = deriveThreads(ws, out).threads.find((x) => x.id === threadId)
  return t ?? 'There is no such comment thread on this output.'
}

export function replyToThread(
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: { thread: string; body: string },
  now = Date.now(),
): CommentResult {
  const refused = commentRefusal(ws, memberId)
  if (refused) return { ok: false, reason: refused }
  const t = findThread(ws, out, args.thread)
  if (typeof t === 'string') return { ok: false, reason: t }
  const body = cleanBody(args.body)
  const bad = checkBody(body)
  if (bad) return { ok: false, reason: bad }
  const mentions = mentionsIn(body, ws.members.all())
  const id = appendRecord(
    ws,
    out,
    memberId,
    { kind: 'reply', thread: t.id, contentHash: out.hash(), body, mentions },
    now,
  )
  return { ok: true, id }
}

function setStatus(
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  thread: string,
  kind: 'resolved' | 'reopened' | 'declined',
  now: number,
): CommentResult {
  const refused = commentRefusal(ws, memberId)
  if (refused) return { ok: false, reason: refused }
  const t = findThread(ws, out, thread)
  if (typeof t === 'string') return { ok: false, reason: t }
  const rule = transitionRule(t, kind)
  if (rule) return { ok: false, reason: `${rule[0]!.toUpperCase()}${rule.slice(1)}.` }
  return { ok: true, id: appendRecord(ws, out, memberId, { kind, thread: t.id }, now) }
}

/** The command that moves a thread to `status`: resolve and reopen differ only in that. */
const threadStatusCommand =
  (status: 'resolved' | 'reopened') =>
  (ws: Workspace, out: OutputDoc, memberId: string, args: { thread: string }, now = Date.now()) =>
    setStatus(ws, out, memberId, args.thread, status, now)

export const resolveThread = threadStatusCommand('resolved')
export const reopenThread = threadStatusCommand('reopened')

/** The open threads as "request changes" reasons: the words, then what was said about them. */
export function threadReasons(threads: readonly Thread[]): string[] {
  return threads
    .filter((t) => t.status === 'open' && t.kind === 'comment')
    .map((t) => {
      const words = t.words.replace(/\s+/g, ' ').trim()
      const short = words.length > 60 ? `${words.slice(0, 57)}…` : words
      const body = t.body.replace(/\s+/g, ' ')
      return t.anchor ? `“${short}”${t.removed ? ' (removed text)' : ''}: ${body}` : body
    })
}
