import { useEffect, useId, useReducer, useRef, useState } from 'react'
import { saveOutputType } from '../../../shared/domain/policy-actions.ts'
import type { Member } from '../../../shared/domain/types.ts'
import { RISK_TIERS } from '../../../shared/domain/types.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { RoutingSettings } from '../routing/RoutingSettings.tsx'
import { Kept } from '../state/kept.ts'
import { RISK_LABEL } from '../ui/labels.ts'
import { PreCheckSettings } from './PreCheckSettings.tsx'
import { SettingsForm } from './SettingsForm.tsx'
import { ApprovalSettings, ChecklistEditor, fieldErrors, TextField } from './TypeFormParts.tsx'
import {
  changedSince,
  draftOf,
  editType,
  mergeTypeEdit,
  type TypeDraft,
  type TypeErrors,
  validateType,
} from './type-form.ts'

interface Props {
  session: WorkspaceSession
  initial: TypeDraft
  otherNames: string[]
  members: Member[]
  readOnly: boolean
  /** A type just created is shown in a fresh form: this carries its "saved" message over. */
  saved?: SaveResult | null
  onSaved: (id: string, result: SaveResult) => void
  /**
   * Where the focus goes when the form appears because the person asked for it: into the name
   * (New output type), or to the save button (the type just created, whose Create button is gone).
   */
  focusOnOpen?: 'name' | 'save' | null
}

/** Unsaved type forms, and the type each was measured against, by workspace and type. */
const unsavedTypes = new Kept<{ draft: TypeDraft; opened: TypeDraft }>()

/** The key a type's unsaved form is kept under (a new type's: no type id). */
const unsavedKey = (workspaceId: string, typeId: string) => `${workspaceId}/${typeId || 'new'}`

/** Whether the form of this type holds edits not saved yet (the list of types marks it). */
export const hasUnsavedEdits = (workspaceId: string, typeId: string) =>
  unsavedTypes.has(unsavedKey(workspaceId, typeId))

export interface SaveResult {
  text: string
  warnings: string[]
}

