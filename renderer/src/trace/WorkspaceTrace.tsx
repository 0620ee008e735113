import './trace.css'
import { useMemo } from 'react'
import type { CommentLine } from '../../../shared/trace/comment-trail.ts'
import { type TimelineEntry, timeline } from '../../../shared/trace/timeline.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { stripBidi } from '../ui/bidi.ts'
import { when } from './download.ts'
import { OutputLink } from './OutputLink.tsx'
import { Shipped } from './Shipped.tsx'
import { useLoaded } from './use-loaded.ts'

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

const ACTIVITY_OUTPUTS = 10
const ACTIVITY_ENTRIES = 100

function Activity({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const { items, loading } = useLoaded(session, (all) =>
    [...all].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, ACTIVITY_OUTPUTS),
  )
  const entries = useMemo(() => {
    const members = ws.memberMap()
    const destinations = new Map(ws.destinations.all().map((d) => [d.id, d.name]))
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
    return all.sort((a, b) => b.when - a.when).slice(0, ACTIVITY_ENTRIES)
  }, [items, ws])
  return (
    <>
      <h1>Activity</h1>
      <p className="tr-when">
        Who did what, newest first, across the {ACTIVITY_OUTPUTS} most recently changed outputs.
      </p>
      {loading ? (
        <p role="status">Reading the outputs…</p>
      ) : entries.length === 0 ? (
        <p role="status">Nothing has happened yet.</p>
      ) : (
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
      )}
    </>
  )
}
