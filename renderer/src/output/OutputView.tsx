import { memo, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react'
import type { ReviewAction } from '../../../shared/domain/actions.ts'
import { deriveOutput, reassignOptions, renameOutput } from '../../../shared/domain/actions.ts'
import { commentRefusal, deriveThreads, threadReasons } from '../../../shared/domain/comments.ts'
import type { Check } from '../../../shared/domain/derive.ts'
import { allowedActions } from '../../../shared/domain/derive.ts'
import { contentLock } from '../../../shared/domain/locks.ts'
import { carryOverSentence, lastReviewBy } from '../../../shared/domain/rounds-since.ts'
import { onHost } from '../data/host-commands.ts'
import type { OpenOutput, WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { HistoryButton } from '../trace/History.tsx'
import { useUi } from '../ui/store.ts'
import { ChangesSince } from './ChangesSince.tsx'
import { Comments, type Composing } from './Comments.tsx'
import { createUndoManager } from './collab.ts'
import { runCommand } from './commands.ts'
import type { Mark } from './comment-marks.ts'
import { DocObservable, SettledObservable } from './doc-observable.ts'
import { Editor } from './Editor.tsx'
import { EditRecorder } from './edit-recorder.ts'
import { LockBanner } from './LockBanner.tsx'
import { OutputHeader } from './OutputHeader.tsx'
import { Preview, preparePreview } from './Preview.tsx'
import { ReviewPanel } from './ReviewPanel.tsx'
import { RoundRules } from './RoundRules.tsx'
import { reviewView } from './review-model.ts'
import { OutputStyles } from './styles.tsx'
import { useResource } from './use-resource.ts'

interface Props {
  session: WorkspaceSession
  outputId: string
}

/** One output: its content in a collaborative editor beside its review panel. */
export function OutputView({ session, outputId }: Props) {
  const [open, setOpen] = useState<OpenOutput | null>(null)
  const [error, setError] = useState<string | null>(null)
  const back = useCallback(() => useUi.getState().show({ name: 'board' }), [])

  useEffect(() => {
    let live = true
    setOpen(null)
    setError(null)
    session.openOutput(outputId).then(
      (o) => live && setOpen(o),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      live = false
    }
  }, [session, outputId])

  if (error || !open)
    return (
      <main className="ov ov-state">
        <OutputStyles />
        <button type="button" className="ov-back" onClick={back}>
          ← Back to board
        </button>
        {error ? (
          <p role="alert" className="ov-error">
            Could not open this output: {error}
          </p>
        ) : (
          <p role="status">Opening the output…</p>
        )}
      </main>
    )
  return <LoadedOutput key={outputId} session={session} open={open} onBack={back} />
}

/**
 * Memoized: the app's root re-renders on every session change (each keystroke's sync status), and
 * this view reads only what it subscribes to below.
 */
const LoadedOutput = memo(function LoadedOutput({
  session,
  open,
  onBack,
}: {
  session: WorkspaceSession
  open: OpenOutput
  onBack: () => void
}) {
  const { workspace: ws, memberId } = session
  const out = open.output
  const docs = useResource(
    () => new DocObservable(out.doc, out.content),
    (d) => d.destroy(),
    [out],
  )
  const undoManager = useResource(
    () => createUndoManager(out.content, memberId),
    (u) => u.destroy(),
    [out, memberId],
  )
  const recorder = useResource(
    () => new EditRecorder(ws, out, memberId),
    (r) => r.destroy(),
    [ws, out, memberId],
  )
  // The workspace document at once; the rest of the session (keys, sync) once it settles.
  const wsDoc = useResource(
    () => new DocObservable(ws.doc),
    (d) => d.destroy(),
    [ws],
  )
  const sessionSettled = useResource(
    () => new SettledObservable(session),
    (d) => d.destroy(),
    [session],
  )
  const wsEpoch = `${useObserved(wsDoc, () => wsDoc?.getEpoch() ?? 0)}:${useObserved(sessionSettled, () => sessionSettled?.getEpoch() ?? 0)}`
  const docEpoch = useObserved(docs, () => docs?.getEpoch() ?? 0)
  const [contentView, setView] = useState<'source' | 'preview' | 'both'>('source')
  // biome-ignore lint/correctness/useExhaustiveDependencies: the document's epoch is the change signal
  const text = useMemo(() => (contentView === 'source' ? '' : out.text()), [out, docEpoch, contentView])
  // While the source is shown, the preview is rendered when the page is idle: switching is then instant.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the document's epoch is the change signal
  useEffect(
    () => (contentView === 'source' ? preparePreview(() => out.text()) : undefined),
    [out, docEpoch, contentView],
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epochs are the change signals
  const model = useMemo(() => {
    const { input, derived } = deriveOutput(ws, out)
    return {
      meta: out.readMeta(),
      input,
      derived,
      view: reviewView(derived, input, memberId),
      canEdit: allowedActions(derived, input, memberId).edit,
      lock: contentLock(derived, input),
      since: lastReviewBy(derived, memberId),
      reviewer: {
        inReview: derived.phase === 'in_review',
        current: derived.assignment
          ? (ws.members.get(derived.assignment.assignee)?.name ?? derived.assignment.assignee)
          : null,
        currentId: derived.assignment?.assignee ?? null,
        ...reassignOptions(ws, input, derived, memberId),
      },
    }
  }, [ws, out, memberId, wsEpoch, docEpoch])

  // Opened from the board (Enter on a card): focus starts on the output's first control, not on
  // <body>, so the keyboard workflow goes on here.
  useEffect(() => {
    const active = document.activeElement
    if (active && active !== document.body && !active.classList.contains('ov-back')) return
    document.querySelector<HTMLElement>('main.ov .ov-back')?.focus()
  }, [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return
      // Escape inside a dialog (History, compare) closes that dialog only.
      if (document.querySelector('dialog[open]')) return
      e.preventDefault()
      onBack()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [onBack])

  // Threads follow the text once typing pauses (DocObservable), and then in a deferred render: the
  // editor maps its marks through each change at once, so keystrokes never wait for two hundred
  // anchors to resolve.
  const threadEpoch = useDeferredValue(docEpoch)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epochs are the change signals
  const threads = useMemo(() => deriveThreads(ws, out).threads, [ws, out, wsEpoch, threadEpoch])
  const [selection, setSelection] = useState<{ from: number; to: number } | string | null>(null)
  const [composing, setComposing] = useState<Composing | null>(null)
  const [activeThread, setActiveThread] = useState<string | null>(null)
  const [commentError, setCommentError] = useState<string | null>(null)
  const marks = useMemo<Mark[]>(
    () =>
      threads
        .filter((t) => t.status === 'open' && t.range)
        .map((t) => ({
          id: t.id,
          kind: t.kind,
          from: t.range!.from,
          to: t.range!.to,
          active: t.id === activeThread,
          ...(t.kind === 'suggestion' ? { replacement: t.replacement ?? '' } : {}),
        })),
    [threads, activeThread],
  )
  const previewMarks = useMemo(
    () =>
      marks.map((m) => ({
        id: m.id,
        kind: m.kind,
        from: m.from,
        words: text.slice(m.from, m.to),
        ...(m.replacement !== undefined ? { replacement: m.replacement } : {}),
      })),
    [marks, text],
  )
  const startComment = (mode: Composing['mode']) => {
    if (typeof selection === 'string') return setCommentError(selection)
    if (!selection) return setCommentError('Select the words first, in the source or the preview.')
    setCommentError(null)
    setComposing({ ...selection, quote: out.text().slice(selection.from, selection.to), mode })
  }

  // Back for another round: the view opens on what changed since this reviewer's last judgement.
  const [hideSince, setHideSince] = useState(false)
  const since =
    model.since && model.since.contentHash !== model.input.currentHash && !hideSince ? model.since : null
  // biome-ignore lint/correctness/useExhaustiveDependencies: the document's epoch is the change signal
  const sinceTexts = useMemo(
    () => (since ? { before: out.version(since.contentHash), now: out.text() } : null),
    [since?.contentHash, out, docEpoch],
  )
  const act = useCallback(
    (action: ReviewAction): Promise<Check> => {
      // Note the pending edits first, so the trail says which text the decision was about (the
      // host performs both, in the order asked).
      void recorder?.flush()
      // Approving here: the approver has this version open, and the approval says so.
      if (action.action === 'approve')
        return runCommand('approveOutput', ws, out, memberId, {
          ...(action.note !== undefined ? { note: action.note } : {}),
          viewed: out.hash(),
        })
      return onHost(ws, out, { name: 'perform', args: action })
    },
    [recorder, ws, out, memberId],
  )

  const rename = useCallback(
    (title: string): Check => renameOutput(ws, out, memberId, title),
    [ws, out, memberId],
  )

  if (!out.id)
    return (
      <main className="ov ov-state">
        <OutputStyles />
        <button type="button" className="ov-back" onClick={onBack}>
          ← Back to board
        </button>
        <p role="status">
          This output is not on this device yet. It will appear when the workspace syncs with the relay.
        </p>
      </main>
    )

  const members = model.input.members
  const commentRefused = commentRefusal(ws, memberId)
  const me = members.get(memberId)?.name ?? session.entry.name
  const locked = model.lock.locked
  const readOnly = !model.canEdit.ok || locked
  const shown =
    contentView === 'source'
      ? 'ov-shown-source'
      : contentView === 'preview'
        ? 'ov-shown-preview'
        : 'ov-shown-both'
  const { view } = model
  const showReasons =
    (view.state === 'changes_requested' || view.state === 'rejected') && view.reasons.length > 0
  return (
    <main className="ov">
      <OutputStyles />
      <OutputHeader
        meta={model.meta}
        view={view}
        authorName={members.get(model.meta.authorId)?.name ?? 'an unknown member'}
        readOnly={readOnly}
        onRename={rename}
        onBack={onBack}
      />
      <div className="ov-body">
        <section className="ov-main" aria-label="Content">
          {showReasons && (
            <div role="status" className={`ov-banner ov-banner-${view.state}`}>
              <strong>{view.state === 'rejected' ? 'Rejected:' : 'Changes requested:'}</strong>
              <ul>
                {view.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </div>
          )}
          {since && sinceTexts && (
            <ChangesSince
              before={sinceTexts.before}
              now={sinceTexts.now}
              round={since.round}
              carry={carryOverSentence(model.derived)}
              onClose={() => setHideSince(true)}
            />
          )}
          <RoundRules
            ws={ws}
            out={out}
            memberId={memberId}
            input={model.input}
            derived={model.derived}
            beforeAct={() => void recorder?.flush()}
          />
          {model.canEdit.ok && locked && (
            <LockBanner
              lock={model.lock}
              onUnlock={async () => {
                void recorder?.flush()
                const r = await runCommand('startNewVersion', ws, out, memberId, {})
                if (r.ok)
                  requestAnimationFrame(() =>
                    document.querySelector<HTMLElement>('main.ov .cm-content')?.focus(),
                  )
                return r
              }}
              onRestore={() =>
                model.lock.hash
                  ? onHost(ws, out, { name: 'restoreVersion', args: { hash: model.lock.hash } })
                  : Promise.resolve({ ok: false, reason: 'There is no approved version to go back to.' })
              }
            />
          )}
          {!model.canEdit.ok && <p className="ov-readonly">Read-only. {model.canEdit.reason}</p>}
          <fieldset className="ov-views">
            <legend className="visually-hidden">Show the content as</legend>
            {(
              [
                ['source', 'Source'],
                ['preview', 'Preview'],
                ['both', 'Side by side'],
              ] as const
            ).map(([id, name]) => (
              <button key={id} type="button" aria-pressed={contentView === id} onClick={() => setView(id)}>
                {name}
              </button>
            ))}
            <span className="ov-views-gap" />
            <button
              type="button"
              aria-disabled={selection && typeof selection !== 'string' && !commentRefused ? undefined : true}
              aria-describedby={commentError ? 'ov-comment-error' : undefined}
              // Keep the editor's selection: the button does not take focus on press.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => startComment('comment')}
            >
              Comment
            </button>
            <button
              type="button"
              aria-disabled={selection && typeof selection !== 'string' && !commentRefused ? undefined : true}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => startComment('suggest')}
            >
              Suggest change
            </button>
          </fieldset>
          {commentError && (
            <p id="ov-comment-error" role="alert" className="ov-message ov-message-error">
              {commentError}
            </p>
          )}
          <div className={`ov-content ${shown}`}>
            {/* The editor stays mounted (and its undo history with it) while only the preview shows. */}
            <div className="ov-source" hidden={contentView === 'preview'}>
              {undoManager && (
                <Editor
                  open={open}
                  memberId={memberId}
                  memberName={me}
                  undoManager={undoManager}
                  readOnly={readOnly}
                  label={`Content of ${model.meta.title}`}
                  marks={marks}
                  onSelect={setSelection}
                />
              )}
            </div>
            {contentView !== 'source' && (
              <Preview
                text={text}
                label={`Preview of ${model.meta.title}`}
                marks={previewMarks}
                onSelect={setSelection}
              />
            )}
          </div>
          <p className="ov-hint">
            Ctrl+Z undoes only your own edits. Tab leaves the editor; Escape goes back to the board.
          </p>
          <Comments
            threads={threads}
            nameOf={(id) => members.get(id)?.name ?? `unknown member ${id}`}
            refused={commentRefused}
            composing={composing}
            onCancel={() => setComposing(null)}
            onAdd={async (body, replacement) => {
              if (!composing) return { ok: false, reason: 'Select the words first.' }
              const { from, to } = composing
              const r = await (composing.mode === 'suggest'
                ? runCommand('suggestChange', ws, out, memberId, {
                    from,
                    to,
                    replacement: replacement ?? '',
                    body,
                  })
                : runCommand('addComment', ws, out, memberId, { from, to, body }))
              if (r.ok) setComposing(null)
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
            active={activeThread}
            onPick={setActiveThread}
          />
          <HistoryButton
            ws={ws}
            out={out}
            memberId={memberId}
            input={model.input}
            derived={model.derived}
            beforeRestore={() => void recorder?.flush()}
          />
        </section>
        <ReviewPanel
          view={view}
          onAct={act}
          reviewer={model.reviewer}
          onAssign={(assignee) => onHost(ws, out, { name: 'assignReviewer', args: { assignee } })}
          threadReasons={threadReasons(threads)}
          pointAt={
            selection && typeof selection !== 'string' ? out.text().slice(selection.from, selection.to) : null
          }
          onPoint={(body) =>
            selection && typeof selection !== 'string'
              ? runCommand('addComment', ws, out, memberId, { ...selection, body })
              : Promise.resolve({ ok: false, reason: 'Select the words first.' })
          }
        />
      </div>
    </main>
  )
})
