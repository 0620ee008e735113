import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import type { ReviewAction } from '../../../shared/domain/actions.ts'
import type { Check } from '../../../shared/domain/derive.ts'
import type { Verdict } from '../../../shared/domain/trail.ts'
import { PreChecks } from './PreChecks.tsx'
import type { ActionView, ItemView, ReviewView } from './review-model.ts'
import { approvalOutcome, VERDICT_LABEL } from './review-model.ts'

export interface ReviewerView {
  inReview: boolean
  /** The current round's reviewer's name, or null. */
  current: string | null
  currentId: string | null
  /** May this member reassign, and to whom. */
  allowed: Check
  candidates: { id: string; name: string }[]
}

interface Props {
  view: ReviewView
  /** Performed by the host, which signs (data/host-commands.ts): the outcome comes back. */
  onAct: (action: ReviewAction) => Promise<Check>
  reviewer?: ReviewerView
  onAssign?: (memberId: string) => Promise<Check>
  /** The open comment threads, as reasons "request changes" can carry. */
  threadReasons?: readonly string[]
  /** The words selected in the content, and how to comment on them (a failed item's note). */
  pointAt?: string | null
  onPoint?: (body: string) => Promise<Check>
}

/** `approved`: the text is read from the view at each render, so it never outlives the fact. */
type Message = { kind: 'ok' | 'error'; text: string } | { kind: 'approved' } | null

/** The type's checklist beside the content, the approvals, and the decision buttons. */
export function ReviewPanel({
  view,
  onAct,
  reviewer,
  onAssign,
  threadReasons = [],
  pointAt = null,
  onPoint,
}: Props) {
  const [message, setMessage] = useState<Message>(null)
  const run = async (action: ReviewAction, done: string): Promise<boolean> => {
    const result = await onAct(action)
    setMessage(
      !result.ok
        ? { kind: 'error', text: result.reason }
        : action.action === 'approve'
          ? { kind: 'approved' }
          : { kind: 'ok', text: done },
    )
    return result.ok
  }
  const shown = message?.kind === 'approved' ? { kind: 'ok' as const, text: approvalOutcome(view) } : message
  return (
    <aside className="ov-panel" aria-labelledby="ov-review-heading">
      <h2 id="ov-review-heading">Review</h2>
      <section className="ov-standard" aria-label="Review standard">
        <p>
          <span className="ov-type">{view.typeName}</span>{' '}
          <span className={`ov-risk ov-risk-${view.risk ?? 'unknown'}`}>{view.riskLabel}</span>
        </p>
        <p>
          <strong>What it is for:</strong> {view.typeDescription || 'No description yet.'}
        </p>
      </section>

      {view.preChecks && <PreChecks view={view.preChecks} />}

      <section aria-labelledby="ov-checklist-heading">
        <h3 id="ov-checklist-heading">Checklist</h3>
        <p className="ov-progress">{view.progress}</p>
        {!view.canJudge && <p className="ov-why">{view.judgeReason}</p>}
        {view.items.length === 0 ? (
          <p>This type has no checklist items.</p>
        ) : (
          <>
            {view.canJudge && (
              <p className="ov-keys" id="ov-checklist-keys">
                Keys on an item: J next, K previous, P pass, F fail (then say why), N not applicable.
              </p>
            )}
            <ol className="ov-checklist">
              {view.items.map((item) => (
                <ChecklistItem
                  key={item.id}
                  item={item}
                  enabled={view.canJudge}
                  pointAt={pointAt}
                  onJudge={async (verdict, note, point) => {
                    const ok = await run(
                      { action: 'judge', itemId: item.id, verdict, note },
                      `Recorded: ${item.title}, ${VERDICT_LABEL[verdict]}.`,
                    )
                    // The failure's note as a comment on the words that made it fail.
                    if (ok && point && verdict === 'fail' && onPoint) {
                      const r = await onPoint(`${item.title} fails: ${note.trim()}`)
                      if (!r.ok) setMessage({ kind: 'error', text: r.reason })
                    }
                    return ok
                  }}
                />
              ))}
            </ol>
          </>
        )}
      </section>

      <section aria-labelledby="ov-approvals-heading">
        <h3 id="ov-approvals-heading">Approvals</h3>
        <p>
          {view.approvals.summary}
          {view.approvals.by.length > 0 && `: ${view.approvals.by.join(', ')}`}
        </p>
        {view.approvals.stale.length > 0 && (
          <ul className="ov-stale">
            {view.approvals.stale.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        )}
      </section>

      {reviewer?.inReview && (
        <Reviewer
          reviewer={reviewer}
          onAssign={async (id, name) => {
            const r = (await onAssign?.(id)) ?? {
              ok: false as const,
              reason: 'Reassigning is not available here.',
            }
            setMessage(
              r.ok ? { kind: 'ok', text: `${name} now reviews it.` } : { kind: 'error', text: r.reason },
            )
          }}
        />
      )}

      <Decision view={view} run={run} threadReasons={threadReasons}>
        {shown && (
          <p
            role={shown.kind === 'error' ? 'alert' : 'status'}
            className={`ov-message ov-message-${shown.kind}`}
          >
            {shown.text}
          </p>
        )}
      </Decision>

      {view.problems.length > 0 && (
        <section aria-labelledby="ov-problems-heading">
          <h3 id="ov-problems-heading">Not counted</h3>
          <ul className="ov-problems">
            {view.problems.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id of their own; the list is rebuilt whole
              <li key={i}>{p}</li>
            ))}
          </ul>
        </section>
      )}
    </aside>
  )
}

