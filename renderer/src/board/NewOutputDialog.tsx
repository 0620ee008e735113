import { useId, useMemo, useRef, useState } from 'react'
import { newId } from '../../../shared/domain/ids.ts'
import type { OutputType } from '../../../shared/domain/types.ts'
import {
  dueSchema,
  EMPTY_CONTENT_REASON,
  hasContent,
  INTAKE_MAX_CONTENT_CHARS,
  SOURCE_MAX_CHARS,
} from '../../../shared/host/intake.ts'
import { count } from '../../../shared/host/issue-words.ts'
import { FormError } from '../chrome/form.tsx'
import { Modal } from '../chrome/Modal.tsx'
import { onHost } from '../data/host-commands.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { resolveType } from '../intake/apply.ts'
import { useObserved } from '../state/observable.ts'
import { RISK_WORD } from '../ui/labels.ts'

/** "a, b ,, c" → ["a", "b", "c"], as intake takes tags (at most 30, each at most 60 characters). */
export function splitTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((t) => t.trim().slice(0, 60))
    .filter(Boolean)
  return [...new Set(tags)].slice(0, 30)
}

export interface NewOutputDraft {
  title?: string
  content?: string
  /** An output type's id or name, as a dropped file's front matter gives it. */
  type?: string
  model?: string
  tool?: string
  prompt?: string
  tags?: string[]
  /** YYYY-MM-DD */
  due?: string
}

