/**
 * Comments in the trace: who said what about which version, per review round. The records are the
 * output's signed comment records as `deriveThreads` counts them; records it did not count (not
 * signed by a trusted key, off their chain, from a non-member) are listed with the reason, like
 * uncounted trail events in the timeline. Pure: the same records give the same lines everywhere.
 */
import type { CountedComment, Threads } from '../domain/comments.ts'
import type { RoundPolicy } from '../domain/derive-types.ts'
import { shortHash } from '../domain/hash.ts'
import type { Member } from '../domain/types.ts'
import type { TraceLine } from './timeline.ts'

/** A comment record in the trace; its `hash` is the version it was written on (or produced). */
export interface CommentLine extends TraceLine {
  kind: CountedComment['record']['kind'] | 'problem'
  /** The review round it was written in: 0 before the first submission. */
  round: number
}

export interface CommentRound {
  round: number
  lines: CommentLine[]
}

const q = (s: string) => `“${s}”`
const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/** The round a record written at `at` belongs to: the last round begun at or before it. */
export function roundAt(rounds: readonly RoundPolicy[], at: number): number {
  let round = 0
  for (const r of rounds) if (r.at <= at) round = r.round
  return round
}

function sentence(c: CountedComment, who: string): string {
  const r = c.record
  const on = c.thread.anchor ? ` on ${q(clip(c.thread.anchor.quote))}` : ' on the whole output'
  switch (r.kind) {
    case 'comment':
      return `${who} commented${on} (version ${shortHash(r.contentHash)}): ${r.body}`
    case 'reply':
      return `${who} replied to ${c.thread.by === r.actor ? 'their' : 'the'} thread${on}: ${r.body}`
    case 'resolved':
      return `${who} resolved the thread${on}`
    case 'reopened':
      return `${who} reopened the thread${on}`
    case 'suggestion':
      return `${who} suggested replacing ${q(clip(r.anchor.quote))} with ${q(clip(r.replacement))} (version ${shortHash(r.contentHash)})${r.body ? `: ${r.body}` : ''}`
    case 'accepted':
      return `${who} accepted the suggestion${on}, making it version ${shortHash(r.contentHash)}`
    case 'declined':
      return `${who} declined the suggestion${on}`
  }
}

/** Every comment record as a line for people, in record order, with the round it belongs to. */
export function commentLines(
  threads: Pick<Threads, 'records' | 'problems'>,
  members: ReadonlyMap<string, Member>,
  rounds: readonly RoundPolicy[],
  rawAt: (index: number) => { actor?: unknown; at?: unknown } | undefined = () => undefined,
): CommentLine[] {
  const name = (id: string) => members.get(id)?.name ?? id
  const lines: CommentLine[] = threads.records.map((c) => {
    const r = c.record
    const hash = 'contentHash' in r ? r.contentHash : undefined
    return {
      id: r.id,
      index: c.index,
      kind: r.kind,
      who: name(r.actor),
      actorId: r.actor,
      when: r.at,
      ...(hash ? { hash, version: shortHash(hash) } : {}),
      text: sentence(c, name(r.actor)),
      counted: true,
      round: roundAt(rounds, r.at),
    }
  })
  for (const p of threads.problems) {
    const raw = rawAt(p.index)
    const actor = typeof raw?.actor === 'string' ? raw.actor : ''
    const at = typeof raw?.at === 'number' ? raw.at : 0
    lines.push({
      id: p.id ?? `comment-problem-${p.index}`,
      index: p.index,
      kind: 'problem',
      who: actor ? name(actor) : 'someone',
      actorId: actor,
      when: at,
      text: `Not counted: ${p.reason}`,
      counted: false,
      ...(p.reason.includes('unverified') ? { unverified: true as const } : {}),
      round: roundAt(rounds, at),
    })
  }
  return lines.sort((a, b) => a.index - b.index)
}

/** The lines grouped by round, oldest round first (rounds without comments left out). */
export function commentsByRound(lines: readonly CommentLine[]): CommentRound[] {
  const by = new Map<number, CommentLine[]>()
  for (const l of lines) by.set(l.round, [...(by.get(l.round) ?? []), l])
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([round, ls]) => ({ round, lines: ls }))
}
