/**
 * Comment records and their anchors (see comments.ts): the shapes in the output document's
 * `comments` array, how a raw value is read, and where an anchor's words are now.
 */
import * as Y from 'yjs'
import { isNum, isObj, isStr } from '../guards.ts'
import type { OutputDoc } from './output.ts'
import type { EventScope } from './signing.ts'

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
