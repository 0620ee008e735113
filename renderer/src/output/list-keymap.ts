/**
 * Enter in a Markdown list or quote continues it: the next line gets the same marker (a numbered
 * item the next number, a task item an open box), and Enter on an item left empty ends the list.
 * Written on the line's text alone: the editor keeps no Markdown parse (nothing else used it, and
 * re-parsing 50 KB up to the view cost a few milliseconds on every keystroke).
 */
import { EditorSelection, type StateCommand } from '@codemirror/state'

const ITEM = /^(\s*(?:>\s?)*)(?:([-*+])|(\d{1,9})([.)]))(\s+)(\[[ xX]\]\s+)?/
const QUOTE = /^(\s*(?:>\s?)+)/

export const continueMarkdownList: StateCommand = ({ state, dispatch }) => {
  const range = state.selection.main
  if (state.selection.ranges.length > 1 || !range.empty || state.readOnly) return false
  const line = state.doc.lineAt(range.head)
  const item = ITEM.exec(line.text)
  const quote = item ? null : QUOTE.exec(line.text)
  const prefix = item?.[0] ?? quote?.[0]
  // Only at the end of the marker or after it: Enter inside the marker itself is an ordinary Enter.
  if (!prefix || range.head - line.from < prefix.length) return false
  if (line.text.slice(prefix.length).trim() === '' && range.head === line.to) {
    // An empty item (or quote line): Enter ends the list instead of adding another empty one.
    dispatch(
      state.update({
        changes: { from: line.from, to: line.to, insert: '' },
        scrollIntoView: true,
        userEvent: 'delete',
      }),
    )
    return true
  }
  let next = prefix
  if (item) {
    const [, lead = '', bullet, number, delim = '.', space = ' ', box] = item
    const marker = bullet ?? `${Number(number) + 1}${delim}`
    next = `${lead}${marker}${space}${box ? '[ ] ' : ''}`
  }
  const insert = `${state.lineBreak}${next}`
  dispatch(
    state.update({
      changes: { from: range.head, insert },
      selection: EditorSelection.cursor(range.head + insert.length),
      scrollIntoView: true,
      userEvent: 'input',
    }),
  )
  return true
}
