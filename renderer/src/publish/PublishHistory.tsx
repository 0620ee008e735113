import { destinationGone, destinationLabel } from '../../../shared/domain/destination-names.ts'
import './publish.css'
import { useEffect, useState } from 'react'
import { deriveOutput } from '../../../shared/domain/actions.ts'
import type { OutputDoc } from '../../../shared/domain/output.ts'
import { type PublishRecord, type ScheduleRecord, scheduleHold } from '../../../shared/domain/publishing.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { DocObservable } from '../output/doc-observable.ts'
import { useObserved } from '../state/observable.ts'
import { useUi } from '../ui/store.ts'
import { unscheduleOutput } from './flow.ts'
import { localDestinations } from './local.ts'
import { scheduleNote } from './schedule-words.ts'

const when = (ms: number | undefined) => (ms ? new Date(ms).toLocaleString() : '')

/** What the receipt says in a few words: the file, the commit, the HTTP status, the message id. */
function receiptText(r: Record<string, unknown> | undefined): string {
  if (!r) return ''
  if (typeof r.commit === 'string') return `commit ${r.commit.slice(0, 10)} · ${String(r.path ?? '')}`
  if (typeof r.path === 'string') return r.path
  if (typeof r.status === 'number') return `HTTP ${r.status}`
  if (typeof r.messageId === 'string') return `message ${r.messageId}`
  return ''
}

/** The output's publishing trail: every attempt with its receipt or error, and pending schedules. */
export function PublishHistory({ session, outputId }: { session: WorkspaceSession; outputId: string }) {
  const [out, setOut] = useState<{ output: OutputDoc; watch: DocObservable } | null>(null)
  const notify = useUi((s) => s.notify)
  useEffect(() => {
    let live = true
    let watch: DocObservable | undefined
    void session.openOutput(outputId).then(({ output }) => {
      if (!live) return
      watch = new DocObservable(output.doc)
      setOut({ output, watch })
    })
    return () => {
      live = false
      watch?.destroy()
    }
  }, [session, outputId])
  const ws = session.workspace
  const data = useObserved(out?.watch, () => {
    if (!out) return null
    const { input, derived } = deriveOutput(ws, out.output)
    const standing = { ...derived, currentHash: input.currentHash }
    return {
      publishes: derived.publishes,
      schedules: derived.schedules,
      hold: (s: ScheduleRecord) => scheduleHold(s, standing),
    }
  })
  if (!data) return null
  const name = (id: string) => destinationLabel(ws, id)
  const member = (id: string) => ws.members.get(id)?.name ?? id
  const local = localDestinations(session.entry.id)
  const noteOf = (s: ScheduleRecord) =>
    scheduleNote({
      runAt: s.runAt,
      now: Date.now(),
      destinationName: name(s.destinationId),
      gone: destinationGone(ws, s.destinationId),
      hold: data.hold(s),
      configuredHere: !local.loaded || local.configured(s.destinationId),
    })
  const pending = data.schedules
    .filter((s) => s.status === 'pending')
    .map((schedule) => ({ schedule, note: noteOf(schedule) }))
  const attempts: PublishRecord[] = [...data.publishes].reverse()
  return (
    <section aria-label="Publishing history" className="pub-history">
      <h3 style={{ margin: '4px 0', fontSize: '0.95rem' }}>Publishing history</h3>
      {pending.length > 0 && (
        <ul aria-label="Scheduled publishes">
          {pending.map(({ schedule: s, note }) => (
            <li key={s.scheduleId}>
              Scheduled for {name(s.destinationId)} at {when(s.runAt)} by {member(s.by)}
              {note && <strong className="pub-failed"> · {note}</strong>}{' '}
              <button
                type="button"
                onClick={async () => {
                  const r = await unscheduleOutput(session, outputId, s.scheduleId)
                  if (!r.ok) notify('error', r.reason)
                }}
              >
                Cancel schedule
              </button>
            </li>
          ))}
        </ul>
      )}
      {attempts.length === 0 ? (
        <p className="muted">Not published yet.</p>
      ) : (
        <ul aria-label="Publish attempts">
          {attempts.map((p) => (
            <li key={p.attemptId} data-status={p.status}>
              <strong>
                {p.status === 'published' ? 'Published' : p.status === 'failed' ? 'Failed' : 'In progress'}
              </strong>{' '}
              to {name(p.destinationId)} by {member(p.by)}, {when(p.at ?? p.claimedAt)} · version{' '}
              <code>{p.contentHash.slice(0, 8)}</code>
              {p.status === 'published' && (
                <>
                  {' '}
                  · <code>{receiptText(p.receipt)}</code>
                </>
              )}
              {p.status === 'failed' && <> · {p.error}</>}
              {p.note && <> · {p.note}</>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
