/**
 * The history of one output as sentences for people: every event of its trail (edits,
 * submissions, judgements with their notes, approvals and the version they name, changes
 * requested and why, publishes and their receipts, restores) and every event that was not
 * counted, with the reason. Pure: the same trail gives the same timeline on every device.
 */
import type { Derived } from '../domain/derive.ts'
import { shortHash } from '../domain/hash.ts'
import { shortPolicy } from '../domain/policies.ts'
import type { TrailEvent, TrailEventKind } from '../domain/trail.ts'
import { parseTrailEvent } from '../domain/trail.ts'
import type { Member, OutputType } from '../domain/types.ts'

export type TimelineKind = TrailEventKind | 'restored' | 'problem'

/** A line of an output's trace, from its trail or its comment records, as sentences for people. */
export interface TraceLine {
  /** The record's id, or `problem-<index>` (`comment-problem-<index>`) for a value without one. */
  id: string
  /** Position in the trail (or in the comment records). */
  index: number
  /** The actor's name (or their id when they are not a member). */
  who: string
  actorId: string
  /** Milliseconds since the epoch; 0 when unknown. */
  when: number
  /** The full content hash the record names, if any. */
  hash?: string
  /** Its short form for people. */
  version?: string
  text: string
  /** False for records derivation did not count. */
  counted: boolean
  /** Its signature, key or place in the chain failed: it may not be what its author wrote. */
  unverified?: true
}

export interface TimelineEntry extends TraceLine {
  kind: TimelineKind
  /** For publishes: what the destination answered. */
  receipt?: Record<string, unknown>
  /** For submissions and new rounds: the short address of the review rules the round follows. */
  rules?: string
}

export interface TimelineOptions {
  /** Destination names by id, to say "Shared drive" rather than an id. */
  destinations?: ReadonlyMap<string, string>
  /**
   * The raw trail. With it, events that were not counted appear where they stand; without it
   * they are listed after the counted ones.
   */
  trail?: readonly unknown[]
}

/** Restores are `edited` events whose summary starts like this. */
export const RESTORE_PREFIX = 'restored version '

const q = (s: string) => `“${s}”`

function nameOf(members: ReadonlyMap<string, Member>, id: string): string {
  return members.get(id)?.name ?? id
}

/** One receipt as a short phrase: the path, commit, status or message id it names. */
export function receiptSummary(receipt: Record<string, unknown> | undefined): string {
  if (!receipt) return ''
  const parts: string[] = []
  for (const key of ['path', 'file', 'commit', 'status', 'messageId', 'url', 'hash']) {
    const v = receipt[key]
    if (typeof v === 'string' || typeof v === 'number') parts.push(`${key} ${String(v)}`)
  }
  if (parts.length === 0) {
    for (const [k, v] of Object.entries(receipt)) {
      if (typeof v === 'string' || typeof v === 'number') parts.push(`${k} ${String(v)}`)
      if (parts.length >= 3) break
    }
  }
  return parts.join(', ')
}

function sentence(
  e: TrailEvent,
  who: string,
  item: (id: string) => string,
  dest: (id: string) => string,
  name: (id: string) => string = (id) => id,
): { kind: TimelineKind; text: string } {
  const v = 'contentHash' in e ? shortHash(e.contentHash) : ''
  switch (e.kind) {
    case 'created':
      return { kind: e.kind, text: `${who} created ${q(e.title)} (version ${v})` }
    case 'edited':
      if (e.summary.startsWith(RESTORE_PREFIX))
        return { kind: 'restored', text: `${who} ${e.summary}, making it version ${v}` }
      return { kind: e.kind, text: `${who} edited it to version ${v}: ${e.summary}` }
    case 'submitted':
      return {
        kind: e.kind,
        text: `${who} submitted version ${v} for review${e.policy ? ` under rules ${shortPolicy(e.policy)}` : ''}`,
      }
    case 'new_round':
      return {
        kind: e.kind,
        text: `${who} started a new round under rules ${shortPolicy(e.policy)} (version ${v}): ${e.reason}`,
      }
    case 'new_version':
      return {
        kind: e.kind,
        text: `${who} started a new version from approved version ${v}${e.reason ? `: ${e.reason}` : ''}`,
      }
    case 'judged': {
      const verb = e.verdict === 'pass' ? 'passed' : e.verdict === 'fail' ? 'failed' : 'marked not applicable'
      return { kind: e.kind, text: `${who} ${verb} ${q(item(e.itemId))}${e.note ? `: ${e.note}` : ''}` }
    }
    case 'approved':
      return { kind: e.kind, text: `${who} approved version ${v}${e.note ? `: ${e.note}` : ''}` }
    case 'auto_approved':
      return {
        kind: e.kind,
        text: `The automatic checks approved version ${v} (recorded by ${who}'s app)`,
      }
    case 'changes_requested':
      return { kind: e.kind, text: `${who} requested changes on version ${v}: ${e.reasons.join('; ')}` }
    case 'rejected':
      return { kind: e.kind, text: `${who} rejected version ${v}: ${e.reason}` }
    case 'reopened':
      return { kind: e.kind, text: `${who} reopened it${e.reason ? `: ${e.reason}` : ''}` }
    case 'archived':
      return { kind: e.kind, text: `${who} archived it${e.reason ? `: ${e.reason}` : ''}` }
    case 'assigned': {
      const to = name(e.assignee)
      const why =
        e.reason === 'overdue' ? ' after the review SLA ran out' : e.reason === 'auto' ? ' automatically' : ''
      return { kind: e.kind, text: `${who} assigned the review of round ${e.round} to ${to}${why}` }
    }
    case 'publish_scheduled':
      return {
        kind: e.kind,
        text: `${who} scheduled version ${v} to publish to ${dest(e.destinationId)} at ${new Date(e.runAt).toISOString()}`,
      }
    case 'publish_unscheduled':
      return { kind: e.kind, text: `${who} cancelled a scheduled publish${e.reason ? `: ${e.reason}` : ''}` }
    case 'publish_claimed':
      return { kind: e.kind, text: `${who} started publishing version ${v} to ${dest(e.destinationId)}` }
    case 'published': {
      const r = receiptSummary(e.receipt)
      return {
        kind: e.kind,
        text: `${who} published version ${v} to ${dest(e.destinationId)}${r ? ` (receipt: ${r})` : ''}`,
      }
    }
    case 'publish_failed':
      return {
        kind: e.kind,
        text: `Publishing version ${v} to ${dest(e.destinationId)} by ${who} failed: ${e.error}`,
      }
    default:
      return { kind: (e as TrailEvent).kind, text: `${who} did ${(e as TrailEvent).kind}` }
  }
}

