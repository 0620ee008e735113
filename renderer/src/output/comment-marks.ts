/**
 * Comment highlights in the source editor: one mark per open thread over the words its anchor
 * resolves to, each an element with `data-comment-id`. The marks follow local edits at once
 * (mapped through each change) and are replaced from the Yjs anchors whenever the threads change,
 * so what shows is always where the relative positions say the words are.
 */
import { StateEffect, StateField } from '@codemirror/state'
import { Decoration, type DecorationSet, EditorView, WidgetType } from '@codemirror/view'

export interface Mark {
  id: string
  from: number
  to: number
  kind: 'comment' | 'suggestion'
  /** The thread the person has picked in the panel. */
  active?: boolean
  /** A suggestion's replacement, shown inline after the words it would replace. */
  replacement?: string
}

/** The replacement of a suggestion, inline: read as proposed text, never part of the document. */
class Replacement extends WidgetType {
  readonly text: string
  constructor(text: string) {
    super()
    this.text = text
  }
  override eq(other: Replacement): boolean {
    return other.text === this.text
  }
  toDOM(): HTMLElement {
    const el = document.createElement('ins')
    el.className = 'cm-suggestion-insert'
    el.textContent = this.text
    el.title = 'Suggested replacement'
    return el
  }
}

export const setMarks = StateEffect.define<readonly Mark[]>()

function build(marks: readonly Mark[], length: number): DecorationSet {
  const ranges = marks
    .filter((m) => m.from < m.to && m.to <= length)
    .flatMap((m) => {
      const mark = Decoration.mark({
        class: `cm-comment cm-comment-${m.kind}${m.active ? ' cm-comment-active' : ''}`,
        attributes: { 'data-comment-id': m.id },
      }).range(m.from, m.to)
      if (m.replacement === undefined) return [mark]
      return [mark, Decoration.widget({ widget: new Replacement(m.replacement), side: 1 }).range(m.to)]
    })
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
  '.cm-comment-suggestion': { backgroundColor: '#ffebe9', textDecoration: 'line-through' },
  '.cm-suggestion-insert': {
    backgroundColor: '#dafbe1',
    color: '#0f4d22',
    textDecoration: 'underline',
    marginLeft: '2px',
  },
  '.cm-comment-active': { backgroundColor: '#ffd866' },
})
