/** Pieces every settings tab shares. */
import { useCallback, useState } from 'react'
import { useUi } from '../ui/store.ts'

export type Message = { kind: 'ok' | 'error'; text: string } | null

export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** A tab's last outcome, and `attempt` to run an action that reports its own success or error. */
export function useMessage() {
  const [message, setMessage] = useState<Message>(null)
  const attempt = useCallback(async (action: () => Promise<string | undefined> | string | undefined) => {
    try {
      const ok = await action()
      if (ok) setMessage({ kind: 'ok', text: ok })
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) })
    }
  }, [])
  return { message, setMessage, attempt }
}

/** The outcome of the last action: a status for success, an alert for an error. */
export function StatusMessage({ message }: { message: Message }) {
  if (!message) return null
  return (
    <p
      className={message.kind === 'ok' ? 'st-ok' : 'st-error'}
      role={message.kind === 'ok' ? 'status' : 'alert'}
    >
      {message.text}
    </p>
  )
}

/** Copies a text (an address, a token) and says so for a moment. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false)
  return (
    <button
      type="button"
      className="small"
      aria-label={label}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text)
          setDone(true)
          setTimeout(() => setDone(false), 1500)
        } catch {
          useUi.getState().notify('error', 'Could not copy; select the text and copy it yourself.')
        }
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  )
}

/**
 * A table's header row: one column heading per label; `actions` adds a last column for row
 * buttons, named for screen readers only.
 */
export function TableHead({ columns, actions = false }: { columns: readonly string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => (
          // Labels may repeat (two destinations of one name); the order is the table's.
          // biome-ignore lint/suspicious/noArrayIndexKey: the columns are the table's, in order
          <th key={i} scope="col">
            {c}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        )}
      </tr>
    </thead>
  )
}
