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
