/** The machine-local settings form of a destination, generated from its kind's declared fields. */
import { Fragment, useId } from 'react'
import { renderFileName, templateProblem } from '../../../shared/publish/filename.ts'
import { FORMAT_EXTENSIONS, PUBLISH_FORMATS, type PublishFormat } from '../../../shared/publish/formats.ts'
import type { FormValues } from '../../../shared/publish/kinds/form.ts'
import type { FormField, FormRows } from '../../../shared/publish/kinds/index.ts'

interface FieldsProps {
  rows: FormRows
  values: FormValues
  set: (key: string, value: string | boolean) => void
  /** Whether a secret is stored for this key (never its value). */
  secretSet: (key: string) => boolean
  onGenerate: () => void
}

export function DestinationFields(props: FieldsProps) {
  const base = useId()
  return (
    <>
      {props.rows.map((row) => {
        const key = row.map((f) => f.key).join('+')
        const fields = row.map((f) => <Field key={f.key} field={f} id={`${base}-${f.key}`} {...props} />)
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
}: FieldsProps & { field: FormField; id: string }) {
  const value = values[field.key]
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
          {field.label}
          <select id={id} value={String(value)} onChange={(e) => set(field.key, e.target.value)}>
            {field.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
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
          type={field.type === 'number' ? 'number' : 'text'}
          value={value}
          placeholder={'placeholder' in field ? field.placeholder : undefined}
          onChange={(v) => set(field.key, v)}
        />
      )
  }
}

function TextInput(props: {
  id: string
  label: string
  type: string
  value: string | boolean | undefined
  placeholder?: string | undefined
  wide?: boolean
  onChange: (value: string) => void
}) {
  return (
    <label className={props.wide ? 'st-field st-wide' : 'st-field'} htmlFor={props.id}>
      {props.label}
      <input
        id={props.id}
        type={props.type}
        value={String(props.value ?? '')}
        placeholder={props.placeholder}
        autoComplete="off"
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  )
}

/** An example file name for the template, or what is wrong with it. */
function TemplateNote({ template, format }: { template: string; format: string | boolean | undefined }) {
  const problem = templateProblem(template)
  const ext =
    FORMAT_EXTENSIONS[
      (PUBLISH_FORMATS as readonly unknown[]).includes(format) ? (format as PublishFormat) : 'markdown'
    ]
  return (
    <p className="st-note" aria-live="polite">
      {problem ? (
        <span className="st-error">The file name template {problem}.</span>
      ) : (
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
