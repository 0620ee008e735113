import { type ReactNode, useEffect, useRef } from 'react'
import { shortHash } from '../../../shared/domain/hash.ts'
import { CARRY_OVER_WORDS, shortPolicy } from '../../../shared/domain/policies.ts'
import type { ApprovalReceipt } from '../../../shared/trace/receipt.ts'
import { stripBidi } from '../ui/bidi.ts'

/** One output's approval receipt laid out for paper: the print styles hide everything else. */
export function PrintableReceipt({ receipt: r, onClose }: { receipt: ApprovalReceipt; onClose: () => void }) {
  // Items of the approved round's checklist that nobody judged: a receipt that listed only the
  // verdicts would read as if the checklist had no more to it.
  const open = (r.rules?.policy.checklist ?? []).filter((i) => !r.checklist.some((j) => j.itemId === i.id))
  // It opens below the table: brought into view and given the focus, or a click on a row far up
  // would seem to do nothing.
  const article = useRef<HTMLElement>(null)
  useEffect(() => {
    article.current?.focus()
    article.current?.scrollIntoView({ block: 'start' })
  }, [])
  return (
    <article ref={article} tabIndex={-1} className="tr-print" aria-label="Printable approval receipt">
      <h2>Approval receipt: {stripBidi(r.output.title)}</h2>
      <p className="tr-noprint">
        <button type="button" className="primary" onClick={() => window.print()}>
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
        {r.rules && (
          <>
            <dt>Review rules</dt>
            <dd>
              {[...(r.earlierRounds ?? []), r.rules].map((x, i) => (
                <span key={x.round}>
                  {i > 0 ? '; round ' : 'Round '}
                  {x.round}: <code>{shortPolicy(x.version)}</code>
                  {x === r.rules && r.earlierRounds ? ' (approved)' : ''}
                </span>
              ))}
            </dd>
          </>
        )}
        <dt>Signed</dt>
        <dd>
          {r.signed
            ? 'Yes: every approval, judgement and publish carries its author’s signed event.'
            : 'Not fully: some entries carry no signed event.'}
        </dd>
      </dl>
      <Listed title="Signers’ device keys" items={r.signers} keyOf={(k) => k.publicKey}>
        {(k) => (
          <>
            {stripBidi(k.who)} ({stripBidi(k.device) || 'device'}): <code>{k.publicKey}</code>
          </>
        )}
      </Listed>
      <Listed title="Approvals" items={r.approvals} keyOf={(a) => `${a.memberId}-${a.at}`}>
        {(a) => (
          <>
            {stripBidi(a.who)}, {a.at}, version <code>{shortHash(a.contentHash)}</code>
          </>
        )}
      </Listed>
      <Listed
        title="Checklist"
        items={r.checklist}
        keyOf={(j) => `${j.itemId}-${j.at}`}
        after={open.map((i) => <li key={`open-${i.id}`}>{stripBidi(i.title)}: not judged</li>)}
      >
        {(j) => (
          <>
            {stripBidi(j.item)}: {j.verdict}
            {j.note ? ` (${stripBidi(j.note)})` : ''} by {stripBidi(j.who)}, {j.at}
            {j.carried && (
              <>
                {' — '}
                <strong>Carried over from round {j.carried.round}</strong> (judged on version{' '}
                <code>{shortHash(j.contentHash)}</code>; the rules carry {CARRY_OVER_WORDS[j.carried.rule]})
              </>
            )}
          </>
        )}
      </Listed>
      <Listed title="Publishes" items={r.publishes} keyOf={(p) => `${p.destinationId}-${p.at}`}>
        {(p) => (
          <>
            {stripBidi(p.destination)}, {p.at}, by {stripBidi(p.by)}
            <ReceiptFields receipt={p.receipt} versionHash={r.versionHash} />
          </>
        )}
      </Listed>
      <h3>How to check</h3>
      <p>{r.howToCheck}</p>
      <h3>Content</h3>
      <pre className="tr-text">{r.content}</pre>
    </article>
  )
}

/** A titled list of the receipt's entries, one line each; `after` ends the list. */
function Listed<T>({
  title,
  items,
  keyOf,
  children,
  after,
}: {
  title: string
  items: readonly T[]
  keyOf: (item: T) => string
  children: (item: T) => ReactNode
  after?: ReactNode
}) {
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {items.map((item) => (
          <li key={keyOf(item)}>{children(item)}</li>
        ))}
        {after}
      </ul>
    </>
  )
}

const RECEIPT_LABEL: Record<string, string> = {
  path: 'Path',
  fileName: 'File name',
  fileHash: 'File sha256',
  bytes: 'Bytes',
  contentHash: 'Content sha256',
  at: 'At',
  commit: 'Commit',
  branch: 'Branch',
  status: 'HTTP status',
  url: 'URL',
  messageId: 'Message id',
  hash: 'Hash',
}

/**
 * What the destination gave back for a publish, one field a line, for a person reading the paper
 * (the receipt JSON keeps it as it came).
 */
function ReceiptFields({ receipt, versionHash }: { receipt: Record<string, unknown>; versionHash: string }) {
  const shown = (key: string, value: unknown): string => {
    if (key === 'at' && typeof value === 'number') return new Date(value).toISOString()
    if (key === 'contentHash' && value === versionHash) return `${value} (the version above)`
    return typeof value === 'string' ? stripBidi(value) : JSON.stringify(value)
  }
  const fields = Object.entries(receipt).filter(([key]) => key !== 'kind')
  if (fields.length === 0) return null
  return (
    <ul>
      {fields.map(([key, value]) => (
        <li key={key}>
          {RECEIPT_LABEL[key] ?? key}: <code>{shown(key, value)}</code>
        </li>
      ))}
    </ul>
  )
}