function ChecklistItem({
  item,
  enabled,
  onJudge,
  pointAt,
}: {
  item: ItemView
  enabled: boolean
  onJudge: (verdict: Verdict, note: string, point: boolean) => Promise<boolean>
  /** The words selected in the content, which a failure's note can point at. */
  pointAt: string | null
}) {
  const [point, setPoint] = useState(true)
  const id = useId()
  const row = useRef<HTMLLIElement>(null)
  const [verdict, setVerdict] = useState<Verdict | null>(item.judgement?.verdict ?? null)
  const [note, setNote] = useState(item.judgement?.note ?? '')
  const recorded = item.judgement
  // A new judgement (here or from another reviewer) or a new version resets the drafts.
  useEffect(() => {
    setVerdict(recorded?.verdict ?? null)
    setNote(recorded?.note ?? '')
  }, [recorded?.verdict, recorded?.note])

  // Choosing only drafts the verdict; Save records it. Arrow keys move through a radio group and
  // change the selection as they go, so recording on change would write a judgement per keypress.
  const needsNote = verdict === 'fail' && !note.trim()
  const guidance = /^good enough/i.test(item.guidance) ? item.guidance : `Good enough: ${item.guidance}`
  const changed =
    verdict !== null && (verdict !== recorded?.verdict || note.trim() !== (recorded?.note ?? ''))
  const noteField = useRef<HTMLTextAreaElement>(null)
  // The checklist by keyboard: J/K move between items, P/N record pass/n.a. at once, F drafts a
  // fail and goes to the note (a fail needs one). Typing in a field is never taken as a key.
  const onKey = (e: KeyboardEvent<HTMLLIElement>) => {
    const t = e.target as HTMLElement
    if (!enabled || e.ctrlKey || e.metaKey || e.altKey || t.tagName === 'TEXTAREA') return
    if (t.tagName === 'INPUT' && (t as HTMLInputElement).type !== 'radio') return
    const key = e.key.toLowerCase()
    if (key === 'j' || key === 'k') {
      e.preventDefault()
      const to = key === 'j' ? row.current?.nextElementSibling : row.current?.previousElementSibling
      focusItem(to ?? null)
    } else if (key === 'p' || key === 'n') {
      e.preventDefault()
      const v: Verdict = key === 'p' ? 'pass' : 'na'
      setVerdict(v)
      if (recorded?.verdict === v && recorded.note === note.trim())
        focusItem(row.current?.nextElementSibling ?? null)
      else
        void onJudge(v, note, false).then(
          (ok) => ok && requestAnimationFrame(() => focusAfterJudging(row.current)),
        )
    } else if (key === 'f') {
      e.preventDefault()
      setVerdict('fail')
      noteField.current?.focus()
    }
  }
  return (
    <li
      ref={row}
      className={`ov-item ov-item-${item.judgement?.verdict ?? 'open'}`}
      onKeyDown={onKey}
      aria-keyshortcuts={enabled ? 'J K P F N' : undefined}
    >
      <fieldset disabled={!enabled}>
        <legend>{item.title}</legend>
        <span className={`ov-severity ov-severity-${item.severity}`}>{item.severityLabel}</span>
        <p className="ov-question">{item.question}</p>
        {item.guidance && <p className="ov-guidance">{guidance}</p>}
        <p className="ov-judgement">{recorded ? recorded.text : 'Not judged on this version yet.'}</p>
        {item.outdated && <p className="ov-outdated">{item.outdated}</p>}
        {item.earlier && <p className="ov-earlier">{item.earlier}</p>}
        <div className="ov-verdicts">
          {(['pass', 'fail', 'na'] as const).map((v) => (
            <label key={v} className={`ov-verdict ov-verdict-${v}`}>
              <input
                type="radio"
                name={`${id}-verdict`}
                value={v}
                checked={verdict === v}
                onChange={() => setVerdict(v)}
              />
              {VERDICT_LABEL[v]}
            </label>
          ))}
        </div>
        <label className="ov-field">
          <span>Note{verdict === 'fail' ? ' (required for a fail)' : ''}</span>
          <textarea
            ref={noteField}
            rows={1}
            value={note}
            aria-label={`Note on ${item.title}`}
            aria-describedby={needsNote ? `${id}-hint` : undefined}
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={(e) => {
              // Ctrl+Enter saves from the note, so a fail can be recorded without the mouse.
              if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || !verdict || !changed || needsNote) return
              e.preventDefault()
              void onJudge(verdict, note, point && !!pointAt).then(
                (ok) => ok && requestAnimationFrame(() => focusAfterJudging(row.current)),
              )
            }}
          />
        </label>
        {verdict === 'fail' && pointAt && (
          <label className="ov-pick">
            <input type="checkbox" checked={point} onChange={(e) => setPoint(e.target.checked)} /> Point at
            the selected words: “{pointAt.length > 40 ? `${pointAt.slice(0, 39)}…` : pointAt}”
          </label>
        )}
        {needsNote && (
          <p id={`${id}-hint`} className="ov-why">
            Say why it fails, then save.
          </p>
        )}
        <button
          type="button"
          aria-label={`Save judgement on ${item.title}`}
          disabled={!changed || needsNote}
          onClick={() => {
            // Saved, the button turns disabled and would drop focus to <body>: go on to the next item.
            if (verdict)
              void onJudge(verdict, note, point && !!pointAt).then(
                (ok) => ok && requestAnimationFrame(() => focusAfterJudging(row.current)),
              )
          }}
        >
          Save judgement
        </button>
      </fieldset>
    </li>
  )
}

