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
  // Open while this view shows them, however many (see WorkspaceSession.hold).
  useEffect(() => (ids ? session.hold(ids.split('\n')) : undefined), [session, ids])
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epoch re-reads the opened outputs after changes
  useEffect(() => {
    let live = true
    const ws = session.workspace
    void (async () => {
      const items: Loaded[] = []
      for (const id of ids ? ids.split('\n') : []) {
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
      if (live) setLoaded({ items, ids })
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
  }
}
