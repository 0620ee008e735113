/** What Insight groups its numbers by (types, with unknown ids kept) and how it summarises a group. */
import type { TrailEvent } from '../domain/trail.ts'
import type { OutputType } from '../domain/types.ts'

export const HOUR = 3_600_000

/** One output's counted trail (`Derived.events`), with what Insight groups it by. */
export interface InsightTrail {
  outputId: string
  typeId: string
  /** The source model the output was generated with, if it was recorded. */
  model?: string
  createdAt: number
  events: readonly TrailEvent[]
}

export interface TypeRef {
  id: string
  name: string
}

/** A type id that is not (or no longer) in the workspace still gets a row, named by its id. */
export function typeRefs(types: readonly OutputType[], typeIds: Iterable<string>): TypeRef[] {
  const out: TypeRef[] = types.map((t) => ({ id: t.id, name: t.name }))
  const known = new Set(out.map((t) => t.id))
  for (const id of typeIds)
    if (!known.has(id)) {
      known.add(id)
      out.push({ id, name: id })
    }
  return out
}

export interface Distribution {
  n: number
  /** Milliseconds; undefined when n is 0. */
  median?: number
  p90?: number
}

/** The q-quantile of sorted values, interpolated linearly between the nearest ranks. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  const a = sorted[lo]!
  const b = sorted[hi]!
  return a + (b - a) * (pos - lo)
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b)
  const median = quantile(sorted, 0.5)
  const p90 = quantile(sorted, 0.9)
  return {
    n: sorted.length,
    ...(median !== undefined ? { median } : {}),
    ...(p90 !== undefined ? { p90 } : {}),
  }
}

export interface PerTypeDistribution {
  overall: Distribution
  perType: { type: TypeRef; dist: Distribution }[]
}

/** The distribution of what `sample` measures in each trail (none, one or several values), overall and per type. */
export function perTypeDistribution(
  types: readonly OutputType[],
  trails: readonly InsightTrail[],
  sample: (trail: InsightTrail) => readonly number[],
): PerTypeDistribution {
  const all: number[] = []
  const byType = new Map<string, number[]>()
  for (const t of trails) {
    const values = sample(t)
    if (values.length === 0) continue
    const list = byType.get(t.typeId) ?? []
    list.push(...values)
    all.push(...values)
    byType.set(t.typeId, list)
  }
  return {
    overall: distribution(all),
    perType: typeRefs(types, byType.keys()).map((type) => ({
      type,
      dist: distribution(byType.get(type.id) ?? []),
    })),
  }
}

/** The approvals a type needs to decide a round (1 when the type is unknown). */
export const requiredOf = (types: readonly OutputType[], typeId: string) =>
  types.find((t) => t.id === typeId)?.approvalsRequired ?? 1
