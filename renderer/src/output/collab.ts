/**
 * The collaborative editor's wiring: CodeMirror bound to the output's Y.Text, other members'
 * cursors through awareness, and undo that undoes only this person's edits.
 */
import { defaultKeymap } from '@codemirror/commands'
import { EditorState, type Extension } from '@codemirror/state'
import { EditorView, keymap, placeholder } from '@codemirror/view'
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { localOrigin } from '../../../shared/domain/origins.ts'
import { continueMarkdownList } from './list-keymap.ts'
import { memberColor } from './member-color.ts'

/**
 * Undo scoped to this member. y-codemirror.next writes the editor's changes with its YSyncConfig
 * as origin and adds that config to the tracked origins when the editor mounts; the member's
 * local origin covers their other writes to the text. Remote updates (provider, IndexedDB) carry
 * other origins, so they are never undone here.
 */
export function createUndoManager(text: Y.Text, memberId: string): Y.UndoManager {
  return new Y.UndoManager(text, {
    trackedOrigins: new Set<unknown>([localOrigin(memberId)]),
    captureTimeout: 500,
  })
}

/** Tell the others who is typing: a name and a colour per member. */
export function announce(awareness: Awareness, memberId: string, name: string): void {
  awareness.setLocalStateField('user', { name, memberId, ...memberColor(memberId) })
}

/** An awareness of our own when there is no provider (local-only or offline): cursors stay local. */
export function standaloneAwareness(doc: Y.Doc): Awareness {
  return new Awareness(doc)
}

export interface EditorOptions {
  text: Y.Text
  awareness: Awareness
  undoManager: Y.UndoManager
  readOnly: Extension
  label: Extension
}

export function editorExtensions(o: EditorOptions): Extension[] {
  return [
    // The y-undo keymap first, so Mod-z is this member's undo. No indentWithTab: Tab must leave
    // the editor for keyboard users.
    keymap.of([...yUndoManagerKeymap, { key: 'Enter', run: continueMarkdownList }, ...defaultKeymap]),
    EditorView.lineWrapping,
    placeholder('Write or paste the output here…'),
    o.label,
    o.readOnly,
    yCollab(o.text, o.awareness, { undoManager: o.undoManager }),
  ]
}

/** The editor's accessible name (CodeMirror's content element is the textbox). */
export function labelExtension(label: string): Extension {
  return EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' })
}

export function readOnlyExtension(readOnly: boolean): Extension {
  return [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]
}
