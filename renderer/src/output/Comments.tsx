import { type KeyboardEvent, memo, useEffect, useId, useRef, useState } from 'react'
import type { Thread } from '../../../shared/domain/comments.ts'
import type { Check } from '../../../shared/domain/derive.ts'
import { useDraft } from './drafts.ts'
import { ErrorMessage } from './ErrorMessage.tsx'

export interface Composing {
  from: number
  to: number
  quote: string
  /** A comment on the words, or a suggested replacement for them. */
  mode: 'comment' | 'suggest'
}

interface Props {
  threads: readonly Thread[]
  nameOf: (memberId: string) => string
  /** Why this member cannot comment here, or null. */
  refused: string | null
  composing: Composing | null
  /** `replacement` only for a suggestion. Each is performed by the host, which signs. */
  onAdd: (body: string, replacement?: string) => Promise<Check>
  onCancel: () => void
  onReply: (thread: string, body: string) => Promise<Check>
  onStatus: (thread: string, to: 'resolve' | 'reopen') => Promise<Check>
  onAccept: (threads: string[]) => Promise<Check>
  onDecline: (thread: string) => Promise<Check>
  active: string | null
  onPick: (thread: string | null) => void
}

const short = (hash: string) => hash.slice(0, 8)
const time = (at: number) => new Date(at).toLocaleString()

/**
 * The output's comment threads: a new one being written, then every thread in order. Rendered
 * again only when what it shows changes (its callbacks are new on every render of the view but
 * act on the same output), so typing in the editor does not re-render two hundred threads.
 */
export const Comments = memo(
  CommentsList,
  (a, b) =>
    a.threads === b.threads &&
    a.composing === b.composing &&
    a.refused === b.refused &&
    a.active === b.active,
)

/** A new comment shown at once while the host signs it and the output's document takes it. */
interface Sending {
  quote: string
  body: string
  replacement?: string
}

