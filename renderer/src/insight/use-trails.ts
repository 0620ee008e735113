import { useEffect, useRef, useState } from 'react'
import { deriveOutput } from '../../../shared/domain/actions.ts'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { InsightTrail } from '../../../shared/insight/metrics.ts'
import type { WorkspaceSession } from '../data/session.ts'

const BATCH = 4

interface Cached {
  key: string
  trail: InsightTrail
}

/** Trails already read, per workspace: revisiting Insight only reads outputs that changed. */
const CACHE = new Map<string, Map<string, Cached>>()

/** What a summary row changes with when its trail does. */
const keyOf = (s: OutputSummary) =>
  `${s.updatedAt}:${s.state}:${s.contentHash}:${s.approvals}:${s.checklistDone}`

function cacheOf(session: WorkspaceSession): Map<string, Cached> {
  let cache = CACHE.get(session.entry.id)
  if (!cache) {
    cache = new Map()
    CACHE.set(session.entry.id, cache)
  }
  return cache
}

function freshTrails(cache: Map<string, Cached>, summaries: readonly OutputSummary[]): InsightTrail[] {
  const out: InsightTrail[] = []
  for (const s of summaries) {
    const hit = cache.get(s.id)
    if (hit && hit.key === keyOf(s)) out.push(hit.trail)
  }
  return out
}

/**
 * The counted trails of the workspace's outputs, read lazily: each output document is opened a few
 * at a time and derived, so the dashboard can say "based on N of M outputs" while it fills in.
 */
export function useInsightTrails(
  session: WorkspaceSession,
  summaries: readonly OutputSummary[],
): { trails: InsightTrail[]; loading: boolean; failed: number } {
  const cache = cacheOf(session)
  const [, setTick] = useState(0)
  const [loading, setLoading] = useState(false)
  const [failed, setFailed] = useState(0)
  const latest = useRef(summaries)
  latest.current = summaries
  // The session emits on every sync tick; only a changed row needs another read.
  const signature = summaries.map((s) => `${s.id}@${keyOf(s)}`).join('|')

  // biome-ignore lint/correctness/useExhaustiveDependencies: `signature` stands for the rows read through `latest`
  useEffect(() => {
    let live = true
    const todo = latest.current.filter((s) => cache.get(s.id)?.key !== keyOf(s))
    if (todo.length === 0) {
      setLoading(false)
      return
    }
    setLoading(true)
    void (async () => {
      let failures = 0
      for (let i = 0; i < todo.length && live; i += BATCH) {
        const batch = todo.slice(i, i + BATCH)
        await Promise.all(
          batch.map(async (s) => {
            try {
              const { output } = await session.openOutput(s.id)
              const { derived } = deriveOutput(session.workspace, output)
              const meta = output.readMeta()
              const model = meta.source.model
              cache.set(s.id, {
                key: keyOf(s),
                trail: {
                  outputId: s.id,
                  typeId: s.typeId,
                  createdAt: meta.createdAt || s.createdAt,
                  events: derived.events,
                  ...(model ? { model } : {}),
                },
              })
            } catch {
              failures += 1
            }
          }),
        )
        if (live) setTick((t) => t + 1)
      }
      if (live) {
        setFailed(failures)
        setLoading(false)
      }
    })()
    return () => {
      live = false
    }
  }, [session, cache, signature])

  return { trails: freshTrails(cache, summaries), loading, failed }
}
