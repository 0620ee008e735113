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

import * as Y from 'yjs'
import { newId } from './ids.ts'
import { checkIntegrity } from './integrity.ts'
import { localOrigin } from './origins.ts'
import type { OutputDoc } from './output.ts'
import { chainLink, type EventScope, signEvent } from './signing.ts'
import type { Member } from './types.ts'
import type { Workspace } from './workspace.ts'

/** A Yjs relative position as JSON (Y.relativePositionToJSON). */
export type RelPos = Record<string, unknown>

export interface Anchor {
  start: RelPos
  end: RelPos
  /** The words as they were when the comment was written. */
  quote: string
}

interface Base {
  id: string
  v: 1
  actor: string
  at: number
  prev?: string
  sig?: string
}

export type CommentRecord =
  /** A new thread on some words (or on the whole output when `anchor` is null). */
  | (Base & { kind: 'comment'; anchor: Anchor | null; contentHash: string; body: string; mentions: string[] })
  | (Base & { kind: 'reply'; thread: string; contentHash: string; body: string; mentions: string[] })
  | (Base & { kind: 'resolved' | 'reopened'; thread: string })
  /** A proposed replacement for the anchored words; a thread of its own. */
  | (Base & { kind: 'suggestion'; anchor: Anchor; contentHash: string; replacement: string; body: string })
  /** The suggestion was applied (`contentHash`: the version it produced) or declined. */
  | (Base & { kind: 'accepted'; thread: string; contentHash: string })
  | (Base & { kind: 'declined'; thread: string })

export type CommentKind = CommentRecord['kind']

/** Bodies and replacements are capped: comments are about words, not a second document. */
export const COMMENT_MAX = 4_000

const isStr = (v: unknown): v is string => typeof v === 'string'
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function parseAnchor(v: unknown): Anchor | null | string {
  if (v === null) return null
  if (!isObj(v) || !isObj(v.start) || !isObj(v.end) || !isStr(v.quote)) return 'malformed anchor'
  return { start: v.start, end: v.end, quote: v.quote }
}

/** A raw value from the shared array as a record, or a sentence saying what is wrong with it. */
export function parseCommentRecord(raw: unknown): CommentRecord | string {
  if (!isObj(raw)) return 'not an object'
  const e = raw
  if (!isStr(e.id) || !e.id) return 'missing id'
  if (e.v !== 1) return `unsupported record version ${String(e.v)}`
  if (!isStr(e.actor) || !e.actor) return 'missing actor'
  if (!isNum(e.at)) return 'missing time'
  const text = (v: unknown) => isStr(v) && v.length <= COMMENT_MAX
  const mentions = (v: unknown) => Array.isArray(v) && v.every(isStr)
  switch (e.kind) {
    case 'comment': {
      const anchor = parseAnchor(e.anchor)
      if (typeof anchor === 'string') return anchor
      if (!isStr(e.contentHash) || !text(e.body) || !mentions(e.mentions)) return 'comment: malformed'
      break
    }
    case 'reply':
      if (!isStr(e.thread) || !isStr(e.contentHash) || !text(e.body) || !mentions(e.mentions))
        return 'reply: malformed'
      break
    case 'resolved':
    case 'reopened':
    case 'declined':
      if (!isStr(e.thread)) return `${e.kind}: missing thread`
      break
    case 'accepted':
      if (!isStr(e.thread) || !isStr(e.contentHash)) return 'accepted: missing thread or version'
      break
    case 'suggestion': {
      const anchor = parseAnchor(e.anchor)
      if (typeof anchor === 'string' || anchor === null) return 'suggestion: needs an anchor'
      if (!isStr(e.contentHash) || !text(e.replacement) || !text(e.body)) return 'suggestion: malformed'
      break
    }
    default:
      return `unknown record kind ${JSON.stringify(e.kind)}`
  }
  return e as unknown as CommentRecord
}

/** The shared array the records live in. */
export const commentsOf = (out: OutputDoc): Y.Array<unknown> => out.doc.getArray('comments')

/** What a comment's signature binds it to: its output, but never the trail. */
export function commentScope(out: OutputDoc): EventScope {
  const { workspaceId, outputId } = out.scope()
  return { workspaceId, outputId: `${outputId}#comments` }
}