function CommentsList(p: Props) {
  const open = p.threads.filter((t) => t.status === 'open').length
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState<Sending | null>(null)
  // The document holds a new thread: it takes the place of the one shown while it was signed.
  const count = p.threads.length
  const shownAt = useRef(count)
  useEffect(() => {
    if (count !== shownAt.current) setSending(null)
  }, [count])
  const shownSending = count === shownAt.current ? sending : null
  const add = async (body: string, replacement?: string): Promise<Check> => {
    const quote = p.composing?.quote ?? ''
    shownAt.current = count
    setSending(replacement === undefined ? { quote, body } : { quote, body, replacement })
    const r = await (replacement === undefined ? p.onAdd(body) : p.onAdd(body, replacement))
    // Refused: the words stay in the composer with the reason, and nothing is shown as sent.
    if (!r.ok) setSending(null)
    return r
  }
  const openSuggestions = new Set(
    p.threads.filter((t) => t.kind === 'suggestion' && t.status === 'open').map((t) => t.id),
  )
  const chosen = [...picked].filter((id) => openSuggestions.has(id))
  const toggle = (id: string) =>
    setPicked((prev) => {
      const next = new Set(prev)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  return (
    <section className="ov-comments" aria-label="Comments">
      <h2 className="ov-comments-h">
        Comments <span className="ov-count">{open} open</span>
      </h2>
      {p.refused && <p className="ov-why">{p.refused}</p>}
      {chosen.length > 0 && (
        <div className="ov-row">
          <button
            type="button"
            className="ov-primary"
            onClick={async () => {
              const r = await p.onAccept(chosen)
              if (r.ok) {
                setPicked(new Set())
                setError(null)
              } else setError(r.reason)
            }}
          >
            Accept selected ({chosen.length})
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
      {p.composing && <Composer composing={p.composing} onAdd={add} onCancel={p.onCancel} />}
      {p.threads.length === 0 && !p.composing && !shownSending ? (
        <p className="ov-why">
          No comments yet. Select words in the source or the preview, then choose Comment.
        </p>
      ) : (
        <ol className="ov-threads">
          {shownSending && <SendingItem sending={shownSending} />}
          {p.threads.map((t) => (
            <ThreadItem
              key={t.id}
              thread={t}
              {...p}
              picked={picked.has(t.id)}
              onToggle={() => toggle(t.id)}
            />
          ))}
        </ol>
      )}
    </section>
  )
}

function SendingItem({ sending }: { sending: Sending }) {
  return (
    <li>
      <article
        className="ov-thread ov-thread-open ov-thread-sending"
        aria-label="Your comment, being saved"
        aria-busy="true"
        data-thread-id="sending"
      >
        {sending.quote && <p className="ov-quote">{sending.quote}</p>}
        {sending.replacement !== undefined && (
          <p className="ov-suggestion">
            Replace with <ins>{sending.replacement || '(nothing: delete the words)'}</ins>
          </p>
        )}
        {sending.body && <p className="ov-comment-body">{sending.body}</p>}
        <p className="ov-comment-meta">Saving…</p>
      </article>
    </li>
  )
}

function Composer({
  composing,
  onAdd,
  onCancel,
}: {
  composing: Composing
  /** `replacement` only for a suggestion. */
  onAdd: (body: string, replacement?: string) => Promise<Check>
  onCancel: () => void
}) {
  const suggest = composing.mode === 'suggest'
  const [replacement, setReplacement] = useState(composing.quote)
  const [body, setBody] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const field = useRef<HTMLTextAreaElement>(null)
  // A suggestion starts from the words it replaces, selected, so typing replaces them.
  useEffect(() => {
    field.current?.focus()
    if (suggest) field.current?.select()
  }, [suggest])
  const submit = async () => {
    if (busy) return
    setBusy(true)
    const r = await (suggest ? onAdd(body, replacement) : onAdd(body))
    setBusy(false)
    if (r.ok) setBody('')
    else setError(r.reason)
  }
  // Ctrl+Enter adds and Escape cancels from either field: the replacement as well as the note.
  const keys = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit()
    if (e.key === 'Escape') {
      e.preventDefault()
      onCancel()
    }
  }
  // While the host signs it, the comment shows in the list instead (kept here, hidden, in case
  // the host refuses it: then it comes back with the reason).
  return (
    <div className="ov-composer" hidden={busy}>
      <blockquote className="ov-quote">{composing.quote}</blockquote>
      {suggest && (
        <label className="ov-field">
          <span>Replace with</span>
          <textarea
            ref={field}
            rows={2}
            value={replacement}
            onChange={(e) => setReplacement(e.target.value)}
            onKeyDown={keys}
          />
        </label>
      )}
      <label className="ov-field">
        <span>{suggest ? 'Why (optional)' : 'Your comment (@name to mention someone)'}</span>
        <textarea
          ref={suggest ? undefined : field}
          rows={suggest ? 1 : 3}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={keys}
        />
      </label>
      <div className="ov-row">
        <button type="button" className="ov-primary" onClick={submit} aria-busy={busy || undefined}>
          {suggest ? 'Add suggestion' : 'Add comment'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorMessage error={error} />
    </div>
  )
}

const STATUS: Record<Thread['status'], string> = {
  open: 'Open',
  resolved: 'Resolved',
  accepted: 'Accepted',
  declined: 'Declined',
}

/**
 * What a thread shows, as a string: everything but where its words are now (the range moves with
 * every edit before it, and the editor and the preview place it, not the list).
 */
const shownKeys = new WeakMap<Thread, string>()
function shown(t: Thread): string {
  let key = shownKeys.get(t)
  if (key === undefined) {
    key = JSON.stringify({ ...t, range: null })
    shownKeys.set(t, key)
  }
  return key
}

/**
 * One thread, rendered again only when what it shows changed: the threads are derived anew once
 * typing pauses, and two hundred of them (each with its dates formatted) cost that pause its frames.
 */
const ThreadItem = memo(
  ThreadView,
  (a, b) =>
    shown(a.thread) === shown(b.thread) &&
    (a.active === a.thread.id) === (b.active === b.thread.id) &&
    a.refused === b.refused &&
    a.picked === b.picked,
)

function ThreadView({
  thread: t,
  nameOf,
  onReply,
  onStatus,
  onAccept,
  onDecline,
  active,
  onPick,
  refused,
  picked,
  onToggle,
}: { thread: Thread; picked: boolean; onToggle: () => void } & Props) {
  const id = useId()
  // A reply typed and not sent waits for the person's return (drafts.ts).
  const [reply, setReply] = useDraft(`reply:${t.id}`)
  const [error, setError] = useState<string | null>(null)
  const who = nameOf(t.by)
  const label =
    t.kind === 'suggestion'
      ? `Suggestion by ${who} on “${t.words.slice(0, 40)}”`
      : `Comment by ${who}${t.anchor ? ` on “${t.words.slice(0, 40)}”` : ''}`
  const run = async (pending: Promise<Check>, then?: () => void) => {
    const r = await pending
    if (r.ok) {
      setError(null)
      then?.()
    } else setError(r.reason)
  }
  return (
    <li>
      <article
        className={`ov-thread ov-thread-${t.status}${active === t.id ? ' ov-thread-active' : ''}`}
        aria-label={label}
        data-thread-id={t.id}
      >
        {t.anchor && (
          <button
            type="button"
            className="ov-quote"
            aria-label={`Show the words: ${t.words}`}
            onClick={() => onPick(active === t.id ? null : t.id)}
          >
            {t.words}
          </button>
        )}
        {t.removed && (
          <p className="ov-removed">
            {t.kind === 'suggestion' && t.status === 'accepted'
              ? 'Its words were replaced as suggested.'
              : 'On removed text: its words were deleted.'}
          </p>
        )}
        {t.kind === 'suggestion' && (
          <p className="ov-suggestion">
            Replace with <ins>{t.replacement || '(nothing: delete the words)'}</ins>
          </p>
        )}
        {t.body && <p className="ov-comment-body">{t.body}</p>}
        <p className="ov-comment-meta">
          {who} · {time(t.at)} · on version {short(t.contentHash)} ·{' '}
          <span className={`ov-status ov-status-${t.status}`}>{STATUS[t.status]}</span>
          {t.statusBy && t.status !== 'open' && ` by ${nameOf(t.statusBy)}`}
        </p>
        {t.replies.length > 0 && (
          <ol className="ov-replies" aria-label={`Replies to ${who}`}>
            {t.replies.map((r) => (
              <li key={r.id}>
                <p className="ov-comment-body">{r.body}</p>
                <p className="ov-comment-meta">
                  {nameOf(r.by)} · {time(r.at)} · on version {short(r.contentHash)}
                </p>
              </li>
            ))}
          </ol>
        )}
        {!refused && (
          <div className="ov-thread-actions">
            <label htmlFor={`${id}-reply`} className="visually-hidden">
              Reply to {who}
            </label>
            <textarea
              id={`${id}-reply`}
              rows={1}
              placeholder="Reply…"
              value={reply}
              onChange={(e) => setReply(e.target.value)}
            />
            <div className="ov-row">
              <button type="button" onClick={() => run(onReply(t.id, reply), () => setReply(''))}>
                Reply
              </button>
              {t.kind === 'suggestion' && t.status === 'open' && (
                <>
                  <button type="button" onClick={() => run(onAccept([t.id]))}>
                    Accept
                  </button>
                  <button type="button" onClick={() => run(onDecline(t.id))}>
                    Decline
                  </button>
                  <label className="ov-pick">
                    <input type="checkbox" checked={picked} onChange={onToggle} /> Select
                  </label>
                </>
              )}
              {t.kind === 'comment' &&
                (t.status === 'open' ? (
                  <button type="button" onClick={() => run(onStatus(t.id, 'resolve'))}>
                    Resolve
                  </button>
                ) : (
                  <button type="button" onClick={() => run(onStatus(t.id, 'reopen'))}>
                    Reopen
                  </button>
                ))}
            </div>
          </div>
        )}
        <ErrorMessage error={error} />
      </article>
    </li>
  )
}
