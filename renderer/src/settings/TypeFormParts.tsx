/** The checklist and approval parts of the output type form. */
import type { ChangeEvent } from 'react'
import { CARRY_OVER_LABEL } from '../../../shared/domain/policy-carry-over.ts'
import { CARRY_OVER, ROLES } from '../../../shared/domain/types.ts'
import { ROLE_LABEL } from './members.ts'
import type { TypeDraft, TypeEdit, TypeErrors } from './type-form.ts'

interface PartProps {
  draft: TypeDraft
  dispatch: (edit: TypeEdit) => void
  fields: FieldErrors
}

/**
 * `err(key)`: the attributes that tie a field to its label (the element with id `labelId(key)`)
 * and to its message; `msg(key)`: the message, if any. The message sits inside the field's
 * <label>, so without `aria-labelledby` it would be read as part of the field's name ("Name Give
 * the type a name."), and again as its description.
 */
export function fieldErrors(base: string, errors: TypeErrors) {
  const id = (key: string) => `${base}-${key.replaceAll('.', '-')}`
  const labelId = (key: string) => `${id(key)}-label`
  return {
    errors,
    labelId,
    err: (key: string) => ({
      'aria-labelledby': labelId(key),
      ...(errors[key] ? { 'aria-invalid': true as const, 'aria-describedby': id(key) } : {}),
    }),
    msg: (key: string) =>
      errors[key] ? (
        <span id={id(key)} className="st-error">
          {errors[key]}
        </span>
      ) : null,
  }
}
export type FieldErrors = ReturnType<typeof fieldErrors>

/**
 * A labelled text field of the type form: one line, or a textarea of `rows` lines. With `errorKey`,
 * the field is tied to its message in `fields`, shown under it.
 */
export function TextField(p: {
  label: string
  value: string
  onChange: (value: string) => void
  rows?: number
  errorKey?: string
  fields?: FieldErrors
  /** Marks a checklist item's title, which the form focuses when an item is added. */
  'data-item-title'?: string
}) {
  const control = {
    value: p.value,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => p.onChange(e.target.value),
    ...(p.errorKey ? p.fields?.err(p.errorKey) : {}),
  }
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the textarea or the input below
    <label className="st-field">
      <span id={p.errorKey && p.fields ? p.fields.labelId(p.errorKey) : undefined}>{p.label}</span>
      {p.rows ? (
        <textarea rows={p.rows} {...control} />
      ) : (
        <input data-item-title={p['data-item-title']} {...control} />
      )}
      {p.errorKey && p.fields?.msg(p.errorKey)}
    </label>
  )
}

export function ChecklistEditor({ draft, dispatch, fields }: PartProps) {
  return (
    <fieldset className="st-group">
      <legend>Checklist</legend>
      {draft.checklist.length === 0 && <p className="st-note">No items yet.</p>}
      <ol className="st-items">
        {draft.checklist.map((item, i) => {
          const name = item.title.trim() || `item ${i + 1}`
          // One of the item's text fields, bound to its key and to its message (guidance has none).
          const text = (key: 'title' | 'question' | 'guidance') => ({
            value: item[key],
            onChange: (value: string) => dispatch({ kind: 'item', index: i, patch: { [key]: value } }),
            errorKey: `item.${i}.${key}`,
            fields,
          })
          return (
            <li key={item.id}>
              <fieldset className="st-item">
                <legend>{`Item ${i + 1}`}</legend>
                <TextField label="Title" data-item-title="" {...text('title')} />
                <TextField label="Question the reviewer answers" rows={2} {...text('question')} />
                <TextField label="Good enough means" rows={2} {...text('guidance')} />
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
  )
}

export function ApprovalSettings({
  draft,
  dispatch,
  fields: { err, msg, errors, labelId },
  base,
}: PartProps & { base: string }) {
  return (
    <fieldset className="st-group">
      <legend>Approval</legend>
      <label className="st-field st-narrow">
        <span id={labelId('approvalsRequired')}>Approvals required (1–10)</span>
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
      <label className="st-field">
        <span>Verdicts that carry over when an output comes back for another round</span>
        <select
          value={draft.carryOver}
          aria-describedby={`${base}-carry-note`}
          onChange={(e) => {
            const value = CARRY_OVER.find((c) => c === e.target.value)
            if (value) dispatch({ kind: 'carryOver', value })
          }}
        >
          {CARRY_OVER.map((c) => (
            <option key={c} value={c}>
              {CARRY_OVER_LABEL[c]}
            </option>
          ))}
        </select>
        <span id={`${base}-carry-note`} className="st-note">
          A carried verdict is shown as “Carried over from round N” and stands until a reviewer judges the
          item again; a failed item is always judged again.
        </span>
      </label>
      <label className="st-field st-narrow">
        <span id={labelId('reviewSlaHours')}>Review SLA (hours)</span>
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
  )
}
