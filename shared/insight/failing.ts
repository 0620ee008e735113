import type { OutputType } from '../domain/types.ts'
import { type InsightTrail, type TypeRef, typeRefs } from './groups.ts'

// Checklist items that fail most often

export interface FailingItem {
  itemId: string
  title: string
  /** Number of "fail" judgements of this item, across all rounds and versions. */
  fails: number
  /** Number of outputs it failed on. */
  outputs: number
}

export interface FailingItemsOfType {
  type: TypeRef
  items: FailingItem[]
}

export function topFailingItems(
  trails: readonly InsightTrail[],
  types: readonly OutputType[],
  limit = 5,
): FailingItemsOfType[] {
  const byType = new Map<string, Map<string, { fails: number; outputs: Set<string> }>>()
  for (const t of trails)
    for (const e of t.events) {
      if (e.kind !== 'judged' || e.verdict !== 'fail') continue
      const items = byType.get(t.typeId) ?? new Map<string, { fails: number; outputs: Set<string> }>()
      byType.set(t.typeId, items)
      const entry = items.get(e.itemId) ?? { fails: 0, outputs: new Set<string>() }
      entry.fails += 1
      entry.outputs.add(t.outputId)
      items.set(e.itemId, entry)
    }
  const out: FailingItemsOfType[] = []
  for (const ref of typeRefs(types, byType.keys())) {
    const items = byType.get(ref.id)
    if (!items) continue
    const checklist = types.find((t) => t.id === ref.id)?.checklist ?? []
    const list: FailingItem[] = [...items.entries()].map(([itemId, v]) => ({
      itemId,
      title: checklist.find((i) => i.id === itemId)?.title ?? itemId,
      fails: v.fails,
      outputs: v.outputs.size,
    }))
    list.sort((a, b) => b.fails - a.fails || a.title.localeCompare(b.title))
    out.push({ type: ref, items: list.slice(0, limit) })
  }
  return out
}
