/** One checklist item of the review panel: its standard, its verdicts so far, and judging it by keyboard. */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import type { Verdict } from '../../../shared/domain/trail.ts'
import type { ItemView } from './review-model.ts'
import { VERDICT_LABEL } from './review-model.ts'

export function ChecklistItem({
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
        {item.carried && <p className="ov-carried">{item.carried}</p>}
        {item.outdated && <p className="ov-outdated">{item.outdated}</p>}
        {item.earlier && <p className="ov-earlier">{item.earlier}</p>}
        {item.notCarried && <p className="ov-not-carried">{item.notCarried}</p>}
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
        {changed && !needsNote && (
          // A radio that shows a choice reads as a judgement made: say that it is not one yet.
          <p id={`${id}-unsaved`} className="ov-why">
            {VERDICT_LABEL[verdict]} chosen, not saved yet: Save judgement records it.
          </p>
        )}
        <button
          type="button"
          aria-label={`Save judgement on ${item.title}`}
          aria-describedby={changed && !needsNote ? `${id}-unsaved` : undefined}
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
