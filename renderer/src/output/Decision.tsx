/** The review panel's decision: the fields for what this person may decide, and the sticky bar. */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react'
import type { ReviewAction } from '../../../shared/domain/actions.ts'
import { useDraft } from './drafts.ts'
import type { ActionView, ReviewView } from './review-model.ts'

/**
 * The decision: sticky at the bottom of the review panel (and of the window when the panel is not
 * beside the content), so it is always in reach; each refused action says why in one sentence.
 */
export function Decision({
  view,
  run,
  threadReasons,
  draftKey,
  children,
}: {
  view: ReviewView
  /** The output's id: what is typed here is kept under it while the person is elsewhere. */
  draftKey?: string
  run: (a: ReviewAction, done: string) => Promise<boolean>
  threadReasons: readonly string[]
  children?: ReactNode
}) {
  const decisionBar = useRef<HTMLElement>(null)
  useNoticesAbove(decisionBar)
  // What the person typed here waits for them while they look elsewhere (drafts.ts).
  const draft = (field: string) => (draftKey ? `${draftKey}:${field}` : undefined)
  const [approveNote, setApproveNote] = useDraft(draft('approve-note'))
  const [ownChanges, setOwnChanges] = useDraft(draft('changes'))
  const [changes, setChanges] = useState(ownChanges || view.decisionReasons.join('\n'))
  const [changesEdited, setChangesEdited] = useState(ownChanges !== '')
  const [rejectReason, setRejectReason] = useDraft(draft('reject-reason'))
  const suggested = view.decisionReasons.join('\n')
  // Keep the pre-filled reasons in step with the checklist until the reviewer writes their own.
  useEffect(() => {
    if (!changesEdited) setChanges(suggested)
  }, [suggested, changesEdited])

  const a = view.actions
  const sendBack = view.decision === 'request_changes' && a.request_changes.enabled
  // A decision refused for want of a reason puts the focus where the reason goes: the field sits
  // above the bar, often scrolled out of view, and the keyboard was on the button.
  const changesField = useRef<HTMLTextAreaElement>(null)
  const rejectField = useRef<HTMLInputElement>(null)
  const toField = (field: HTMLElement | null) => {
    field?.scrollIntoView({ block: 'center' })
    field?.focus()
  }
  // Fields only for what this person may do now, above the bar; the bar keeps the four decisions
  // (each refused one with its reason) on screen.
  const addThreads = () => {
    const have = changes.split('\n').map((l) => l.trim())
    const add = threadReasons.filter((r) => !have.includes(r))
    const next = [...have.filter(Boolean), ...add].join('\n')
    setChanges(next)
    setOwnChanges(next)
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
        const none = changes.split('\n').every((line) => !line.trim())
        void run(
          { action: 'request_changes', reasons: changes.split('\n') },
          'Sent back with your reasons.',
        ).then((ok) => {
          if (ok) {
            setChangesEdited(false)
            setOwnChanges('')
          } else if (none) toField(changesField.current)
        })
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
              ref={changesField}
              rows={2}
              value={changes}
              onChange={(e) => {
                setChanges(e.target.value)
                setOwnChanges(e.target.value)
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
            <input ref={rejectField} value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} />
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
      <section className="ov-decision" aria-label="Decide" ref={decisionBar}>
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
              void run({ action: 'reject', reason: rejectReason }, 'Rejected.').then((ok) => {
                if (ok) setRejectReason('')
                else if (!rejectReason.trim()) toField(rejectField.current)
              })
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

/**
 * How much of the window's bottom the bar takes, as `--decision-height` on the document: in a
 * narrow window the bar sticks to the window's bottom, and notices (Notices.tsx) stand on it
 * instead of covering its buttons. Measured from the bar's top to the window's bottom (its box
 * reaches past the window's edge by its negative margin), at most half the window, 0 when the bar
 * is below the window.
 */
function useNoticesAbove(bar: { current: HTMLElement | null }): void {
  useEffect(() => {
    const el = bar.current
    if (!el) return
    const root = document.documentElement
    let frame = 0
    const measure = () => {
      frame = 0
      const taken = Math.min(
        Math.max(window.innerHeight - el.getBoundingClientRect().top, 0),
        window.innerHeight / 2,
      )
      root.style.setProperty('--decision-height', `${Math.round(taken)}px`)
    }
    const later = () => {
      if (frame === 0) frame = requestAnimationFrame(measure)
    }
    measure()
    const observer = new ResizeObserver(later)
    observer.observe(el)
    window.addEventListener('scroll', later, { passive: true, capture: true })
    window.addEventListener('resize', later)
    return () => {
      observer.disconnect()
      window.removeEventListener('scroll', later, { capture: true })
      window.removeEventListener('resize', later)
      if (frame !== 0) cancelAnimationFrame(frame)
      root.style.removeProperty('--decision-height')
    }
  }, [bar])
}
