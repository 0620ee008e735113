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
export function useLoaded(session: WorkspaceSession, pick: (all: OutputSummary[]) => OutputSummary[]) {
  const epoch = useObserved(session, () => session.getEpoch())
  const ids = useObserved(session, () =>
    pick(session.workspace.allSummaries())
      .map((s) => s.id)
      .join('\n'),
  )
  const [loaded, setLoaded] = useState<{ items: Loaded[]; loading: boolean }>({ items: [], loading: true })
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
      if (live) setLoaded({ items, loading: false })
    })()
    return () => {
      live = false
    }
  }, [session, ids, epoch])
  return loaded
}
