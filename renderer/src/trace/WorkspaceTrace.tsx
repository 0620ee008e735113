import { destinationLabels } from '../../../shared/domain/destination-names.ts'
import './trace.css'
import { useMemo, useState } from 'react'
import type { CommentLine } from '../../../shared/trace/comment-trail.ts'
import { type TimelineEntry, timeline } from '../../../shared/trace/timeline.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { stripBidi } from '../ui/bidi.ts'
import { when } from './download.ts'
import { OutputLink } from './OutputLink.tsx'
import { Shipped } from './Shipped.tsx'
import { readingText, useLoaded } from './use-loaded.ts'

/** The workspace-wide trace views: "What shipped" and "Activity". */
export function WorkspaceTrace({
  session,
  view,
}: {
  session: WorkspaceSession
  view: 'shipped' | 'activity'
}) {
  return (
    <main className="tr tr-page">
      {view === 'shipped' ? <Shipped session={session} /> : <Activity session={session} />}
    </main>
  )
}

/** Outputs the activity feed reads at first, and how many more each "Show earlier activity" adds. */
const ACTIVITY_OUTPUTS = 10
/** Entries shown per ACTIVITY_OUTPUTS outputs read. */
const ACTIVITY_ENTRIES = 100

function Activity({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const [outputs, setOutputs] = useState(ACTIVITY_OUTPUTS)
  const total = useObserved(session, () => ws.allSummaries().length)
  const { items, loading, loadingMore, progress } = useLoaded(
    session,
    (all) => [...all].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, outputs),
    [outputs],
  )
  const limit = (outputs / ACTIVITY_OUTPUTS) * ACTIVITY_ENTRIES
  const { entries, more } = useMemo(() => {
    const members = ws.memberMap()
    const destinations = destinationLabels(ws)
    const all: ((TimelineEntry | CommentLine) & { outputId: string; title: string; key: string })[] = []
    for (const item of items) {
      const title = stripBidi(item.title)
      for (const e of timeline(item.derived, members, item.type, { destinations }))
        all.push({
          ...e,
          text: stripBidi(e.text),
          outputId: item.outputId,
          title,
          key: `t${e.index}-${e.id}`,
        })
      // Comments and suggestions are part of who did what.
      for (const c of item.comments)
        all.push({
          ...c,
          text: stripBidi(c.text),
          outputId: item.outputId,
          title,
          key: `c${c.index}-${c.id}`,
        })
    }
    return { entries: all.sort((a, b) => b.when - a.when).slice(0, limit), more: all.length > limit }
  }, [items, ws, limit])
  const earlier = more || total > outputs
  const scope = activityScope(total, outputs)
  return (
    <>
      <h1>Activity</h1>
      <p className="tr-when">
        Who did what, newest first, {scope}
        {more ? `: the newest ${entries.length} entries.` : '.'}
      </p>
      {loading ? (
        <p role="status">{readingText(progress)}</p>
      ) : entries.length === 0 ? (
        <p role="status">Nothing has happened yet.</p>
      ) : (
        <>
          <ol className="tr-timeline" aria-label="Recent activity" style={{ maxHeight: 'none' }}>
            {entries.map((e) => (
              <li key={`${e.outputId}-${e.key}`} className={e.counted ? 'tr-entry' : 'tr-entry tr-problem'}>
                <time>{when(e.when)}</time>
                <span>
                  {e.unverified && <strong className="tr-unverified">Unverified</strong>}
                  {e.text}
                </span>
                <OutputLink outputId={e.outputId}>{e.title}</OutputLink>
              </li>
            ))}
          </ol>
          {earlier && (
            <p className="tr-more">
              <button
                type="button"
                disabled={loadingMore}
                onClick={() => setOutputs((n) => n + ACTIVITY_OUTPUTS)}
              >
                Show earlier activity
              </button>
              <span role="status">{loadingMore ? 'Reading more outputs…' : ''}</span>
            </p>
          )}
        </>
      )}
    </>
  )
}

/** Which outputs Activity reads from, as the end of "Who did what, newest first, …". */
export function activityScope(total: number, read: number): string {
  if (total === 1) return 'in the one output'
  if (total === 2 && read >= 2) return 'across both outputs'
  if (total <= read) return `across all ${total} outputs`
  return `across the ${read} most recently changed of ${total} outputs`
}
