import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { hasPending, pendingOf } from '../../../sync-server/yjs-internals.ts'

describe('pendingOf (the adapter over Yjs private fields)', () => {
  it('sees structs and deletes Yjs could not integrate yet', () => {
    const a = new Y.Doc()
    a.getText('t').insert(0, 'ab')
    const first = Y.encodeStateAsUpdate(a)
    a.getText('t').insert(2, 'c')
    const second = Y.encodeStateAsUpdate(a, Y.encodeStateVector(docWith(first)))
    a.getText('t').delete(0, 1)
    const del = Y.encodeStateAsUpdate(a, Y.encodeStateVector(a))

    const b = new Y.Doc()
    expect(hasPending(b)).toBe(false)
    Y.applyUpdate(b, second) // builds on `first`, which b lacks
    expect(pendingOf(b).structs).toBeInstanceOf(Uint8Array)
    Y.applyUpdate(b, first)
    expect(hasPending(b)).toBe(false)

    const c = new Y.Doc()
    Y.applyUpdate(c, del) // deletes what c lacks
    expect(pendingOf(c).deletes).toBeInstanceOf(Uint8Array)
  })
})

function docWith(update: Uint8Array): Y.Doc {
  const d = new Y.Doc()
  Y.applyUpdate(d, update)
  return d
}