/** Focus a checklist row's chosen verdict, or its first. */
function focusItem(row: Element | null): boolean {
  const radio =
    row?.querySelector<HTMLInputElement>('input[type="radio"]:checked:not(:disabled)') ??
    row?.querySelector<HTMLInputElement>('input[type="radio"]:not(:disabled)')
  radio?.focus()
  return !!radio
}

/**
 * After a judgement is saved: the next checklist item's verdict (its chosen one, or its first),
 * or after the last item the first decision this person can take.
 */
function focusAfterJudging(row: HTMLLIElement | null): void {
  if (!row?.isConnected) return
  if (focusItem(row.nextElementSibling)) return
  const panel = row.closest('.ov-panel')
  const decision =
    panel?.querySelector<HTMLElement>('.ov-decision button.ov-primary') ??
    panel?.querySelector<HTMLElement>('.ov-decision button:not([aria-disabled="true"])') ??
    panel?.querySelector<HTMLElement>('#ov-decision-heading')
  if (decision) {
    if (decision.tagName === 'H3') decision.setAttribute('tabindex', '-1')
    decision.focus()
  }
}

/**
 * The decision: sticky at the bottom of the review panel (and of the window when the panel is not
 * beside the content), so it is always in reach; each refused action says why in one sentence.
 */