/** Edit one output type: what it is for, its risk, its checklist and its approval policy. */
export function TypeForm({
  session,
  initial,
  otherNames,
  members,
  readOnly,
  saved = null,
  onSaved,
  focusOnOpen = null,
}: Props) {
  // Edits left unsaved here earlier (another type chosen, Settings left) come back as they were.
  const keyOf = unsavedKey(session.entry.id, initial.id)
  const [kept] = useState(() => unsavedTypes.get(keyOf))
  const [draft, dispatch] = useReducer(editType, kept?.draft ?? initial)
  // The type as this form opened it (or last saved it): what "changed" means on both sides.
  const opened = useRef(kept?.opened ?? initial)
  const live = draft.id ? session.workspace.types.get(draft.id) : undefined
  const changed = draft.id ? changedSince(live, opened.current) : []
  // Untouched (or read only), the form simply follows the type; with edits of this person's, it
  // says what changed elsewhere instead of throwing their edits away.
  const pristine = JSON.stringify(draft) === JSON.stringify(opened.current)
  useEffect(() => {
    if (!live || changed.length === 0 || !(pristine || readOnly)) return
    opened.current = draftOf(live)
    dispatch({ kind: 'load', draft: opened.current })
  }, [live, changed.length, pristine, readOnly])
  const elsewhere = pristine || readOnly ? [] : changed
  // Edits of this person's are kept as they are made (the list marks the type), and forgotten
  // once saved, created or discarded: leaving the form keeps them for next time.
  const created = useRef(false)
  useEffect(() => {
    const untouched = pristine || readOnly || created.current
    unsavedTypes.keep(keyOf, untouched ? undefined : { draft, opened: opened.current })
  }, [draft, pristine, readOnly, keyOf])
  const [errors, setErrors] = useState<TypeErrors>({})
  const [result, setResult] = useState<SaveResult | null>(saved)
  const base = useId()
  const itemCount = useRef(draft.checklist.length)
  const form = useRef<HTMLFormElement>(null)

  // Mounted once per type (keyed by its id): the focus is placed only when the form first shows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on opening only
  useEffect(() => {
    if (focusOnOpen === 'name') form.current?.querySelector<HTMLInputElement>('input')?.focus()
    if (focusOnOpen === 'save')
      form.current?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus()
  }, [])

  // Put the cursor in a newly added item's title.
  useEffect(() => {
    if (draft.checklist.length > itemCount.current) {
      const inputs = form.current?.querySelectorAll<HTMLInputElement>('input[data-item-title]')
      inputs?.[inputs.length - 1]?.focus()
    }
    itemCount.current = draft.checklist.length
  }, [draft.checklist.length])

  const fields = fieldErrors(base, errors)

  const save = () => {
    const v = validateType(draft, otherNames, members)
    if (!v.ok) {
      setErrors(v.errors)
      setResult(null)
      // Move to the first field that needs attention: a control, since a group marked invalid as a
      // whole (the approver roles) cannot take the focus; its first box does.
      requestAnimationFrame(() =>
        form.current
          ?.querySelector<HTMLElement>(
            'input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"]',
          )
          ?.focus(),
      )
      return
    }
    setErrors({})
    // Only the fields changed here are written over the type as it stands now, so a change
    // another admin made meanwhile to other fields is kept.
    const merged = draft.id
      ? mergeTypeEdit(session.workspace.types.get(draft.id), opened.current, draft, v.type)
      : { type: v.type, overwrote: [] }
    // A new version of the type's rules: rounds already submitted keep the rules they follow.
    const saved = saveOutputType(session.workspace, session.memberId, merged.type)
    if (!saved.ok) {
      setResult({ text: saved.reason, warnings: [] })
      return
    }
    opened.current = draftOf(merged.type)
    if (draft.id) dispatch({ kind: 'load', draft: opened.current })
    const done = {
      text: `Saved “${merged.type.name}”.`,
      warnings: [
        ...(merged.overwrote.length > 0
          ? [`Your change to ${merged.overwrote.join(', ')} replaced a change made there meanwhile.`]
          : []),
        ...v.warnings,
      ],
    }
    setResult(done)
    if (!draft.id) {
      // Created: this form goes, and its words are the new type's now, not kept edits.
      created.current = true
      unsavedTypes.keep(keyOf, undefined)
      onSaved(v.type.id, done)
    }
  }

  const errorCount = Object.keys(errors).length
  return (
    <SettingsForm ref={form} className="st-form" aria-labelledby={`${base}-heading`} onSubmit={save}>
      <h2 id={`${base}-heading`}>{draft.id ? `Edit “${initial.name}”` : 'New output type'}</h2>
      {kept && !pristine && !readOnly && (
        <p className="st-note" role="status">
          Your changes from before are still here, not saved yet: {draft.id ? 'Save type' : 'Create type'}{' '}
          keeps them, Discard changes drops them.
        </p>
      )}
      {elsewhere.length > 0 && !readOnly && (
        <p className="st-note st-elsewhere" role="status">
          Changed elsewhere while this form was open: {elsewhere.join(', ')}. Saving keeps those changes,
          except in fields you changed here too; Discard changes shows the type as it is now.
        </p>
      )}
      <fieldset disabled={readOnly} className="st-plain">
        <TextField
          label="Name"
          value={draft.name}
          onChange={(value) => dispatch({ kind: 'field', field: 'name', value })}
          errorKey="name"
          fields={fields}
        />
        <TextField
          label="What it is for"
          rows={2}
          value={draft.description}
          onChange={(value) => dispatch({ kind: 'field', field: 'description', value })}
        />
        <fieldset className="st-group">
          <legend>Risk</legend>
          <div className="st-row">
            {RISK_TIERS.map((r) => (
              <label key={r} className={`st-choice risk risk-${r}`}>
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

        <ChecklistEditor draft={draft} dispatch={dispatch} fields={fields} />

        <PreCheckSettings
          draft={draft}
          types={session.workspace.types.all()}
          errors={errors}
          dispatch={dispatch}
        />

        <RoutingSettings draft={draft} members={members} errors={errors} dispatch={dispatch} />

        <ApprovalSettings draft={draft} dispatch={dispatch} fields={fields} base={base} />

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
        <div className="st-row st-sticky-actions">
          <button type="submit" className="st-primary">
            {draft.id ? 'Save type' : 'Create type'}
          </button>
          <button
            type="button"
            onClick={() => {
              // The type as it stands now, which becomes what "changed" is measured from.
              opened.current = live ? draftOf(live) : initial
              dispatch({ kind: 'load', draft: opened.current })
              setErrors({})
              setResult(null)
            }}
          >
            Discard changes
          </button>
        </div>
      </fieldset>
    </SettingsForm>
  )
}
