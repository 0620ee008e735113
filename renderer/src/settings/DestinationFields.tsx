/** The machine-local settings form of a destination, generated from its kind's declared fields. */
import { Fragment, type ReactNode, useId } from 'react'
import { renderFileName, templateProblem } from '../../../shared/publish/filename.ts'
import { FORMAT_EXTENSIONS, PUBLISH_FORMATS, type PublishFormat } from '../../../shared/publish/formats.ts'
import type { FormValues } from '../../../shared/publish/kinds/form.ts'
import type { FormField, FormRows } from '../../../shared/publish/kinds/index.ts'
import type { SettingsProblems } from '../../../shared/publish/kinds/problems.ts'

interface FieldsProps {
  rows: FormRows
  values: FormValues
  set: (key: string, value: string | boolean) => void
  /** Whether a secret is stored for this key (never its value). */
  secretSet: (key: string) => boolean
  onGenerate: () => void
  /** What is wrong with each field, shown at it once a save or test was refused. */
  problems: SettingsProblems
}

/** The element ids of a field: its control, its label text and its message. */
const idsOf = (id: string) => ({ control: id, label: `${id}-label`, message: `${id}-message` })

/** The id of a field's control: the form focuses the first refused one. */
export const fieldControlId = (base: string, key: string) => `${base}-${key}`

export function DestinationFields(props: FieldsProps & { base?: string }) {
  const own = useId()
  const base = props.base ?? own
  return (
    <>
      {props.rows.map((row) => {
        const key = row.map((f) => f.key).join('+')
        const fields = row.map((f) => (
          <Field key={f.key} field={f} id={fieldControlId(base, f.key)} {...props} />
        ))
        const template = row.find((f) => f.type === 'template')
        return (
          <Fragment key={key}>
            {row.length > 1 || row.some((f) => f.type === 'secret') ? (
              <div className="st-row">{fields}</div>
            ) : (
              fields
            )}
            {template && (
              <TemplateNote
                template={String(props.values[template.key] ?? '')}
                format={props.values.format}
                // The field says what is wrong once a save was refused; the note then only helps.
                problemShown={props.problems[template.key] !== undefined}
              />
            )}
          </Fragment>
        )
      })}
    </>
  )
}

function Field({
  field,
  id,
  values,
  set,
  secretSet,
  onGenerate,
  problems,
}: FieldsProps & { field: FormField; id: string }) {
  const value = values[field.key]
  const problem = problems[field.key]
  const ids = idsOf(id)
  // The message sits inside the <label>: the name comes from the label's text alone, or it would
  // be read as part of the name and again as the description.
  const tie = {
    'aria-labelledby': ids.label,
    ...(problem ? { 'aria-invalid': true as const, 'aria-describedby': ids.message } : {}),
  }
  const message = problem ? (
    <span id={ids.message} className="st-error">
      {problem}
    </span>
  ) : null
  switch (field.type) {
    case 'checkbox':
      return (
        <label className="st-choice">
          <input
            type="checkbox"
            checked={value === true}
            onChange={(e) => set(field.key, e.target.checked)}
          />
          {field.label}
        </label>
      )
    case 'select':
      return (
        <label className="st-field" htmlFor={id}>
          <span id={ids.label}>{field.label}</span>
          <select id={id} value={String(value)} onChange={(e) => set(field.key, e.target.value)} {...tie}>
            {field.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {message}
        </label>
      )
    case 'secret': {
      const stored = secretSet(field.key)
      return (
        <>
          <TextInput
            id={id}
            label={field.label}
            wide
            type="password"
            value={value}
            placeholder={stored ? 'set (leave empty to keep it)' : (field.placeholder ?? '')}
            onChange={(v) => set(field.key, v)}
            tie={tie}
            message={message}
          />
          {field.generate && (
            <button type="button" onClick={onGenerate}>
              Generate secret
            </button>
          )}
          {stored && <span className="st-note">{field.setNote}</span>}
        </>
      )
    }
    default:
      return (
        <TextInput
          id={id}
          label={field.label}
          // A list of addresses reads whole, not cut after the first.
          wide={field.type === 'list'}
          // A number as text: what is typed stays as typed, and what is not a number is refused
          // with the field's rule (a number input would read "-" or "1e" as empty, the default).
          type="text"
          inputMode={field.type === 'number' ? 'numeric' : undefined}
          value={value}
          placeholder={'placeholder' in field ? field.placeholder : undefined}
          onChange={(v) => set(field.key, v)}
          tie={tie}
          message={message}
        />
      )
  }
}

function TextInput(props: {
  id: string
  label: string
  type: string
  inputMode?: 'numeric' | undefined
  value: string | boolean | undefined
  placeholder?: string | undefined
  wide?: boolean
  onChange: (value: string) => void
  tie: { 'aria-labelledby': string }
  message: ReactNode
}) {
  return (
    <label className={props.wide ? 'st-field st-wide' : 'st-field'} htmlFor={props.id}>
      <span id={props.tie['aria-labelledby']}>{props.label}</span>
      <input
        id={props.id}
        type={props.type}
        inputMode={props.inputMode}
        value={String(props.value ?? '')}
        placeholder={props.placeholder}
        autoComplete="off"
        onChange={(e) => props.onChange(e.target.value)}
        {...props.tie}
      />
      {props.message}
    </label>
  )
}

/**
 * An example file name for the template, or what is wrong with it (only the placeholders while the
 * field itself shows the problem, after a refused save).
 */
function TemplateNote({
  template,
  format,
  problemShown,
}: {
  template: string
  format: string | boolean | undefined
  problemShown: boolean
}) {
  const problem = template === '' ? null : templateProblem(template)
  const ext =
    FORMAT_EXTENSIONS[
      (PUBLISH_FORMATS as readonly unknown[]).includes(format) ? (format as PublishFormat) : 'markdown'
    ]
  return (
    <p className="st-note" aria-live="polite">
      {problemShown ? null : problem ? (
        <span className="st-error">The file name template {problem}.</span>
      ) : template === '' ? null : (
        <>
          Example file name:{' '}
          <code>
            {renderFileName(template, {
              date: new Date().toISOString(),
              title: 'Weekly summary',
              id: 'o123',
              type: 'Internal summary',
              ext,
              hash: '3f2a9c01',
            })}
          </code>
        </>
      )}{' '}
      (placeholders: {'{date} {time} {slug} {title} {id} {type} {hash} {ext}'})
    </p>
  )
}