function Decision({
  view,
  run,
  threadReasons,
  children,
}: {
  view: ReviewView
  run: (a: ReviewAction, done: string) => Promise<boolean>
  threadReasons: readonly string[]
  children?: ReactNode
}) {
  const [approveNote, setApproveNote] = useState('')
  const [changes, setChanges] = useState(view.decisionReasons.join('\n'))
  const [changesEdited, setChangesEdited] = useState(false)
  const [rejectReason, setRejectReason] = useState('')
  const suggested = view.decisionReasons.join('\n')
  // Keep the pre-filled reasons in step with the checklist until the reviewer writes their own.
  useEffect(() => {
    if (!changesEdited) setChanges(suggested)
  }, [suggested, changesEdited])

  const a = view.actions
  const sendBack = view.decision === 'request_changes' && a.request_changes.enabled
  // Fields only for what this person may do now, above the bar; the bar keeps the four decisions
  // (each refused one with its reason) on screen.
  const addThreads = () => {
    const have = changes.split('\n').map((l) => l.trim())
    const add = threadReasons.filter((r) => !have.includes(r))
    setChanges([...have.filter(Boolean), ...add].join('\n'))
    setChangesEdited(true)
  }
  const approveButton = (
    <ActionButton
      key="approve"
      view={a.approve}
      primary={!sendBack}
      onRun={() =>
        void run({ action: 'approve', note: approveNote }, 'Approved.').then((ok) => ok && setApproveNote(''))
      }
    />
  )
  const changesButton = (
    <ActionButton
      key="changes"
      view={a.request_changes}
      primary={sendBack}
      onRun={() => {
        void run(
          { action: 'request_changes', reasons: changes.split('\n') },
          'Sent back with your reasons.',
        ).then((ok) => ok && setChangesEdited(false))
      }}
    />
  )
  return (
    <>
      <section aria-labelledby="ov-decision-heading" className="ov-decision-fields">
        <h3 id="ov-decision-heading">Decision</h3>
        {sendBack && (
          <p className="ov-sendback">A failed item sends it back: request changes with these reasons.</p>
        )}
        {a.request_changes.enabled && (
          <label className="ov-field">
            <span>What needs to change (one reason per line)</span>
            <textarea
              rows={2}
              value={changes}
              onChange={(e) => {
                setChanges(e.target.value)
                setChangesEdited(true)
              }}
            />
          </label>
        )}
        {a.request_changes.enabled && threadReasons.length > 0 && (
          <button type="button" onClick={addThreads}>
            Add the open comments as reasons ({threadReasons.length})
          </button>
        )}
        {a.approve.enabled && (
          <label className="ov-field">
            <span>Approval note (optional)</span>
            <input value={approveNote} onChange={(e) => setApproveNote(e.target.value)} />
          </label>
        )}
        {a.reject.enabled && (
          <label className="ov-field">
            <span>Reason for rejecting</span>
            <input value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} />
          </label>
        )}
        <ActionButton
          view={a.reopen}
          primary={false}
          onRun={() => void run({ action: 'reopen' }, 'Reopened as a draft.')}
        />
        <ActionButton
          view={a.archive}
          primary={false}
          onRun={() => void run({ action: 'archive' }, 'Archived.')}
        />
      </section>
      <section className="ov-decision" aria-label="Decide">
        <div className="ov-decision-actions">
          <ActionButton
            view={a.submit}
            primary={false}
            onRun={() => void run({ action: 'submit' }, 'Submitted for review.')}
          />
          {sendBack ? [changesButton, approveButton] : [approveButton, changesButton]}
          <ActionButton
            view={a.reject}
            primary={false}
            onRun={() =>
              void run({ action: 'reject', reason: rejectReason }, 'Rejected.').then(
                (ok) => ok && setRejectReason(''),
              )
            }
          />
        </div>
        {children}
      </section>
    </>
  )
}

/**
 * A decision button. When the rules refuse, it stays focusable (aria-disabled) and the reason is
 * written next to it, not hidden in a tooltip.
 */
function ActionButton({ view, primary, onRun }: { view: ActionView; primary: boolean; onRun: () => void }) {
  const id = useId()
  return (
    <div className="ov-action">
      <button
        type="button"
        className={primary && view.enabled ? 'ov-primary' : undefined}
        aria-disabled={view.enabled ? undefined : true}
        aria-describedby={view.enabled ? undefined : id}
        onClick={() => {
          if (view.enabled) onRun()
        }}
      >
        {view.label}
      </button>
      {!view.enabled && (
        <span id={id} className="ov-why">
          {view.reason}
        </span>
      )}
    </div>
  )
}

/** Who reviews this round, and handing it to someone else by hand. */
function Reviewer({
  reviewer,
  onAssign,
}: {
  reviewer: ReviewerView
  onAssign: (memberId: string, name: string) => void
}) {
  const selectId = useId()
  const others = reviewer.candidates.filter((c) => c.id !== reviewer.currentId)
  const [choice, setChoice] = useState('')
  const picked = others.find((c) => c.id === choice) ?? others[0]
  return (
    <section aria-labelledby="ov-reviewer-heading">
      <h3 id="ov-reviewer-heading">Reviewer</h3>
      <p>{reviewer.current ? `${reviewer.current} reviews this round.` : 'Nobody is assigned this round.'}</p>
      {reviewer.allowed.ok ? (
        others.length > 0 ? (
          <div className="ov-reassign">
            <label htmlFor={selectId}>Hand it to</label>
            <select id={selectId} value={picked?.id ?? ''} onChange={(e) => setChoice(e.target.value)}>
              {others.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => picked && onAssign(picked.id, picked.name)}>
              Reassign
            </button>
          </div>
        ) : (
          <p className="ov-why">Nobody else may review it.</p>
        )
      ) : (
        <p className="ov-why">{reviewer.allowed.reason}</p>
      )}
    </section>
  )
}
