/**
 * Verdicts that carry over. When an output comes back for another round, the new round's rules
 * (its policy version's `carryOver`) decide which checklist verdicts of the round that ended still
 * stand: by default none (every item is judged again on the new version); or the items whose
 * latest verdict was a pass (or also "not applicable") and whose wording is the same in both
 * rounds' rules. One rule, used by derivation when a round starts (derive-round.ts `beginRound`),
 * so the approval gate, the commands and the review panel all read the same carried verdicts.
 */
import type { Judgement } from './derive-types.ts'
import { canonicalJson } from './signing.ts'
import type { CarryOver, ChecklistItem, OutputType } from './types.ts'

/** The setting as a person chooses it (Settings → Output types). */
export const CARRY_OVER_LABEL: Record<CarryOver, string> = {
  never: 'Never: every item is judged again',
  passed: 'Passed items whose wording did not change',
  'passed-or-na': 'Passed and “not applicable” items whose wording did not change',
}

/**
 * Why this verdict of the round that ended does not carry into the next one, or null when it
 * does. `before` is the item as the ended round's rules worded it, `after` as the new round's.
 * Approval receipts check a carried verdict with this same rule (trace/receipt.ts).
 */
export function carryOverRefusal(
  mode: CarryOver | undefined,
  verdict: Pick<Judgement, 'verdict'>,
  before: ChecklistItem | undefined,
  after: ChecklistItem,
): string | null {
  if (!mode || mode === 'never') return 'this type’s rules judge every item again each round'
  if (verdict.verdict === 'fail') return 'it failed'
  if (verdict.verdict === 'na' && mode !== 'passed-or-na') return 'only passes carry over'
  if (!before) return 'the item is new in these rules'
  if (canonicalJson(before) !== canonicalJson(after)) return 'the item was reworded since'
  return null
}

export interface CarriedRound {
  /** The verdicts that stand in the new round, each marked with the round it was given in. */
  carried: Judgement[]
  /** Items that had a verdict in the ended round that does not carry, and why. */
  refused: Map<string, string>
}

/**
 * The verdicts of the ended round (`previous`: its judgements in trail order, carried ones first)
 * that carry into a round judged by `next`. A verdict carried twice keeps the round it was given in.
 */
export function carryOver(
  previous: readonly Judgement[],
  ended: { round: number; type: OutputType | undefined },
  next: OutputType | undefined,
): CarriedRound {
  const refused = new Map<string, string>()
  const mode = next?.carryOver
  if (!next || !mode || mode === 'never' || previous.length === 0) return { carried: [], refused }
  const latest = new Map<string, Judgement>()
  for (const j of previous) latest.set(j.itemId, j)
  const carried: Judgement[] = []
  for (const item of next.checklist) {
    const j = latest.get(item.id)
    if (!j) continue
    const before = ended.type?.checklist.find((i) => i.id === item.id)
    const why = carryOverRefusal(mode, j, before, item)
    if (why) refused.set(item.id, why)
    else carried.push({ ...j, carried: { round: j.carried?.round ?? ended.round } })
  }
  return { carried, refused }
}
