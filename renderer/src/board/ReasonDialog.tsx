import { useId, useRef, useState } from 'react'
import type { Action } from '../../../shared/domain/derive.ts'
import { FormError } from '../chrome/form.tsx'
import { Modal } from '../chrome/Modal.tsx'

/** Asks why, before "request changes" or "reject": the author needs to know what to fix. */
export function ReasonDialog({
  action,
  title,
  onConfirm,
  onCancel,
}: {
  action: Action
  title: string
  onConfirm: (reason: string) => void
  onCancel: () => void
}) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const id = useId()
  const field = useRef<HTMLTextAreaElement>(null)
  const reject = action === 'reject'
  return (
    <Modal title={reject ? `Reject “${title}”` : `Request changes to “${title}”`} onClose={onCancel}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!text.trim()) {
            setError(reject ? 'Say why it is rejected.' : 'Say what needs to change.')
            // The reason goes in the field: the focus goes there too, not left on the button.
            field.current?.focus()
            return
          }
          onConfirm(text.trim())
        }}
      >
        <label htmlFor={id}>
          {reject ? 'Why is it rejected?' : 'What needs to change? (one reason per line)'}
        </label>
        <textarea
          ref={field}
          id={id}
          rows={4}
          value={text}
          // biome-ignore lint/a11y/noAutofocus: the dialog exists to take this one answer
          autoFocus
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
        />
        <FormError error={error} id={`${id}-err`} />
        <div className="form-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {reject ? 'Reject' : 'Request changes'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
