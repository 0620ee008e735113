import { useEffect, useId, useReducer, useRef, useState } from 'react'
import { saveOutputType } from '../../../shared/domain/policy-actions.ts'
import type { Member } from '../../../shared/domain/types.ts'
import { RISK_TIERS, ROLES } from '../../../shared/domain/types.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { RoutingSettings } from '../routing/RoutingSettings.tsx'
import { RISK_LABEL } from '../ui/labels.ts'
import { ROLE_LABEL } from './members.ts'
import { PreCheckSettings } from './PreCheckSettings.tsx'
import { editType, type TypeDraft, type TypeErrors, validateType } from './type-form.ts'

interface Props {
  session: WorkspaceSession
  initial: TypeDraft
  otherNames: string[]
  members: Member[]
  readOnly: boolean
  /** A type just created is shown in a fresh form: this carries its "saved" message over. */
  saved?: SaveResult | null
  onSaved: (id: string, result: SaveResult) => void
}

export interface SaveResult {
  text: string
  warnings: string[]
}

/** Edit one output type: what it is for, its risk, its checklist and its approval policy. */
export function TypeForm({ session, initial, otherNames, members, readOnly, saved = null, onSaved }: Props) {
  const [draft, dispatch] = useReducer(editType, initial)
  const [errors, setErrors] = useState<TypeErrors>({})
  const [result, setResult] = useState<SaveResult | null>(saved)
  const base = useId()
  const itemCount = useRef(draft.checklist.length)
  const form = useRef<HTMLFormElement>(null)

  // Put the cursor in a newly added item's title.
  useEffect(() => {
    if (draft.checklist.length > itemCount.current) {
      const inputs = form.current?.querySelectorAll<HTMLInputElement>('input[data-item-title]')
      inputs?.[inputs.length - 1]?.focus()
    }
    itemCount.current = draft.checklist.length
  }, [draft.checklist.length])

  const err = (key: string) =>
    errors[key]
      ? { 'aria-invalid': true as const, 'aria-describedby': `${base}-${key.replaceAll('.', '-')}` }
      : {}
  const msg = (key: string) =>
    errors[key] ? (
      <span id={`${base}-${key.replaceAll('.', '-')}`} className="st-error">
        {errors[key]}
      </span>
    ) : null

  const save = () => {
    const v = validateType(draft, otherNames, members)
    if (!v.ok) {
      setErrors(v.errors)
      setResult(null)
      // Move to the first field that needs attention.
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus())
      return
    }
    setErrors({})
    // A new version of the type's rules: rounds already submitted keep the rules they follow.
    const saved = saveOutputType(session.workspace, session.memberId, v.type)
    if (!saved.ok) {
      setResult({ text: saved.reason, warnings: [] })
      return
    }
    const done = { text: `Saved “${v.type.name}”.`, warnings: v.warnings }
    setResult(done)
    if (!draft.id) onSaved(v.type.id, done)
  }

  const errorCount = Object.keys(errors).length
  return (
    <form
      ref={form}
      className="st-form"
      // Our own messages, inline and in words, instead of the browser's bubbles.
      noValidate
      aria-labelledby={`${base}-heading`}
      onSubmit={(e) => {
        e.preventDefault()
        save()
      }}
    >
      <h2 id={`${base}-heading`}>{draft.id ? `Edit “${initial.name}”` : 'New output type'}</h2>
      <fieldset disabled={readOnly} className="st-plain">
        <label className="st-field">
          <span>Name</span>
          <input
            value={draft.name}
            onChange={(e) => dispatch({ kind: 'field', field: 'name', value: e.target.value })}
            {...err('name')}
          />
          {msg('name')}
        </label>
        <label className="st-field">
          <span>What it is for</span>
          <textarea
            rows={2}
            value={draft.description}
            onChange={(e) => dispatch({ kind: 'field', field: 'description', value: e.target.value })}
          />
        </label>
        <fieldset className="st-group">
          <legend>Risk</legend>
          <div className="st-row">
            {RISK_TIERS.map((r) => (
              <label key={r} className={`st-choice st-risk st-risk-${r}`}>
                <input
                  type="radio"
                  name={`${base}-risk`}
                  checked={draft.risk === r}
                  onChange={() => dispatch({ kind: 'risk', value: r })}
                />
                {RISK_LABEL[r]}
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="st-group">
          <legend>Checklist</legend>
          {draft.checklist.length === 0 && <p className="st-note">No items yet.</p>}
          <ol className="st-items">
            {draft.checklist.map((item, i) => {
              const name = item.title.trim() || `item ${i + 1}`
              return (
                <li key={item.id}>
                  <fieldset className="st-item">
                    <legend>{`Item ${i + 1}`}</legend>
                    <label className="st-field">
                      <span>Title</span>
                      <input
                        data-item-title=""
                        value={item.title}
                        onChange={(e) =>
                          dispatch({ kind: 'item', index: i, patch: { title: e.target.value } })
                        }
                        {...err(`item.${i}.title`)}
                      />
                      {msg(`item.${i}.title`)}
                    </label>
                    <label className="st-field">
                      <span>Question the reviewer answers</span>
                      <textarea
                        rows={2}
                        value={item.question}
                        onChange={(e) =>
                          dispatch({ kind: 'item', index: i, patch: { question: e.target.value } })
                        }
                        {...err(`item.${i}.question`)}
                      />
                      {msg(`item.${i}.question`)}
                    </label>
                    <label className="st-field">
                      <span>Good enough means</span>
                      <textarea
                        rows={2}
                        value={item.guidance}
                        onChange={(e) =>
                          dispatch({ kind: 'item', index: i, patch: { guidance: e.target.value } })
                        }
                      />
                    </label>
                    <label className="st-field">
                      <span>If it fails</span>
                      <select
                        value={item.severity}
                        onChange={(e) =>
                          dispatch({
                            kind: 'item',
                            index: i,
                            patch: { severity: e.target.value === 'warning' ? 'warning' : 'send-back' },
                          })
                        }
                      >
                        <option value="send-back">It goes back to the author</option>
                        <option value="warning">It is noted as a warning only</option>
                      </select>
                    </label>
                    <div className="st-row">
                      <button
                        type="button"
                        aria-label={`Move up: ${name}`}
                        disabled={i === 0}
                        onClick={() => dispatch({ kind: 'moveItem', index: i, by: -1 })}
                      >
                        Move up
                      </button>
                      <button
                        type="button"
                        aria-label={`Move down: ${name}`}
                        disabled={i === draft.checklist.length - 1}
                        onClick={() => dispatch({ kind: 'moveItem', index: i, by: 1 })}
                      >
                        Move down
                      </button>
                      <button
                        type="button"
                        aria-label={`Remove: ${name}`}
                        onClick={() => dispatch({ kind: 'removeItem', index: i })}
                      >
                        Remove
                      </button>
                    </div>
                  </fieldset>
                </li>
              )
            })}
          </ol>
          <button type="button" onClick={() => dispatch({ kind: 'addItem' })}>
            Add checklist item
          </button>
        </fieldset>

        <PreCheckSettings
          draft={draft}
          types={session.workspace.types.all()}
          errors={errors}
          dispatch={dispatch}
        />

        <RoutingSettings draft={draft} members={members} errors={errors} dispatch={dispatch} />

        <fieldset className="st-group">
          <legend>Approval</legend>
          <label className="st-field st-narrow">
            <span>Approvals required (1–10)</span>
            <input
              type="number"
              min={1}
              max={10}
              step={1}
              value={draft.approvalsRequired}
              onChange={(e) => dispatch({ kind: 'field', field: 'approvalsRequired', value: e.target.value })}
              {...err('approvalsRequired')}
            />
            {msg('approvalsRequired')}
          </label>
          <fieldset
            className="st-group st-inner"
            aria-invalid={errors.approverRoles ? true : undefined}
            aria-describedby={errors.approverRoles ? `${base}-approverRoles` : undefined}
          >
            <legend>Roles that may approve</legend>
            <div className="st-row">
              {ROLES.map((role) => (
                <label key={role} className="st-choice">
                  <input
                    type="checkbox"
                    checked={draft.approverRoles.includes(role)}
                    onChange={() => dispatch({ kind: 'toggleRole', role })}
                    {...(errors.approverRoles ? { 'aria-invalid': true } : {})}
                  />
                  {ROLE_LABEL[role]}
                </label>
              ))}
            </div>
            {msg('approverRoles')}
          </fieldset>
          <label className="st-choice">
            <input
              type="checkbox"
              checked={draft.allowSelfApproval}
              onChange={(e) => dispatch({ kind: 'selfApproval', value: e.target.checked })}
            />
            Allow self-approval (the author may review and approve their own output)
          </label>
          <label className="st-field st-narrow">
            <span>Review SLA (hours)</span>
            <input
              type="number"
              min={1}
              step="any"
              value={draft.reviewSlaHours}
              onChange={(e) => dispatch({ kind: 'field', field: 'reviewSlaHours', value: e.target.value })}
              {...err('reviewSlaHours')}
            />
            {msg('reviewSlaHours')}
          </label>
        </fieldset>

        {errorCount > 0 && (
          <p role="alert" className="st-error st-summary">
            {errorCount === 1 ? 'One thing needs fixing' : `${errorCount} things need fixing`} before saving.
          </p>
        )}
        {result && (
          <div role="status" className="st-ok">
            <p>{result.text}</p>
            {result.warnings.map((w) => (
              <p key={w} className="st-warning">
                {w}
              </p>
            ))}
          </div>
        )}
        <div className="st-row">
          <button type="submit" className="st-primary">
            {draft.id ? 'Save type' : 'Create type'}
          </button>
          <button
            type="button"
            onClick={() => {
              dispatch({ kind: 'load', draft: initial })
              setErrors({})
              setResult(null)
            }}
          >
            Discard changes
          </button>
        </div>
      </fieldset>
    </form>
  )
}
