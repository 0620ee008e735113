import { useEffect, useMemo, useState } from 'react'
import { deriveOutput } from '../../../shared/domain/actions.ts'
import { deriveThreads } from '../../../shared/domain/comments.ts'
import { shortHash } from '../../../shared/domain/hash.ts'
import { shortPolicy } from '../../../shared/domain/policies.ts'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import { type CommentLine, commentLines } from '../../../shared/trace/comment-trail.ts'
import { type ApprovalReceipt, approvalReceipt } from '../../../shared/trace/receipt.ts'
import { type ShippedSource, shippedRows, toCsv, toJson } from '../../../shared/trace/shipped.ts'
import { type TimelineEntry, timeline } from '../../../shared/trace/timeline.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { stripBidi } from '../ui/bidi.ts'
import { useUi } from '../ui/store.ts'
import { download, slug, when } from './download.ts'
import { TraceStyles } from './styles.tsx'

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
      <TraceStyles />
      {view === 'shipped' ? <Shipped session={session} /> : <Activity session={session} />}
    </main>
  )
}

interface Loaded extends ShippedSource {
  version: (hash: string) => string | undefined
  /** Its signed comment records as lines for the activity feed. */
  comments: CommentLine[]
}

/** Open the outputs and derive them (their documents load from this device, or the relay). */
function useLoaded(session: WorkspaceSession, pick: (all: OutputSummary[]) => OutputSummary[]) {
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

const dayStart = (s: string) => (s ? new Date(`${s}T00:00:00`).getTime() : undefined)
const dayEnd = (s: string) => (s ? new Date(`${s}T23:59:59.999`).getTime() : undefined)

function Shipped({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const notify = useUi((s) => s.notify)
  const { items, loading } = useLoaded(session, (all) =>
    all.filter((s) => (s.publishCount ?? 0) > 0 || s.state === 'published'),
  )
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [typeId, setTypeId] = useState('')
  const [destinationId, setDestinationId] = useState('')
  const [printing, setPrinting] = useState<ApprovalReceipt | null>(null)
  const members = ws.memberMap()
  const destinations = new Map(ws.destinations.all().map((d) => [d.id, d.name]))
  const filter = {
    ...(dayStart(from) !== undefined ? { from: dayStart(from)! } : {}),
    ...(dayEnd(to) !== undefined ? { to: dayEnd(to)! } : {}),
    ...(typeId ? { typeId } : {}),
    ...(destinationId ? { destinationId } : {}),
  }
  // What members wrote (titles, names, destination names) is shown without bidi controls.
  const rows = shippedRows(items, members, destinations, filter).map((r) => ({
    ...r,
    title: stripBidi(r.title),
    type: stripBidi(r.type),
    approvers: r.approvers.map(stripBidi),
    destination: stripBidi(r.destination),
    by: stripBidi(r.by),
    receipt: stripBidi(r.receipt),
  }))
  const stamp = new Date().toISOString().slice(0, 10)

  const receiptOf = (outputId: string) => {
    const item = items.find((i) => i.outputId === outputId)
    if (!item) return null
    const r = approvalReceipt(
      { ...item, workspaceId: session.workspace.id, keys: session.workspace.keyTrust() },
      members,
      destinations,
    )
    if (typeof r === 'string') {
      notify('error', r)
      return null
    }
    return r
  }

  return (
    <>
      <h1>What shipped</h1>
      <div className="tr-filters">
        <label>
          From
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Type
          <select value={typeId} onChange={(e) => setTypeId(e.target.value)}>
            <option value="">All types</option>
            {ws.types.all().map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Destination
          <select value={destinationId} onChange={(e) => setDestinationId(e.target.value)}>
            <option value="">All destinations</option>
            {ws.destinations.all().map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => download(`shipped-${stamp}.csv`, toCsv(rows), 'text/csv')}>
          Export CSV
        </button>
        <button
          type="button"
          onClick={() => download(`shipped-${stamp}.json`, toJson(rows), 'application/json')}
        >
          Export JSON
        </button>
      </div>
      {loading ? (
        <p role="status">Reading the outputs…</p>
      ) : rows.length === 0 ? (
        <p role="status">Nothing was published in this period.</p>
      ) : (
        <table className="tr-table" aria-label="Publishes">
          <thead>
            <tr>
              <th>Time</th>
              <th>Output</th>
              <th>Type</th>
              <th>Risk</th>
              <th>Version</th>
              <th>Rules</th>
              <th>Approvers</th>
              <th>Checklist</th>
              <th>Destination</th>
              <th>By</th>
              <th>Receipt</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.outputId}-${r.time}-${r.destinationId}`}>
                <td>{when(r.time)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => useUi.getState().show({ name: 'output', outputId: r.outputId })}
                  >
                    {r.title}
                  </button>
                </td>
                <td>{r.type}</td>
                <td>{r.risk}</td>
                <td>
                  <code title={r.contentHash}>{shortHash(r.contentHash)}</code>
                </td>
                <td>
                  {r.policy ? <code title={r.policy}>{shortPolicy(r.policy)}</code> : 'before versions'}
                </td>
                <td>
                  {r.unapproved ? (
                    <strong className="tr-unverified" title={r.unapproved}>
                      No standing approval: {r.unapproved}
                    </strong>
                  ) : (
                    r.approvers.join(', ') || 'none recorded'
                  )}
                </td>
                <td>{r.checklist}</td>
                <td>{r.destination}</td>
                <td>{r.by}</td>
                <td>
                  <span className="tr-receipt">{r.receipt}</span>{' '}
                  <button
                    type="button"
                    aria-label={`Approval receipt for ${r.title}`}
                    onClick={() => {
                      const rec = receiptOf(r.outputId)
                      if (rec)
                        download(
                          `${slug(r.title)}-receipt-${shortHash(rec.versionHash)}.json`,
                          JSON.stringify(rec, null, 2),
                          'application/json',
                        )
                    }}
                  >
                    Receipt JSON
                  </button>{' '}
                  <button
                    type="button"
                    aria-label={`Printable receipt for ${r.title}`}
                    onClick={() => setPrinting(receiptOf(r.outputId))}
                  >
                    Printable
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {printing && <PrintableReceipt receipt={printing} onClose={() => setPrinting(null)} />}
    </>
  )
}

function PrintableReceipt({ receipt: r, onClose }: { receipt: ApprovalReceipt; onClose: () => void }) {
  return (
    <article className="tr-print" aria-label="Printable approval receipt">
      <h2>Approval receipt: {stripBidi(r.output.title)}</h2>
      <p className="tr-noprint">
        <button type="button" className="tr-primary" onClick={() => window.print()}>
          Print
        </button>{' '}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </p>
      <dl>
        <dt>Type</dt>
        <dd>
          {stripBidi(r.type.name)} ({r.risk} risk)
        </dd>
        <dt>Version (sha256 of the content)</dt>
        <dd>
          <code>{r.versionHash}</code>
        </dd>
        <dt>Issued</dt>
        <dd>{r.issuedAt}</dd>
        <dt>Signed</dt>
        <dd>
          {r.signed
            ? 'Yes: every approval, judgement and publish carries its author’s signed event.'
            : 'Not fully: some entries carry no signed event.'}
        </dd>
      </dl>
      <h3>Signers’ device keys</h3>
      <ul>
        {r.signers.map((k) => (
          <li key={k.publicKey}>
            {stripBidi(k.who)} ({stripBidi(k.device) || 'device'}): <code>{k.publicKey}</code>
          </li>
        ))}
      </ul>
      <h3>Approvals</h3>
      <ul>
        {r.approvals.map((a) => (
          <li key={`${a.memberId}-${a.at}`}>
            {stripBidi(a.who)}, {a.at}, version <code>{shortHash(a.contentHash)}</code>
          </li>
        ))}
      </ul>
      <h3>Checklist</h3>
      <ul>
        {r.checklist.map((j) => (
          <li key={`${j.itemId}-${j.at}`}>
            {stripBidi(j.item)}: {j.verdict}
            {j.note ? ` (${stripBidi(j.note)})` : ''} by {stripBidi(j.who)}, {j.at}
          </li>
        ))}
      </ul>
      <h3>Publishes</h3>
      <ul>
        {r.publishes.map((p) => (
          <li key={`${p.destinationId}-${p.at}`}>
            {p.destination}, {p.at}, by {p.by}: {JSON.stringify(p.receipt)}
          </li>
        ))}
      </ul>
      <h3>How to check</h3>
      <p>{r.howToCheck}</p>
      <h3>Content</h3>
      <pre className="tr-text">{r.content}</pre>
    </article>
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
              <button
                type="button"
                onClick={() => useUi.getState().show({ name: 'output', outputId: e.outputId })}
              >
                {e.title}
              </button>
            </li>
          ))}
        </ol>
      )}
    </>
  )
}