// ---------------------------------------------------------------------------------------------
// Anchors

/** Anchor a range [from, to) of the content: the start before its first character, the end after its last. */
export function anchorRange(out: OutputDoc, from: number, to: number): Anchor {
  const text = out.content
  const start = Y.createRelativePositionFromTypeIndex(text, from, 0)
  const end = Y.createRelativePositionFromTypeIndex(text, to, -1)
  return {
    start: plain(Y.relativePositionToJSON(start)),
    end: plain(Y.relativePositionToJSON(end)),
    quote: text.toString().slice(from, to),
  }
}

/** JSON without undefined fields (Yjs stores the value as written; signatures hash what is stored). */
function plain(v: unknown): RelPos {
  return JSON.parse(JSON.stringify(v)) as RelPos
}

/** Where an anchor is now: [from, to) in the current content, or null when it cannot be resolved. */
export function resolveAnchor(out: OutputDoc, anchor: Anchor): { from: number; to: number } | null {
  try {
    const s = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(anchor.start),
      out.doc,
    )
    const e = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(anchor.end),
      out.doc,
    )
    if (!s || !e || s.type !== out.content || e.type !== out.content) return null
    return { from: s.index, to: Math.max(s.index, e.index) }
  } catch {
    return null
  }
}

// ---------------------------------------------------------------------------------------------
// Threads

export interface CommentView {
  id: string
  by: string
  at: number
  body: string
  mentions: string[]
  /** The version it was written on. */
  contentHash: string
}

export interface Thread extends CommentView {
  kind: 'comment' | 'suggestion'
  anchor: Anchor | null
  /** Where its words are now; null for a comment on the whole output or an unresolvable anchor. */
  range: { from: number; to: number } | null
  /** Its words were deleted: the anchor collapsed. */
  removed: boolean
  /** The words it is on now (or the quote when removed). */
  words: string
  replies: CommentView[]
  status: 'open' | 'resolved' | 'accepted' | 'declined'
  /** Who changed the status last, and when. */
  statusBy?: string
  statusAt?: number
  replacement?: string
}

export interface CommentProblem {
  index: number
  id?: string
  reason: string
}

/** One counted record, in the order of the shared array: what the trace shows. */
export interface CountedComment {
  index: number
  record: CommentRecord
  /** The thread it starts or follows (as it stands now). */
  thread: Thread
}

export interface Threads {
  threads: Thread[]
  open: number
  problems: CommentProblem[]
  /** Every counted record (signed, chained, by a member, a valid step of its thread). */
  records: CountedComment[]
}

/**
 * Every thread of an output, in the order they were started, with where their words are now.
 * Records that are malformed, unsigned by a trusted key of their author, broken off their chain,
 * from non-members or about unknown threads are not counted and are reported instead.
 */
