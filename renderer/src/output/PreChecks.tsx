/**
 * "Automatic checks" in the review panel: the type's pre-checks on this version, above the human
 * checklist; what they found, which escalations apply, and where automatic approval stands.
 */
import type { PreCheckStatus } from '../../../shared/prechecks/run.ts'
import type { PreChecksView } from '../../../shared/prechecks/view.ts'

const STATUS_MARK: Record<PreCheckStatus, string> = { pass: '✓', fail: '✗', warn: '!' }

const css = `
.pc-list { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 6px; }
.pc-item { border: 1px solid #d8dee4; border-left: 4px solid #2da44e; border-radius: 6px; padding: 6px 10px; }
.pc-item-fail { border-left-color: #cf222e; }
.pc-item-warn { border-left-color: #d4a72c; }
.pc-head { display: flex; gap: 8px; align-items: baseline; justify-content: space-between; }
.pc-title { font-weight: 600; }
.pc-status { font-size: 0.8rem; font-weight: 600; border-radius: 999px; padding: 0 8px; border: 1px solid; white-space: nowrap; }
.pc-status-pass { color: #116329; background: #dafbe1; border-color: #8ddb9e; }
.pc-status-fail { color: #a40e26; background: #ffe0e3; border-color: #f2838f; }
.pc-status-warn { color: #7a4d00; background: #fff3c4; border-color: #e3b341; }
.pc-detail { font-size: 0.88rem; color: #424a53; }
.pc-snippets { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0 0; padding: 0; list-style: none; }
.pc-snippets mark { background: #fff8c5; border: 1px solid #eac54f; border-radius: 4px; padding: 0 4px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.82rem; color: #1f2328; word-break: break-all; }
.pc-escalation { border: 1px solid #f2838f; background: #ffeef0; color: #6e0b1b; border-radius: 6px; padding: 6px 10px; font-size: 0.9rem; }
.pc-folded summary { cursor: pointer; color: #116329; font-size: 0.9rem; }
.pc-folded[open] summary { margin-bottom: 6px; }
.pc-auto { font-size: 0.9rem; color: #424a53; }
`

export function PreChecks({ view }: { view: PreChecksView }) {
  // When every check passes the list folds into one line; anything else shows in full.
  const allPass = view.items.length > 0 && view.items.every((i) => i.status === 'pass')
  return (
    <section aria-labelledby="ov-prechecks-heading" className="pc">
      <style href="signoff-prechecks" precedence="default">
        {css}
      </style>
      <h3 id="ov-prechecks-heading">Automatic checks</h3>
      {!allPass && <p className="ov-progress">{view.summary}</p>}
      {view.escalations.map((e) => (
        <p key={e} className="pc-escalation" role="note">
          <strong>Escalated.</strong> {e}
        </p>
      ))}
      {view.auto && <p className="pc-auto">{view.auto}</p>}
      {allPass ? (
        <details className="pc-folded">
          <summary>✓ All {view.items.length} automatic checks passed</summary>
          <List view={view} />
        </details>
      ) : (
        <List view={view} />
      )}
    </section>
  )
}

function List({ view }: { view: PreChecksView }) {
  return (
    <ul className="pc-list">
      {view.items.map((item) => (
        <li key={item.id} className={`pc-item pc-item-${item.status}`}>
          <div className="pc-head">
            <span className="pc-title">{item.title}</span>
            <span className={`pc-status pc-status-${item.status}`}>
              <span aria-hidden="true">{STATUS_MARK[item.status]} </span>
              {item.statusLabel}
            </span>
          </div>
          <p className="pc-detail">{item.detail}</p>
          {item.snippets.length > 0 && (
            <ul className="pc-snippets" aria-label={`Matches for ${item.title}`}>
              {item.snippets.map((s) => (
                <li key={s}>
                  <mark>{s}</mark>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  )
}
