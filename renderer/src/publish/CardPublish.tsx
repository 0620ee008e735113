import { destinationGone, destinationLabel } from '../../../shared/domain/destination-names.ts'
import './publish.css'
import { useState } from 'react'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { useUi } from '../ui/store.ts'
import { publishOutput } from './flow.ts'
import { driftStore, localDestinations } from './local.ts'
import { scheduleNote } from './schedule-words.ts'

const time = (ms: number) =>
  new Date(ms).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })

/**
 * One line on a card about publishing: where it was published, a drift flag when a published
 * file no longer matches, the latest failure with Retry, or the next scheduled publish.
 */
export function CardPublish({
  session,
  summary: s,
  now,
}: {
  session: WorkspaceSession
  summary: OutputSummary
  /** The board's clock (it ticks each minute): a schedule past its time says so. */
  now: number
}) {
  const ws = session.workspace
  const drift = driftStore(session.entry.id)
  const flags = useObserved(drift, () => drift.get(s.id), [s.id])
  const local = localDestinations(session.entry.id)
  useObserved(local, () => local.all)
  const notify = useUi((u) => u.notify)
  const [busy, setBusy] = useState(false)
  const name = (id: string) => destinationLabel(ws, id)
  const published = s.publishedTo ?? []
  const failure = s.publishError
  if (published.length === 0 && !failure && !s.nextSchedule && !flags?.length) return null

  const retry = async () => {
    if (!failure || busy) return
    setBusy(true)
    const r = await publishOutput(session, s.id, failure.destinationId)
    setBusy(false)
    if (r.ok) notify('info', `Published “${s.title}” to ${name(failure.destinationId)}.`)
    else notify('error', `“${s.title}” was not published to ${name(failure.destinationId)}: ${r.reason}`)
  }

  return (
    <p className="card-publish" data-testid="card-publish">
      {flags && flags.length > 0 ? (
        <span className="pub-drift" title={flags.map((f) => `${f.path}: ${f.status}`).join('\n')}>
          ⚠ {flags[0]!.status === 'missing' ? 'Published file missing' : 'Published file changed'} (
          {name(flags[0]!.destinationId)})
        </span>
      ) : failure ? (
        <>
          <span className="pub-failed" title={failure.error}>
            Publish to {name(failure.destinationId)} failed: {failure.error}
          </span>
          <button
            type="button"
            // Not disabled while busy: a retry that fails again keeps the keyboard focus here.
            aria-disabled={busy || undefined}
            aria-label={`Retry publishing ${s.title} to ${name(failure.destinationId)}`}
            onClick={() => void retry()}
          >
            Retry
          </button>
        </>
      ) : published.length > 0 ? (
        <span className="pub-published" title={published.map(name).join(', ')}>
          Published to {published.map(name).join(', ')}
        </span>
      ) : null}
      {s.nextSchedule && (
        <ScheduleLine
          text={`Scheduled: ${name(s.nextSchedule.destinationId)} at ${time(s.nextSchedule.runAt)}`}
          note={scheduleNote({
            runAt: s.nextSchedule.runAt,
            now,
            destinationName: name(s.nextSchedule.destinationId),
            gone: destinationGone(ws, s.nextSchedule.destinationId),
            hold: s.nextSchedule.hold,
            // Until this machine's settings are read, it is not said to lack them.
            configuredHere: !local.loaded || local.configured(s.nextSchedule.destinationId),
          })}
        />
      )}
    </p>
  )
}

/** The next schedule on a card, marked when it will not go out as planned. */
function ScheduleLine({ text, note }: { text: string; note: string | null }) {
  return (
    <span className={note ? 'pub-failed' : 'pub-scheduled'} title={note ?? undefined}>
      {text}
      {note && `, ${note}`}
    </span>
  )
}
