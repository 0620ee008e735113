import { EditorSelection, EditorState, type Transaction } from '@codemirror/state'
import { describe, expect, it } from 'vitest'
import { continueMarkdownList } from '../../../../renderer/src/output/list-keymap.ts'

/** Enter at `at` (default: the end) of `doc`: the text and cursor after, or null when not handled. */
function enter(doc: string, at = doc.length): { text: string; cursor: number } | null {
  let state = EditorState.create({ doc, selection: EditorSelection.cursor(at) })
  const handled = continueMarkdownList({
    state,
    dispatch: (tr: Transaction) => {
      state = tr.state
    },
  })
  return handled ? { text: state.doc.toString(), cursor: state.selection.main.head } : null
}

describe('Enter in a Markdown list', () => {
  it('continues bullets, numbers, task boxes and quotes', () => {
    expect(enter('- one')).toEqual({ text: '- one\n- ', cursor: 8 })
    expect(enter('  * nested')?.text).toBe('  * nested\n  * ')
    expect(enter('9. nine')?.text).toBe('9. nine\n10. ')
    expect(enter('1) first')?.text).toBe('1) first\n2) ')
    expect(enter('- [x] done')?.text).toBe('- [x] done\n- [ ] ')
    expect(enter('> quoted')?.text).toBe('> quoted\n> ')
    expect(enter('> - in a quote')?.text).toBe('> - in a quote\n> - ')
  })

  it('splits an item in the middle, and ends the list on an empty item', () => {
    expect(enter('- one two', 6)).toEqual({ text: '- one \n- two', cursor: 9 })
    expect(enter('- one\n- ')).toEqual({ text: '- one\n', cursor: 6 })
    expect(enter('> ')).toEqual({ text: '', cursor: 0 })
  })

  it('leaves every other line to the ordinary Enter', () => {
    expect(enter('plain text')).toBeNull()
    expect(enter('-not a list')).toBeNull()
    expect(enter('# Heading')).toBeNull()
    expect(enter('- one', 1)).toBeNull()
  })
})
