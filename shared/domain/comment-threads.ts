/**
 * Threads derived from the comment records (see comments.ts): every counted record, checked like
 * trail events, folded into threads with where their words are now; and the @mentions a body names.
 */
import {
  type Anchor,
  type CommentKind,
  type CommentRecord,
  commentScope,
  commentsOf,
  parseCommentRecord,
  resolveAnchor,
} from './comment-records.ts'
import { checkIntegrity } from './integrity.ts'
import type { OutputDoc } from './output.ts'
import type { Member } from './types.ts'
import type { Workspace } from './workspace.ts'

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