function entryOf(
  e: TrailEvent,
  index: number,
  counted: boolean,
  members: ReadonlyMap<string, Member>,
  item: (id: string) => string,
  dest: (id: string) => string,
): TimelineEntry {
  const who = nameOf(members, e.actor)
  const { kind, text } = sentence(e, who, item, dest, (id) => members.get(id)?.name ?? id)
  const entry: TimelineEntry = { id: e.id, index, kind, who, actorId: e.actor, when: e.at, text, counted }
  if ('contentHash' in e) {
    entry.hash = e.contentHash
    entry.version = shortHash(e.contentHash)
  }
  if (e.kind === 'published') entry.receipt = e.receipt
  if ((e.kind === 'submitted' || e.kind === 'new_round') && e.policy) entry.rules = shortPolicy(e.policy)
  return entry
}

function problemEntry(
  index: number,
  reason: string,
  raw: unknown,
  members: ReadonlyMap<string, Member>,
  unverified = false,
): TimelineEntry {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  const actorId = typeof r.actor === 'string' ? r.actor : ''
  // Derivation names people by id; people read names.
  const named =
    actorId && members.has(actorId)
      ? reason.replace(` by ${actorId}`, ` by ${nameOf(members, actorId)}`)
      : reason
  const entry: TimelineEntry = {
    id: typeof r.id === 'string' ? r.id : `problem-${index}`,
    index,
    kind: 'problem',
    who: actorId ? nameOf(members, actorId) : 'unknown',
    actorId,
    when: typeof r.at === 'number' && Number.isFinite(r.at) ? r.at : 0,
    text: `not counted: ${named}`,
    counted: false,
    ...(unverified ? { unverified: true as const } : {}),
  }
  if (typeof r.contentHash === 'string' && r.contentHash) {
    entry.hash = r.contentHash
    entry.version = shortHash(r.contentHash)
  }
  return entry
}

const isDerived = (v: Derived | readonly unknown[]): v is Derived => !Array.isArray(v)

/**
 * The timeline, oldest first. Given a derivation, counted events and the problems derivation
 * reported; given only a raw trail, every well-formed event (nothing is judged against the rules).
 */
export function timeline(
  source: Derived | readonly unknown[],
  members: ReadonlyMap<string, Member>,
  type: OutputType | undefined,
  options: TimelineOptions = {},
): TimelineEntry[] {
  const names = options.destinations
  const dest = (id: string) => names?.get(id) ?? id
  // Checklist items by id from every round's rules, so an item removed since keeps its title.
  const titles = new Map<string, string>()
  if (isDerived(source))
    for (const r of source.rounds)
      for (const i of r.version?.policy.checklist ?? []) titles.set(i.id, i.title)
  for (const i of type?.checklist ?? []) if (!titles.has(i.id)) titles.set(i.id, i.title)
  const item = (id: string) => titles.get(id) ?? id
  const out: TimelineEntry[] = []
  if (!isDerived(source)) {
    source.forEach((raw, index) => {
      const e = parseTrailEvent(raw)
      if (typeof e === 'string') out.push(problemEntry(index, e, raw, members))
      else out.push(entryOf(e, index, true, members, item, dest))
    })
    return out
  }
  const problems = new Map(source.problems.map((p) => [p.index, p]))
  const raw = options.trail
  if (raw) {
    const counted = new Map(source.events.map((e) => [e.id, e]))
    const used = new Set<string>()
    raw.forEach((value, index) => {
      const p = problems.get(index)
      if (p) {
        out.push(problemEntry(index, p.reason, value, members, p.unverified))
        return
      }
      const id = (value as { id?: unknown } | null)?.id
      const e = typeof id === 'string' ? counted.get(id) : undefined
      if (e && !used.has(e.id)) {
        used.add(e.id)
        out.push(entryOf(e, index, true, members, item, dest))
      }
    })
    return out
  }
  source.events.forEach((e, i) => {
    out.push(entryOf(e, i, true, members, item, dest))
  })
  for (const p of source.problems) out.push(problemEntry(p.index, p.reason, undefined, members, p.unverified))
  return out
}
