/**
 * The second round shows what changed: where a reviewer last judged an output (the round and the
 * version), and each checklist item's verdict in the latest earlier round that judged it, so a
 * returning reviewer sees "Round 1: failed — <note>" beside the item and the difference between
 * the version they judged and now.
 */

import type { Derived } from './derive.ts'
import type { Verdict } from './trail.ts'

export interface LastReview {
  round: number
  contentHash: string
  at: number
}

const JUDGING = new Set(['judged', 'approved', 'changes_requested', 'rejected'])

/** The round each counted event belongs to (0 before the first submission). */
function withRounds(derived: Derived): { round: number; e: Derived['events'][number] }[] {
  let round = 0
  return derived.events.map((e) => {
    if (e.kind === 'submitted' || e.kind === 'new_round') round += 1
    return { round, e }
  })
}

/**
 * The member's latest judgement of this output in an earlier round, when it is back in review
 * with them: the version they judged then. Null when they never judged it before this round.
 */
export function lastReviewBy(derived: Derived, memberId: string): LastReview | null {
  if (derived.phase !== 'in_review' || derived.round < 2) return null
  let last: LastReview | null = null
  for (const { round, e } of withRounds(derived)) {
    if (round >= derived.round || e.actor !== memberId || !JUDGING.has(e.kind)) continue
    if ('contentHash' in e) last = { round, contentHash: e.contentHash, at: e.at }
  }
  return last
}

export interface EarlierVerdict {
  round: number
  verdict: Verdict
  note: string
  by: string
}

/** Per checklist item, its latest judgement in the latest earlier round that judged it. */
export function earlierVerdicts(derived: Derived): Map<string, EarlierVerdict> {
  const out = new Map<string, EarlierVerdict>()
  for (const { round, e } of withRounds(derived)) {
    if (e.kind !== 'judged' || round >= derived.round) continue
    out.set(e.itemId, { round, verdict: e.verdict, note: e.note, by: e.actor })
  }
  return out
}

const WORD: Record<Verdict, string> = { pass: 'passed', fail: 'failed', na: 'not applicable' }

/** "Round 1: failed — the note" (with who, when it was someone else). */
export function earlierVerdictText(v: EarlierVerdict, byName: string | null): string {
  return `Round ${v.round}: ${WORD[v.verdict]}${v.note ? ` — ${v.note}` : ''}${byName ? ` (${byName})` : ''}`
}

/**
 * Which verdicts carry over into the current round, as one sentence. The round's rules decide
 * (policy-carry-over.ts): by default none does (a verdict names the version it judged, and derive
 * counts only judgements of the current content), so every item is judged again; a type may carry
 * passes on items whose wording did not change. The earlier verdicts are shown beside each item.
 */
export function carryOverSentence(derived: Derived): string {
  const earlier = earlierVerdicts(derived)
  const shown = derived.checklist.filter((r) => earlier.has(r.item.id)).length
  const beside =
    shown > 0 ? ` The earlier verdicts on ${shown} item${shown === 1 ? '' : 's'} are shown beside them.` : ''
  const mode = derived.type?.carryOver ?? 'never'
  if (mode === 'never')
    return `No verdict carries over into round ${derived.round}: each judged a version that has changed, so every checklist item is judged again on this one.${beside}`
  const carried = derived.checklist.filter((r) => r.judgement?.carried).map((r) => `“${r.item.title}”`)
  const what = mode === 'passed' ? 'passes' : 'passes and “not applicable” verdicts'
  const rule = `This type’s rules carry ${what} on unchanged checklist items into the next round`
  if (carried.length === 0)
    return `${rule}; none carried into round ${derived.round}, so every item is judged again on this version.${beside}`
  const rest = derived.checklistTotal - carried.length
  return `${rule}: ${carried.length === 1 ? 'the verdict on' : 'the verdicts on'} ${carried.join(', ')} carried into round ${derived.round}${rest > 0 ? `; the other ${rest === 1 ? 'item is' : `${rest} items are`} judged again on this version` : ''}.${beside}`
}
