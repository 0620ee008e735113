import { useEffect, useState } from 'react'
import { deriveOutput } from '../../../shared/domain/actions.ts'
import { deriveThreads } from '../../../shared/domain/comments.ts'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import { type CommentLine, commentLines } from '../../../shared/trace/comment-trail.ts'
import type { ShippedSource } from '../../../shared/trace/shipped.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'

export interface Loaded extends ShippedSource {
  version: (hash: string) => string | undefined
  /** Its signed comment records as lines for the activity feed. */
  comments: CommentLine[]
}

const PROGRESS_MS = 150

/** "Reading the outputs…", with how far it has got once that is worth saying. */
export function readingText(progress: { done: number; total: number } | null): string {
  return progress ? `Reading the outputs… ${progress.done} of ${progress.total}` : 'Reading the outputs…'
}

/** Open the outputs and derive them (their documents load from this device, or the relay). */
export function useLoaded(
  session: WorkspaceSession,
  pick: (all: OutputSummary[]) => OutputSummary[],
  /** What `pick` reads besides the workspace (a limit, a filter). */
  deps: readonly unknown[] = [],
) {
  const epoch = useObserved(session, () => session.getEpoch())
  const ids = useObserved(
    session,
    () =>
      pick(session.workspace.allSummaries())
        .map((s) => s.id)
        .join('\n'),
    deps,
  )
  // `ids` the items were loaded for: while they differ from the ids asked for, a load is under way
  // (a new epoch with the same ids re-reads them without saying so: it happens at every change).
  const [loaded, setLoaded] = useState<{ items: Loaded[]; ids: string | null }>({ items: [], ids: null })
  // How far a load has got, for a workspace with hundreds of published outputs: told at most
  // every PROGRESS_MS, so the count moves without a render per output.
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  // Open while this view shows them, however many (see WorkspaceSession.hold).
  useEffect(() => (ids ? session.hold(ids.split('\n')) : undefined), [session, ids])
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epoch re-reads the opened outputs after changes
  useEffect(() => {
    let live = true
    const ws = session.workspace
    void (async () => {
      const items: Loaded[] = []
      const list = ids ? ids.split('\n') : []
      let told = performance.now()
      for (const id of list) {
        if (live && performance.now() - told > PROGRESS_MS) {
          told = performance.now()
          setProgress({ done: items.length, total: list.length })
          // Let the count paint (and keys answer) between outputs already in memory.
          await new Promise((resolve) => setTimeout(resolve, 0))
        }
        try {
          const { output } = await session.openOutput(id)
          const meta = output.readMeta()
          const { input, derived } = deriveOutput(ws, output)
          items.push({
            outputId: id,
            title: meta.title,
            typeId: meta.typeId,
            type: input.type,
            derived,
            version: (h) => output.version(h),
            comments: commentLines(deriveThreads(ws, output), ws.memberMap(), derived.rounds),
          })
        } catch {
          // Not on this device yet: left out until it syncs.
        }
      }
      if (live) {
        setLoaded({ items, ids })
        setProgress(null)
      }
    })()
    return () => {
      live = false
    }
  }, [session, ids, epoch])
  return {
    items: loaded.items,
    /** Nothing loaded yet. */
    loading: loaded.ids === null,
    /** Loading a different set of outputs than the one shown (say, after "show more"). */
    loadingMore: loaded.ids !== null && loaded.ids !== ids,
    /** While a load has taken a moment: how many of how many outputs are read. */
    progress,
  }
}
