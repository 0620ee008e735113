import { useId, useMemo, useState } from 'react'
import { createOutput } from '../../../shared/domain/actions.ts'
import { newId } from '../../../shared/domain/ids.ts'
import type { OutputType } from '../../../shared/domain/types.ts'
import { Modal } from '../chrome/Modal.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { RISK_WORD } from '../ui/labels.ts'

export interface NewOutputDraft {
  title?: string
  content?: string
  tool?: string
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
  const [typeId, setTypeId] = useState(sorted[0]?.id ?? '')
  const [content, setContent] = useState(initial.content ?? '')
  const [model, setModel] = useState('')
  const [tool, setTool] = useState(initial.tool ?? '')
  const [prompt, setPrompt] = useState('')
  const [error, setError] = useState<string | null>(null)
  const id = useId()
  const chosen: OutputType | undefined = types.find((t) => t.id === typeId)

  const submit = () => {
    setError(null)
    if (!title.trim()) return setError('Give the output a title.')
    if (!chosen) return setError('Choose a type; add one in Settings if there is none.')
    try {
      const outputId = newId('o')
      const source = {
        ...(model.trim() ? { model: model.trim() } : {}),
        ...(tool.trim() ? { tool: tool.trim() } : {}),
        ...(prompt.trim() ? { prompt: prompt.trim() } : {}),
      }
      createOutput(session.workspace, session.openOutputNow(outputId, {}).output, {
        id: outputId,
        title,
        typeId: chosen.id,
        content,
        source,
        authorId: session.memberId,
      })
      onCreated(outputId, title.trim())
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <Modal title="New output" onClose={onClose} wide>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          submit()
        }}
      >
        <div className="form-row">
          <div className="field grow">
            <label htmlFor={`${id}-title`}>Title</label>
            <input
              id={`${id}-title`}
              value={title}
              maxLength={200}
              // biome-ignore lint/a11y/noAutofocus: the dialog opens to be filled in
              autoFocus
              onChange={(e) => setTitle(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-type`}>Type</label>
            <select id={`${id}-type`} value={typeId} onChange={(e) => setTypeId(e.target.value)}>
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
          <label htmlFor={`${id}-content`}>Content</label>
          <textarea
            id={`${id}-content`}
            rows={10}
            value={content}
            placeholder="Paste or type the AI-generated draft"
            onChange={(e) => setContent(e.target.value)}
          />
        </div>
        <fieldset className="form-row">
          <legend>Source</legend>
          <div className="field">
            <label htmlFor={`${id}-model`}>Model</label>
            <input id={`${id}-model`} value={model} onChange={(e) => setModel(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-tool`}>Tool</label>
            <input id={`${id}-tool`} value={tool} onChange={(e) => setTool(e.target.value)} />
          </div>
          <div className="field grow">
            <label htmlFor={`${id}-prompt`}>Prompt</label>
            <input id={`${id}-prompt`} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
          </div>
        </fieldset>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Create draft
          </button>
        </div>
      </form>
    </Modal>
  )
}
