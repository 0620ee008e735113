import { describe, expect, it } from 'vitest'
import { YSyncConfig } from 'y-codemirror.next'
import * as Y from 'yjs'
import { createUndoManager } from '../../../../renderer/src/output/collab.ts'
import { localOrigin, REMOTE } from '../../../../shared/domain/origins.ts'

/**
 * The editor writes through y-codemirror.next, which transacts with its YSyncConfig as origin and
 * registers that config as a tracked origin of the undo manager it is given (y-undomanager.js).
 * This reproduces that contract without a DOM: undo must take back this member's edits only.
 */
function setup() {
  const doc = new Y.Doc()
  const text = doc.getText('content')
  text.insert(0, 'base')
  const undo = createUndoManager(text, 'ada')
  const sync = new YSyncConfig(text, null)
  undo.addTrackedOrigin(sync)
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
  const fromPeer = (fn: (t: Y.Text) => void) => {
    const before = Y.encodeStateVector(doc)
    fn(peer.getText('content'))
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, before), REMOTE)
  }
  return { doc, text, undo, sync, fromPeer }
}

describe('undo in the editor', () => {
  it("undoes this member's typing but keeps a peer's concurrent edits", () => {
    const { doc, text, undo, sync, fromPeer } = setup()
    doc.transact(() => text.insert(4, ' mine'), sync)
    undo.stopCapturing()
    fromPeer((t) => t.insert(0, 'theirs '))
    expect(text.toString()).toBe('theirs base mine')
    undo.undo()
    expect(text.toString()).toBe('theirs base')
    expect(undo.undoStack).toHaveLength(0)
    undo.redo()
    expect(text.toString()).toBe('theirs base mine')
  })

  it("tracks this member's other local writes but not another member's local origin or the loader", () => {
    const { doc, text, undo } = setup()
    doc.transact(() => text.insert(0, '1'), localOrigin('ada'))
    undo.stopCapturing()
    doc.transact(() => text.insert(0, '2'), localOrigin('bob'))
    doc.transact(() => text.insert(0, '3'), 'indexeddb')
    undo.undo()
    expect(text.toString()).toBe('32base')
    expect(undo.undo()).toBeNull()
  })
})
