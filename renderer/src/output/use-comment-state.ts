/**
 * The comment side of the output view: the threads (following the text once typing pauses, then
 * in a deferred render), their highlights in the source and the preview, the selection they
 * start from, and the thread being written.
 */
import { useDeferredValue, useMemo, useRef, useState } from 'react'
import { deriveThreads } from '../../../shared/domain/comments.ts'
import type { OutputDoc } from '../../../shared/domain/output.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'
import type { Composing } from './Comments.tsx'
import type { Mark } from './comment-marks.ts'

export type Selection = { from: number; to: number } | string | null

export function useCommentState(
  ws: Workspace,
  out: OutputDoc,
  wsEpoch: string,
  docEpoch: number,
  text: string,
) {
  // The editor maps its marks through each change at once, so keystrokes never wait for two
  // hundred anchors to resolve.
  const threadEpoch = useDeferredValue(docEpoch)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epochs are the change signals
  const threads = useMemo(() => deriveThreads(ws, out).threads, [ws, out, wsEpoch, threadEpoch])
  const [selection, setSelection] = useState<Selection>(null)
  const [composing, setComposing] = useState<Composing | null>(null)
  const [activeThread, setActiveThread] = useState<string | null>(null)
  const [commentError, setCommentError] = useState<string | null>(null)
  // The same marks as before keep their identity: the editor then keeps its decorations (it has
  // mapped them through the edits already) and the preview its highlights.
  const lastMarks = useRef<{ key: string; marks: Mark[] }>({ key: '[]', marks: [] })
  const marks = useMemo<Mark[]>(() => {
    const next: Mark[] = threads
      .filter((t) => t.status === 'open' && t.range)
      .map((t) => ({
        id: t.id,
        kind: t.kind,
        from: t.range!.from,
        to: t.range!.to,
        active: t.id === activeThread,
        ...(t.kind === 'suggestion' ? { replacement: t.replacement ?? '' } : {}),
      }))
    const key = JSON.stringify(next)
    if (key !== lastMarks.current.key) lastMarks.current = { key, marks: next }
    return lastMarks.current.marks
  }, [threads, activeThread])
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
  /** Where the focus was when the composer opened (the editor, or a button): it goes back there. */
  const returnFocus = useRef<HTMLElement | null>(null)
  const startComment = (mode: Composing['mode']) => {
    if (typeof selection === 'string') return setCommentError(selection)
    if (!selection) return setCommentError('Select the words first, in the source or the preview.')
    setCommentError(null)
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    setComposing({ ...selection, quote: out.text().slice(selection.from, selection.to), mode })
  }
  /** The comment added or cancelled: the keyboard goes on from where it started. */
  const closeComposer = () => {
    setComposing(null)
    const back = returnFocus.current
    returnFocus.current = null
    if (back) requestAnimationFrame(() => back.isConnected && back.focus())
  }
  return {
    threads,
    marks,
    previewMarks,
    selection,
    setSelection,
    composing,
    setComposing,
    activeThread,
    setActiveThread,
    commentError,
    startComment,
    closeComposer,
  }
}

export type CommentState = ReturnType<typeof useCommentState>