/** Paste or type a draft, say what type it is and where it came from. */
export function NewOutputDialog({
  session,
  initial,
  onCreated,
  onClose,
}: {
  session: WorkspaceSession
  initial: NewOutputDraft
  onCreated: (id: string, title: string) => void
  onClose: () => void
}) {
  const types = useObserved(session, () => session.workspace.types.all())
  const sorted = useMemo(() => [...types].sort((a, b) => a.name.localeCompare(b.name)), [types])
  const [title, setTitle] = useState(initial.title ?? '')
  const named = initial.type ? resolveType(session.workspace, initial.type) : null
  const [typeId, setTypeId] = useState(named?.id ?? sorted[0]?.id ?? '')
  const [content, setContent] = useState(initial.content ?? '')
  const [model, setModel] = useState(initial.model ?? '')
  const [tool, setTool] = useState(initial.tool ?? '')
  const [prompt, setPrompt] = useState(initial.prompt ?? '')
  const [tags, setTags] = useState((initial.tags ?? []).join(', '))
  const [due, setDue] = useState(initial.due ?? '')
  const [error, setError] = useState<string | null>(
    initial.type && !named
      ? `The file names the type "${initial.type}", which this workspace does not have: choose one.`
      : null,
  )
  const id = useId()
  const chosen: OutputType | undefined = types.find((t) => t.id === typeId)
  // One draft per Create, however fast Enter is pressed twice.
  const creating = useRef(false)
  /** A draft was made: the board gives the focus to its card, not back to what opened the dialog. */
  const madeOne = useRef(false)
  const [busy, setBusy] = useState(false)

  /** What stops the draft from being created, in words, and the field it is about; or null. */
  const problem = (): { field: Field; text: string } | null => {
    if (!title.trim()) return { field: 'title', text: 'Give the output a title.' }
    if (!chosen) return { field: 'type', text: 'Choose a type; add one in Settings if there is none.' }
    if (!hasContent(content)) return { field: 'content', text: EMPTY_CONTENT_REASON }
    if (content.length > INTAKE_MAX_CONTENT_CHARS)
      return {
        field: 'content',
        text: `The content is ${count(content.length)} characters: one output holds at most ${count(INTAKE_MAX_CONTENT_CHARS)}. Split it into parts, each its own output.`,
      }
    for (const [what, value] of [
      ['model', model],
      ['tool', tool],
      ['prompt', prompt],
    ] as const)
      if (value.trim().length > SOURCE_MAX_CHARS[what])
        return {
          field: what,
          text: `The ${what} is ${count(value.trim().length)} characters: an output keeps at most ${count(SOURCE_MAX_CHARS[what])}. Shorten it${what === 'prompt' ? ', or put it in the content' : ''}.`,
        }
    if (due && !dueSchema.safeParse(due).success)
      return { field: 'due', text: 'The due date must be a date like 2026-12-31.' }
    return null
  }
  /** The field a refusal is about: marked, described by the message, and given the focus. */
  const [invalid, setInvalid] = useState<Field | null>(null)
  const fieldId = (field: Field) => `${id}-${field}`
  const errorId = `${id}-error`
  const marked = (field: Field) =>
    invalid === field ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {}

  const submit = async () => {
    if (creating.current) return
    setError(null)
    setInvalid(null)
    const refused = problem()
    if (refused || !chosen) {
      setError(refused?.text ?? null)
      if (refused) {
        setInvalid(refused.field)
        document.getElementById(fieldId(refused.field))?.focus()
      }
      return
    }
    creating.current = true
    setBusy(true)
    try {
      const outputId = newId('o')
      const source = {
        ...(model.trim() ? { model: model.trim() } : {}),
        ...(tool.trim() ? { tool: tool.trim() } : {}),
        ...(prompt.trim() ? { prompt: prompt.trim() } : {}),
      }
      // The host writes it (the `created` event is signed there); the new document comes back.
      const created = await onHost(
        session.workspace,
        session.openOutputNow(outputId, {}).output,
        {
          name: 'createOutput',
          args: {
            title,
            typeId: chosen.id,
            content,
            source,
            tags: splitTags(tags),
            ...(due ? { dueDate: due } : {}),
          },
        },
        outputId,
      )
      if (!created.ok) return setError(created.reason)
      madeOne.current = true
      onCreated(outputId, title.trim())
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      creating.current = false
      setBusy(false)
    }
  }

  return (
    <Modal title="New output" onClose={onClose} wide restoreFocus={() => !madeOne.current}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
        // Ctrl+Enter creates the draft from anywhere in the dialog, the content included, where
        // Enter is a new line (as Ctrl+Enter adds a comment or a suggestion).
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return
          e.preventDefault()
          void submit()
        }}
      >
        <div className="form-row">
          <div className="field grow">
            <label htmlFor={fieldId('title')}>Title</label>
            <input
              id={fieldId('title')}
              {...marked('title')}
              value={title}
              maxLength={200}
              // biome-ignore lint/a11y/noAutofocus: the dialog opens to be filled in
              autoFocus
              onChange={(e) => setTitle(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={fieldId('type')}>Type</label>
            <select
              id={fieldId('type')}
              {...marked('type')}
              value={typeId}
              onChange={(e) => setTypeId(e.target.value)}
            >
              {sorted.length === 0 && <option value="">No types yet</option>}
              {sorted.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({RISK_WORD[t.risk]} risk)
                </option>
              ))}
            </select>
          </div>
        </div>
        {chosen && (
          <p className="hint">
            {chosen.description} Needs {chosen.approvalsRequired} approval
            {chosen.approvalsRequired === 1 ? '' : 's'}, {chosen.checklist.length} checklist items, review
            within {chosen.reviewSlaHours} h.
          </p>
        )}
        <div className="field">
          <label htmlFor={fieldId('content')}>Content</label>
          <textarea
            id={fieldId('content')}
            {...marked('content')}
            rows={10}
            value={content}
            placeholder="Paste or type the AI-generated draft"
            onChange={(e) => setContent(e.target.value)}
          />
        </div>
        <div className="form-row">
          <TextField label="Tags" grow value={tags} placeholder="launch, q3" onChange={setTags} />
          <TextField
            label="Due"
            id={fieldId('due')}
            {...marked('due')}
            type="date"
            value={due}
            onChange={setDue}
          />
        </div>
        <fieldset className="form-row">
          <legend>Source</legend>
          <TextField
            label="Model"
            id={fieldId('model')}
            {...marked('model')}
            value={model}
            onChange={setModel}
          />
          <TextField label="Tool" id={fieldId('tool')} {...marked('tool')} value={tool} onChange={setTool} />
          <TextField
            label="Prompt"
            id={fieldId('prompt')}
            {...marked('prompt')}
            grow
            value={prompt}
            onChange={setPrompt}
          />
        </fieldset>
        <FormError error={error} id={errorId} />
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {/* Not `disabled` while busy: that would drop the keyboard focus to the page. */}
          <button
            type="submit"
            className="primary"
            aria-disabled={busy || undefined}
            aria-keyshortcuts="Control+Enter"
            title="Create draft (Ctrl+Enter)"
          >
            {busy ? 'Creating…' : 'Create draft'}
          </button>
        </div>
      </form>
    </Modal>
  )
}

/** The dialog's fields a refusal can be about. */
type Field = 'title' | 'type' | 'content' | 'due' | 'model' | 'tool' | 'prompt'

/** A labelled text input in the dialog's form layout. */
function TextField(props: {
  label: string
  value: string
  onChange: (value: string) => void
  id?: string
  grow?: boolean
  type?: string
  placeholder?: string
  'aria-invalid'?: true
  'aria-describedby'?: string
}) {
  const own = useId()
  const id = props.id ?? own
  return (
    <div className={props.grow ? 'field grow' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        aria-invalid={props['aria-invalid']}
        aria-describedby={props['aria-describedby']}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  )
}
