import { shortHash } from '../../../shared/domain/hash.ts'
import type { ApprovalReceipt } from '../../../shared/trace/receipt.ts'
import { stripBidi } from '../ui/bidi.ts'

/** One output's approval receipt laid out for paper: the print styles hide everything else. */
export function PrintableReceipt({ receipt: r, onClose }: { receipt: ApprovalReceipt; onClose: () => void }) {
  return (
    <article className="tr-print" aria-label="Printable approval receipt">
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
