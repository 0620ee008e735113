import './output.css'
import { memo, useCallback, useEffect, useMemo, useState } from 'react'
import type { ReviewAction } from '../../../shared/domain/actions.ts'
import { renameOutput } from '../../../shared/domain/actions.ts'
import { commentRefusal, threadReasons } from '../../../shared/domain/comments.ts'
import type { Check } from '../../../shared/domain/derive.ts'
import { useModel } from '../app/context.tsx'
import { onHost } from '../data/host-commands.ts'
import type { OpenOutput, WorkspaceSession } from '../data/session.ts'
import { HistoryButton } from '../trace/History.tsx'
import { useUi } from '../ui/store.ts'
import { CommentsSection, ContentArea, type ContentView } from './ContentArea.tsx'
import { runCommand } from './commands.ts'
import { OutputHeader } from './OutputHeader.tsx'
import { OutputNotices } from './OutputNotices.tsx'
import type { OutputScope } from './output-scope.ts'
import { preparePreview } from './Preview.tsx'
import { ReviewPanel } from './ReviewPanel.tsx'
import { useCommentState } from './use-comment-state.ts'
import { useOutputModel } from './use-output-model.ts'

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
  const { undoManager, recorder, wsEpoch, docEpoch, model } = useOutputModel(session, open)
  const profileName = useModel().profile?.name ?? 'A member'
  const [contentView, setView] = useState<ContentView>('source')
  // biome-ignore lint/correctness/useExhaustiveDependencies: the document's epoch is the change signal
  const text = useMemo(() => (contentView === 'source' ? '' : out.text()), [out, docEpoch, contentView])
  // While the source is shown, the preview is rendered when the page is idle: switching is then instant.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the document's epoch is the change signal
  useEffect(
    () => (contentView === 'source' ? preparePreview(() => out.text()) : undefined),
    [out, docEpoch, contentView],
  )
  useOutputKeys(onBack)
  const comments = useCommentState(ws, out, wsEpoch, docEpoch, text)
  const { selection } = comments

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
  const assign = useCallback(
    (assignee: string) => onHost(ws, out, { name: 'assignReviewer', args: { assignee } }),
    [ws, out],
  )
  const reasons = useMemo(() => threadReasons(comments.threads), [comments.threads])
  const picked = selection && typeof selection !== 'string' ? selection : null
  const [pickFrom, pickTo] = picked ? [picked.from, picked.to] : [-1, -1]
  // biome-ignore lint/correctness/useExhaustiveDependencies: the document's epoch is the change signal
  const pointAt = useMemo(
    () => (pickFrom >= 0 ? out.text().slice(pickFrom, pickTo) : null),
    [out, pickFrom, pickTo, docEpoch],
  )
  const point = useCallback(
    (body: string) =>
      pickFrom >= 0
        ? runCommand('addComment', ws, out, memberId, { from: pickFrom, to: pickTo, body })
        : Promise.resolve({ ok: false as const, reason: 'Select the words first.' }),
    [ws, out, memberId, pickFrom, pickTo],
  )
  const rename = useCallback(
    (title: string): Check => renameOutput(ws, out, memberId, title),
    [ws, out, memberId],
  )

  if (!out.id)
    return (
      <main className="ov ov-state">
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
  const nameOf = (id: string) => members.get(id)?.name ?? `unknown member ${id}`
  const readOnly = !model.canEdit.ok || model.lock.locked
  const scope: OutputScope = { ws, out, memberId }
  // Note the pending edits first, so the trail names the text an action was about.
  const flush = () => void recorder?.flush()
  return (
    <main className="ov">
      <OutputHeader
        meta={model.meta}
        view={model.view}
        authorName={members.get(model.meta.authorId)?.name ?? 'an unknown member'}
        readOnly={readOnly}
        onRename={rename}
        onBack={onBack}
      />
      <div className="ov-body">
        <section className="ov-main" aria-label="Content">
          <OutputNotices {...scope} model={model} docEpoch={docEpoch} flush={flush} />
          <ContentArea
            open={open}
            memberId={memberId}
            // Before the member row has synced: the person's own name, never the workspace's.
            memberName={members.get(memberId)?.name ?? profileName}
            title={model.meta.title}
            undoManager={undoManager}
            readOnly={readOnly}
            contentView={contentView}
            setView={setView}
            text={text}
            comments={comments}
            commentRefused={commentRefused}
          />
          <CommentsSection
            {...scope}
            comments={comments}
            nameOf={nameOf}
            refused={commentRefused}
            recorder={recorder}
          />
          <HistoryButton {...scope} input={model.input} derived={model.derived} noteEdits={flush} />
        </section>
        <ReviewPanel
          view={model.view}
          onAct={act}
          reviewer={model.reviewer}
          onAssign={assign}
          threadReasons={reasons}
          pointAt={pointAt}
          onPoint={point}
          draftKey={out.id}
        />
      </div>
    </main>
  )
})

/** Focus on the output's first control when opened from the board; Escape goes back. */
function useOutputKeys(onBack: () => void) {
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
      // Words typed into a field (a reason, a note, a reply) are not thrown away by leaving: the
      // first Escape leaves the field, keeping them; the next goes back to the board.
      if (typedInto(e.target)) return (e.target as HTMLElement).blur()
      onBack()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [onBack])
}

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'number', 'password'])

/** A form field holding words the person typed, which leaving the output would lose. */
function typedInto(target: EventTarget | null): boolean {
  const typed =
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type))
  return typed && !target.readOnly && target.value.trim() !== ''
}
