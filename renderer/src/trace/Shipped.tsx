import { useRef, useState } from 'react'
import { destinationLabels } from '../../../shared/domain/destination-names.ts'
import { shortHash } from '../../../shared/domain/hash.ts'
import { shortPolicy } from '../../../shared/domain/policies.ts'
import { type ApprovalReceipt, approvalReceipt } from '../../../shared/trace/receipt.ts'
import { type ShippedRow, shippedRows, toCsv, toJson } from '../../../shared/trace/shipped.ts'
import { NamedOptions } from '../chrome/form.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { stripBidi } from '../ui/bidi.ts'
import { useUi } from '../ui/store.ts'
import { download, slug, when } from './download.ts'
import { OutputLink } from './OutputLink.tsx'
import { PrintableReceipt } from './PrintableReceipt.tsx'
import { readingText, useLoaded } from './use-loaded.ts'

const dayStart = (s: string) => (s ? new Date(`${s}T00:00:00`).getTime() : undefined)
const dayEnd = (s: string) => (s ? new Date(`${s}T23:59:59.999`).getTime() : undefined)

export interface FilterFields {
  from: string
  to: string
  typeId: string
  destinationId: string
}

/** "What shipped": every publish in a period, with its approvals, exportable and with receipts. */
export function Shipped({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const notify = useUi((s) => s.notify)
  const { items, loading, progress } = useLoaded(session, (all) =>
    all.filter((s) => (s.publishCount ?? 0) > 0 || s.state === 'published'),
  )
  const [filter, setFilter] = useState<FilterFields>({ from: '', to: '', typeId: '', destinationId: '' })
  const [printing, setPrinting] = useState<ApprovalReceipt | null>(null)
  const opener = useRef<HTMLElement | null>(null)
  const print = (receipt: ApprovalReceipt | null) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    setPrinting(receipt)
  }
  const members = ws.memberMap()
  const destinations = destinationLabels(ws)
  const { from, to, typeId, destinationId } = filter
  const rowFilter = {
    ...(dayStart(from) !== undefined ? { from: dayStart(from)! } : {}),
    ...(dayEnd(to) !== undefined ? { to: dayEnd(to)! } : {}),
    ...(typeId ? { typeId } : {}),
    ...(destinationId ? { destinationId } : {}),
  }
  // What members wrote (titles, names, destination names) is shown without bidi controls.
  const rows = shippedRows(items, members, destinations, rowFilter).map((r) => ({
    ...r,
    title: stripBidi(r.title),
    type: stripBidi(r.type),
    approvers: r.approvers.map(stripBidi),
    destination: stripBidi(r.destination),
    by: stripBidi(r.by),
    receipt: stripBidi(r.receipt),
  }))

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
      <ShippedFilters
        session={session}
        filter={filter}
        onChange={setFilter}
        rows={rows}
        shippedTo={new Set(items.flatMap((i) => i.derived.publishes.map((p) => p.destinationId)))}
      />
      {loading ? (
        <p role="status">{readingText(progress)}</p>
      ) : rows.length === 0 ? (
        <p role="status">{nothingShipped(filter, items.length)}</p>
      ) : (
        <ShippedTable rows={rows} receiptOf={receiptOf} onPrint={print} />
      )}
      {printing && (
        <PrintableReceipt
          // Another row's receipt is a new one: it takes the focus and the view again.
          key={`${printing.versionHash}-${printing.issuedAt}`}
          receipt={printing}
          onClose={() => {
            setPrinting(null)
            // Back to the row's Printable button, where the keyboard was.
            opener.current?.focus()
          }}
        />
      )}
    </>
  )
}

/** Why the list is empty: nothing went out yet, the dates are the wrong way round, or the filters. */
export function nothingShipped(filter: FilterFields, published: number): string {
  if (published === 0)
    return 'Nothing has been published yet: drag an approved card onto a destination on the board.'
  if (filter.from && filter.to && filter.from > filter.to)
    return '“From” is after “To”, so no day falls between them. Swap the two dates.'
  return filter.from || filter.to
    ? 'Nothing was published in this period.'
    : 'Nothing published matches these filters.'
}

function ShippedFilters({
  session,
  filter,
  onChange,
  rows,
  shippedTo,
}: {
  session: WorkspaceSession
  filter: FilterFields
  onChange: (filter: FilterFields) => void
  rows: ShippedRow[]
  /** Destinations something was published to: a removed one is offered only if it is among them. */
  shippedTo: ReadonlySet<string>
}) {
  const ws = session.workspace
  const set = (key: keyof FilterFields) => (e: { target: { value: string } }) =>
    onChange({ ...filter, [key]: e.target.value })
  const stamp = new Date().toISOString().slice(0, 10)
  return (
    <div className="tr-filters">
      <label>
        From
        <input type="date" value={filter.from} onChange={set('from')} />
      </label>
      <label>
        To
        <input type="date" value={filter.to} onChange={set('to')} />
      </label>
      <Choice label="Type" value={filter.typeId} onChange={set('typeId')} all="All types">
        {ws.types.all()}
      </Choice>
      <Choice
        label="Destination"
        value={filter.destinationId}
        onChange={set('destinationId')}
        all="All destinations"
      >
        {[...destinationLabels(ws)]
          .filter(([id]) => ws.destinations.has(id) || shippedTo.has(id))
          .map(([id, name]) => ({ id, name }))}
      </Choice>
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
  )
}

/** A labelled select of named things, with a first option for all of them. */
function Choice({
  label,
  value,
  onChange,
  all,
  children,
}: {
  label: string
  value: string
  onChange: (e: { target: { value: string } }) => void
  all: string
  children: readonly { id: string; name: string }[]
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={onChange}>
        <option value="">{all}</option>
        <NamedOptions of={children} />
      </select>
    </label>
  )
}

const COLUMNS = [
  'Time',
  'Output',
  'Type',
  'Risk',
  'Version',
  'Rules',
  'Approvers',
  'Checklist',
  'Destination',
  'By',
  'Receipt',
]

function ShippedTable({
  rows,
  receiptOf,
  onPrint,
}: {
  rows: ShippedRow[]
  receiptOf: (outputId: string) => ApprovalReceipt | null
  onPrint: (receipt: ApprovalReceipt | null) => void
}) {
  // A narrow window scrolls the table sideways, not the page; the region takes the focus so the
  // arrow keys scroll it.
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section className="tr-table-scroll" aria-label="Publishes table" tabIndex={0}>
      <table className="tr-table" aria-label="Publishes">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.outputId}-${r.time}-${r.destinationId}`}>
              <td>{when(r.time)}</td>
              <td>
                <OutputLink outputId={r.outputId}>{r.title}</OutputLink>
              </td>
              <td>{r.type}</td>
              <td>{r.risk}</td>
              <td>
                <code title={r.contentHash}>{shortHash(r.contentHash)}</code>
              </td>
              <td>{r.policy ? <code title={r.policy}>{shortPolicy(r.policy)}</code> : 'before versions'}</td>
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
                <ReceiptCell row={r} receiptOf={receiptOf} onPrint={onPrint} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function ReceiptCell({
  row: r,
  receiptOf,
  onPrint,
}: {
  row: ShippedRow
  receiptOf: (outputId: string) => ApprovalReceipt | null
  onPrint: (receipt: ApprovalReceipt | null) => void
}) {
  return (
    <>
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
        onClick={() => onPrint(receiptOf(r.outputId))}
      >
        Printable
      </button>
    </>
  )
}