export function deriveThreads(ws: Workspace, out: OutputDoc): Threads {
  // The raw values are the document's own objects: views copy what they expose, so nobody can
  // change a signed record by changing what they were handed.
  const raw = commentsOf(out).toArray()
  const members = ws.memberMap()
  const problems: CommentProblem[] = []
  const unverified = checkIntegrity(raw, { scope: commentScope(out), keys: ws.keyTrust() }, members)
  const byId = new Map<string, Thread>()
  const order: Thread[] = []
  const records: CountedComment[] = []
  const seen = new Set<string>()
  let content: string | undefined
  const textOf = () => {
    content ??= out.content.toString()
    return content
  }
  for (const [index, value] of raw.entries()) {
    const r = parseCommentRecord(value)
    if (typeof r === 'string') {
      problems.push({ index, reason: r })
      continue
    }
    if (seen.has(r.id)) {
      problems.push({ index, id: r.id, reason: 'duplicate record id' })
      continue
    }
    seen.add(r.id)
    const suspect = unverified.get(index)
    if (suspect) {
      problems.push({ index, id: r.id, reason: `${r.kind} by ${r.actor} is unverified: ${suspect}` })
      continue
    }
    if (!members.has(r.actor)) {
      problems.push({ index, id: r.id, reason: `${r.actor} is not a member` })
      continue
    }
    if (r.kind === 'comment' || r.kind === 'suggestion') {
      const range = r.anchor ? resolveAnchor(out, r.anchor) : null
      const removed = r.anchor !== null && (range === null || range.to <= range.from)
      const thread: Thread = {
        id: r.id,
        kind: r.kind,
        by: r.actor,
        at: r.at,
        body: r.body,
        mentions: r.kind === 'comment' ? [...r.mentions] : [],
        contentHash: r.contentHash,
        anchor: r.anchor,
        range: removed ? null : range,
        removed,
        words: removed || !range ? (r.anchor?.quote ?? '') : textOf().slice(range.from, range.to),
        replies: [],
        status: 'open',
        ...(r.kind === 'suggestion' ? { replacement: r.replacement } : {}),
      }
      byId.set(r.id, thread)
      order.push(thread)
      records.push({ index, record: r, thread })
      continue
    }
    const thread = byId.get(r.thread)
    if (!thread) {
      problems.push({ index, id: r.id, reason: `${r.kind} names an unknown thread` })
      continue
    }
    const refused = transitionRule(thread, r.kind)
    if (refused) {
      problems.push({ index, id: r.id, reason: `${r.kind} by ${r.actor}: ${refused}` })
      continue
    }
    records.push({ index, record: r, thread })
    if (r.kind === 'reply') {
      thread.replies.push({
        id: r.id,
        by: r.actor,
        at: r.at,
        body: r.body,
        mentions: [...r.mentions],
        contentHash: r.contentHash,
      })
      continue
    }
    thread.status = r.kind === 'reopened' ? 'open' : r.kind
    thread.statusBy = r.actor
    thread.statusAt = r.at
  }
  return { threads: order, open: order.filter((t) => t.status === 'open').length, problems, records }
}

/** Why a follow-up record does not apply to a thread as it stands, or null. */
export function transitionRule(t: Thread, kind: CommentKind): string | null {
  switch (kind) {
    case 'reply':
      return null
    case 'resolved':
      return t.status === 'open' && t.kind === 'comment'
        ? null
        : 'only an open comment thread can be resolved'
    case 'reopened':
      return t.status === 'resolved' ? null : 'only a resolved thread can be reopened'
    case 'accepted':
    case 'declined':
      return t.status === 'open' && t.kind === 'suggestion' ? null : 'only an open suggestion can be decided'
    default:
      return 'not a follow-up'
  }
}

// ---------------------------------------------------------------------------------------------
// Mentions and the workspace's index (open threads per output, mentions per member)

/**
 * The members an @mention names: "@Full Name" or, when it is unambiguous, "@First". Longest names
 * first, so "@Bea Reviewer" is not read as "@Bea" of someone else.
 */
export function mentionsIn(body: string, members: readonly Member[]): string[] {
  const found = new Set<string>()
  const lower = body.toLowerCase()
  const first = new Map<string, string[]>()
  for (const m of members) {
    const f = m.name.split(/\s+/)[0]?.toLowerCase()
    if (f) first.set(f, [...(first.get(f) ?? []), m.id])
  }
  const boundary = (i: number) => i >= lower.length || !/[\p{L}\p{N}_]/u.test(lower[i]!)
  for (const m of [...members].sort((a, b) => b.name.length - a.name.length)) {
    const full = `@${m.name.toLowerCase()}`
    let at = lower.indexOf(full)
    while (at >= 0) {
      if (boundary(at + full.length)) found.add(m.id)
      at = lower.indexOf(full, at + 1)
    }
  }
  for (const [name, ids] of first) {
    if (ids.length !== 1) continue
    const tag = `@${name}`
    let at = lower.indexOf(tag)
    while (at >= 0) {
      if (boundary(at + tag.length)) found.add(ids[0]!)
      at = lower.indexOf(tag, at + 1)
    }
  }
  return [...found]
}

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

// ---------------------------------------------------------------------------------------------
// Commands

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

export const resolveThread = (
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: { thread: string },
  now = Date.now(),
) => setStatus(ws, out, memberId, args.thread, 'resolved', now)

export const reopenThread = (
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: { thread: string },
  now = Date.now(),
) => setStatus(ws, out, memberId, args.thread, 'reopened', now)

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
