import { memo, useId, useRef, useState } from 'react'
import type { ReviewAction } from '../../../shared/domain/actions.ts'
import type { Check } from '../../../shared/domain/derive.ts'
import type { ReviewState } from '../../../shared/domain/types.ts'
import { useFitToViewport } from '../ui/fit-to-viewport.ts'
import { ChecklistItem } from './ChecklistItem.tsx'
import { Decision } from './Decision.tsx'
import { PreChecks } from './PreChecks.tsx'
import type { ReviewView } from './review-model.ts'
import { approvalOutcome, VERDICT_LABEL } from './review-model.ts'
import { TypeAndRisk } from './TypeAndRisk.tsx'

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
  /** The output's id: the decision's typed words are kept under it while the person is elsewhere. */
  draftKey?: string
}

/**
 * `approved`: the text is read from the view at each render, so it never outlives the fact. An
 * `ok` message with `while` shows only while the output is in that state: "Submitted for review."
 * goes once a reviewer sends it back, instead of standing under the send-back.
 */
type Message =
  | { kind: 'ok'; text: string; while?: ReviewState }
  | { kind: 'error'; text: string }
  | { kind: 'approved' }
  | null

/** Where each decision leaves the output: its message stands while the output stays there. */
const LEAVES_IN: Partial<Record<ReviewAction['action'], ReviewState>> = {
  submit: 'in_review',
  request_changes: 'changes_requested',
  reject: 'rejected',
  reopen: 'draft',
  archive: 'archived',
}

/** The type's checklist beside the content, the approvals, and the decision buttons. */
/**
 * Rendered again only when its props change (the output view passes stable ones): switching
 * Source and Preview or selecting words re-rendered the whole checklist and decision.
 */
export const ReviewPanel = memo(ReviewPanelView)

function ReviewPanelView({
  view,
  onAct,
  reviewer,
  onAssign,
  threadReasons = [],
  pointAt = null,
  onPoint,
  draftKey,
}: Props) {
  const [message, setMessage] = useState<Message>(null)
  const panel = useRef<HTMLElement>(null)
  useFitToViewport(panel)
  // One decision at a time: a double-click on Approve approves once, instead of answering the
  // second click with "It is already approved" over the first one's outcome.
  const acting = useRef(false)
  const run = async (action: ReviewAction, done: string): Promise<boolean> => {
    if (acting.current) return false
    acting.current = true
    let result: Awaited<ReturnType<typeof onAct>>
    try {
      result = await onAct(action)
    } finally {
      acting.current = false
    }
    setMessage(
      !result.ok
        ? { kind: 'error', text: result.reason }
        : action.action === 'approve'
          ? { kind: 'approved' }
          : { kind: 'ok', text: done, while: LEAVES_IN[action.action] },
    )
    return result.ok
  }
  const shown =
    message?.kind === 'approved'
      ? { kind: 'ok' as const, text: approvalOutcome(view) }
      : message?.kind === 'ok' && message.while !== undefined && message.while !== view.state
        ? null
        : message
  return (
    <aside ref={panel} className="ov-panel" aria-labelledby="ov-review-heading">
      <h2 id="ov-review-heading">Review</h2>
      <section className="ov-standard" aria-label="Review standard">
        <p>
          <TypeAndRisk view={view} />
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
              r.ok
                ? { kind: 'ok', text: `${name} now reviews it.`, while: 'in_review' }
                : { kind: 'error', text: r.reason },
            )
          }}
        />
      )}

      <Decision view={view} run={run} threadReasons={threadReasons} draftKey={draftKey}>
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
