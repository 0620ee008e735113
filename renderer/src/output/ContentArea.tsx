/**
 * The content of the output view: Source, Preview or side by side, the "Comment" and "Suggest
 * change" buttons for the selected words, and the comment threads below.
 */
import type * as Y from 'yjs'
import type { OpenOutput } from '../data/session.ts'
import { Comments } from './Comments.tsx'
import { runCommand } from './commands.ts'
import { Editor } from './Editor.tsx'
import { ErrorMessage } from './ErrorMessage.tsx'
import type { EditRecorder } from './edit-recorder.ts'
import type { OutputScope } from './output-scope.ts'
import { Preview } from './Preview.tsx'
import type { CommentState } from './use-comment-state.ts'

export type ContentView = 'source' | 'preview' | 'both'

const VIEWS = [
  ['source', 'Source'],
  ['preview', 'Preview'],
  ['both', 'Side by side'],
] as const

interface Props {
  open: OpenOutput
  memberId: string
  memberName: string
  title: string
  undoManager: Y.UndoManager | null
  readOnly: boolean
  contentView: ContentView
  setView: (v: ContentView) => void
  /** The text the preview shows ('' while only the source shows). */
  text: string
  comments: CommentState
  /** Why this member cannot comment here, or null. */
  commentRefused: string | null
}

export function ContentArea(p: Props) {
  const c = p.comments
  const canComment = c.selection && typeof c.selection !== 'string' && !p.commentRefused
  const shown = `ov-shown-${p.contentView}`
  return (
    <>
      <fieldset className="ov-views">
        <legend className="visually-hidden">Show the content as</legend>
        {VIEWS.map(([id, name]) => (
          <button key={id} type="button" aria-pressed={p.contentView === id} onClick={() => p.setView(id)}>
            {name}
          </button>
        ))}
        <span className="ov-views-gap" />
        <button
          type="button"
          aria-disabled={canComment ? undefined : true}
          aria-describedby={c.commentError ? 'ov-comment-error' : undefined}
          // Keep the editor's selection: the button does not take focus on press.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => c.startComment('comment')}
          aria-keyshortcuts="Control+Alt+M"
          title="Comment on the selected words (Ctrl+Alt+M in the source)"
        >
          Comment
        </button>
        <button
          type="button"
          aria-disabled={canComment ? undefined : true}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => c.startComment('suggest')}
          aria-keyshortcuts="Control+Alt+S"
          title="Suggest a change to the selected words (Ctrl+Alt+S in the source)"
        >
          Suggest change
        </button>
      </fieldset>
      <ErrorMessage id="ov-comment-error" error={c.commentError} />
      <div className={`ov-content ${shown}`}>
        {/* The editor stays mounted (and its undo history with it) while only the preview shows. */}
        <div className="ov-source" hidden={p.contentView === 'preview'}>
          {p.undoManager && (
            <Editor
              open={p.open}
              memberId={p.memberId}
              memberName={p.memberName}
              undoManager={p.undoManager}
              readOnly={p.readOnly}
              label={`Content of ${p.title}`}
              marks={c.marks}
              onSelect={c.setSelection}
              onCommentKey={c.startComment}
            />
          )}
        </div>
        {p.contentView !== 'source' && (
          <Preview
            text={p.text}
            label={`Preview of ${p.title}`}
            marks={c.previewMarks}
            onSelect={c.setSelection}
          />
        )}
      </div>
      <p className="ov-hint">
        Ctrl+Z undoes only your own edits. Ctrl+Alt+M comments on the selected words, Ctrl+Alt+S suggests a
        change to them. Tab leaves the editor; Escape goes back to the board.
      </p>
    </>
  )
}

/** The threads, with the commands that write them (each performed by the host, which signs). */
export function CommentsSection({
  ws,
  out,
  memberId,
  comments: c,
  nameOf,
  refused,
  recorder,
}: OutputScope & {
  comments: CommentState
  nameOf: (id: string) => string
  refused: string | null
  recorder: EditRecorder | null
}) {
  return (
    <Comments
      threads={c.threads}
      nameOf={nameOf}
      refused={refused}
      composing={c.composing}
      onCancel={c.closeComposer}
      onAdd={async (body, replacement) => {
        if (!c.composing) return { ok: false, reason: 'Select the words first.' }
        const { from, to } = c.composing
        const r = await (c.composing.mode === 'suggest'
          ? runCommand('suggestChange', ws, out, memberId, { from, to, replacement: replacement ?? '', body })
          : runCommand('addComment', ws, out, memberId, { from, to, body }))
        if (r.ok) c.closeComposer()
        return r
      }}
      onAccept={(ids) => {
        void recorder?.flush()
        return runCommand('acceptSuggestions', ws, out, memberId, { threads: ids })
      }}
      onDecline={(thread) => runCommand('declineSuggestion', ws, out, memberId, { thread })}
      onReply={(thread, body) => runCommand('replyToThread', ws, out, memberId, { thread, body })}
      onStatus={(thread, to) =>
        runCommand(to === 'resolve' ? 'resolveThread' : 'reopenThread', ws, out, memberId, { thread })
      }
      active={c.activeThread}
      onPick={c.setActiveThread}
    />
  )
}
