import { useEffect, useState } from 'react'
import type { Check } from '../../../shared/domain/derive.ts'
import type { OutputMeta } from '../../../shared/domain/types.ts'
import type { ReviewView } from './review-model.ts'
import { TypeAndRisk } from './TypeAndRisk.tsx'

interface Props {
  meta: OutputMeta
  view: ReviewView
  authorName: string
  readOnly: boolean
  onRename: (title: string) => Check
  onBack: () => void
}

export function OutputHeader({ meta, view, authorName, readOnly, onRename, onBack }: Props) {
  const [title, setTitle] = useState(meta.title)
  const [titleError, setTitleError] = useState('')
  // Follow renames by others unless this person is mid-edit.
  const [editing, setEditing] = useState(false)
  useEffect(() => {
    if (!editing) setTitle(meta.title)
  }, [meta.title, editing])

  const commit = () => {
    setEditing(false)
    const result = onRename(title)
    if (result.ok) setTitleError('')
    else {
      setTitleError(result.reason)
      setTitle(meta.title)
    }
  }
  const source = [
    meta.source.model && `model ${meta.source.model}`,
    meta.source.tool && `tool ${meta.source.tool}`,
  ].filter(Boolean)

  return (
    <header className="ov-header">
      <button type="button" className="ov-back" onClick={onBack} aria-keyshortcuts="Escape">
        ← Back to board
      </button>
      <div className="ov-heading">
        <h1 className="ov-h1">
          <input
            className="ov-title"
            aria-label="Title"
            value={title}
            readOnly={readOnly}
            maxLength={200}
            aria-invalid={titleError ? true : undefined}
            aria-describedby={titleError ? 'ov-title-error' : undefined}
            onFocus={() => setEditing(true)}
            onChange={(e) => setTitle(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur()
              if (e.key === 'Escape') {
                // Cancel the rename instead of leaving the output.
                e.preventDefault()
                setTitle(meta.title)
                setEditing(false)
              }
            }}
          />
        </h1>
        {titleError && (
          <p id="ov-title-error" role="alert" className="ov-error">
            {titleError}
          </p>
        )}
        <ul className="ov-facts" aria-label="About this output">
          <li>
            <TypeAndRisk view={view} />
          </li>
          <li>
            <span className={`ov-badge ov-state-${view.state}`}>{view.stateLabel}</span>{' '}
            <span className="ov-explain">{view.stateExplanation}</span>
          </li>
          <li>By {authorName}</li>
          <li>{source.length > 0 ? `Made with ${source.join(', ')}` : 'Source not recorded'}</li>
          {meta.dueDate && <li>Due {meta.dueDate}</li>}
          {meta.tags.length > 0 && <li>Tags: {meta.tags.map((t) => `#${t}`).join(' ')}</li>}
        </ul>
        {meta.source.prompt && (
          <details className="ov-prompt">
            <summary>Prompt</summary>
            <pre>{meta.source.prompt}</pre>
          </details>
        )}
      </div>
    </header>
  )
}
