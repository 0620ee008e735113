/**
 * Comment highlights in the source editor: one mark per open thread over the words its anchor
 * resolves to, each an element with `data-comment-id`. The marks follow local edits at once
 * (mapped through each change) and are replaced from the Yjs anchors whenever the threads change,
 * so what shows is always where the relative positions say the words are.
 */
import { StateEffect, StateField } from '@codemirror/state'
import { Decoration, type DecorationSet, EditorView } from '@codemirror/view'

export interface Mark {
  id: string
  from: number
  to: number
  kind: 'comment' | 'suggestion'
  /** The thread the person has picked in the panel. */
  active?: boolean
}

export const setMarks = StateEffect.define<readonly Mark[]>()

function build(marks: readonly Mark[], length: number): DecorationSet {
  const ranges = marks
    .filter((m) => m.from < m.to && m.to <= length)
    .sort((a, b) => a.from - b.from || a.to - b.to)
    .map((m) =>
      Decoration.mark({
        class: `cm-comment cm-comment-${m.kind}${m.active ? ' cm-comment-active' : ''}`,
        attributes: { 'data-comment-id': m.id },
      }).range(m.from, m.to),
    )
  return Decoration.set(ranges, true)
}

export const commentMarks = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    let next = value.map(tr.changes)
    for (const e of tr.effects) if (e.is(setMarks)) next = build(e.value, tr.state.doc.length)
    return next
  },
  provide: (f) => EditorView.decorations.from(f),
})

export const commentTheme = EditorView.baseTheme({
  '.cm-comment': { backgroundColor: '#fff3b0', borderBottom: '2px solid #d4a72c' },
  '.cm-comment-suggestion': { backgroundColor: '#e2f5e9', borderBottom: '2px dashed #2da44e' },
  '.cm-comment-active': { backgroundColor: '#ffd866' },
})
