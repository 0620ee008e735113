import { Compartment, EditorState, Prec } from '@codemirror/state'
import { EditorView, keymap } from '@codemirror/view'
import { useEffect, useMemo, useRef } from 'react'
import type * as Y from 'yjs'
import type { OpenOutput } from '../data/session.ts'
import { useObservedValue } from '../state/observable.ts'
import {
  announce,
  editorExtensions,
  labelExtension,
  readOnlyExtension,
  standaloneAwareness,
} from './collab.ts'
import { commentMarks, commentTheme, type Mark, setMarks } from './comment-marks.ts'

interface Props {
  open: OpenOutput
  memberId: string
  memberName: string
  undoManager: Y.UndoManager
  readOnly: boolean
  label: string
  /** Highlights of the open comment threads, placed from their anchors. */
  marks?: readonly Mark[]
  /** The selected range of the content (null when nothing is selected), as it changes. */
  onSelect?: (range: { from: number; to: number } | null) => void
  /** Ctrl+Alt+M (comment) or Ctrl+Alt+S (suggest a change) pressed in the editor. */
  onCommentKey?: (mode: 'comment' | 'suggest') => void
}

/** The output's content as collaborative text. */
export function Editor({
  open,
  memberId,
  memberName,
  undoManager,
  readOnly,
  label,
  marks,
  onSelect,
  onCommentKey,
}: Props) {
  const host = useRef<HTMLDivElement>(null)
  const viewRef = useRef<EditorView | null>(null)
  // Read-only and the label change without rebuilding the view (which would drop focus and selection).
  const initial = useRef({ readOnly, label, marks })
  initial.current = { readOnly, label, marks }
  const select = useRef(onSelect)
  select.current = onSelect
  const commentKey = useRef(onCommentKey)
  commentKey.current = onCommentKey
  /** The selection last reported, as "from:to" ('' for none). */
  const reported = useRef('')
  const compartment = useMemo(() => new Compartment(), [])
  const labelCompartment = useMemo(() => new Compartment(), [])
  // Presence (through the host, or a relay connection of the window's own) comes once the
  // document is linked, and may change (work offline on a page without a host): rebind the
  // cursors when it does. By identity: the document's sync state changes with every keystroke,
  // its presence does not.
  const presence = useObservedValue(open.sync, () => open.sync.presence)
  const awareness = useMemo(
    () => presence ?? standaloneAwareness(open.output.doc),
    [presence, open.output.doc],
  )

  useEffect(() => {
    if (!presence) return () => awareness.destroy()
    return undefined
  }, [presence, awareness])

  useEffect(() => {
    announce(awareness, memberId, memberName)
  }, [awareness, memberId, memberName])

  useEffect(() => {
    const parent = host.current
    if (!parent) return
    const view = new EditorView({
      parent,
      state: EditorState.create({
        doc: open.output.text(),
        extensions: editorExtensions({
          text: open.output.content,
          awareness,
          undoManager,
          readOnly: compartment.of(readOnlyExtension(initial.current.readOnly)),
          label: labelCompartment.of(labelExtension(initial.current.label)),
        }).concat([
          commentMarks,
          commentTheme,
          // Comment on the selected words without leaving the editor for the buttons above it.
          Prec.highest(
            keymap.of(
              (['comment', 'suggest'] as const).map((mode) => ({
                key: mode === 'comment' ? 'Mod-Alt-m' : 'Mod-Alt-s',
                run: () => {
                  if (!commentKey.current) return false
                  commentKey.current(mode)
                  return true
                },
              })),
            ),
          ),
          EditorView.updateListener.of((u) => {
            if (!u.selectionSet && !u.docChanged) return
            const { from, to } = u.state.selection.main
            // Typing moves an empty selection: nothing to tell, and telling would re-render the
            // whole output view once per keystroke.
            const key = from < to ? `${from}:${to}` : ''
            if (key === reported.current) return
            reported.current = key
            select.current?.(from < to ? { from, to } : null)
          }),
        ]),
      }),
    })
    if (initial.current.marks) view.dispatch({ effects: setMarks.of(initial.current.marks) })
    viewRef.current = view
    return () => {
      viewRef.current = null
      view.destroy()
      // The next view starts with nothing selected.
      if (reported.current) select.current?.(null)
      reported.current = ''
      // Leave no ghost cursor behind for the others.
      awareness.setLocalStateField('cursor', null)
    }
  }, [open, awareness, undoManager, compartment, labelCompartment])

  useEffect(() => {
    viewRef.current?.dispatch({ effects: compartment.reconfigure(readOnlyExtension(readOnly)) })
  }, [readOnly, compartment])

  useEffect(() => {
    if (marks) viewRef.current?.dispatch({ effects: setMarks.of(marks) })
  }, [marks])

  useEffect(() => {
    viewRef.current?.dispatch({ effects: labelCompartment.reconfigure(labelExtension(label)) })
  }, [label, labelCompartment])

  return <div className="ov-editor" ref={host} />
}
