/**
 * The y-indexeddb internals renderer/src/data/idb-internals.ts relies on. Node has no IndexedDB,
 * so the library's own source is read: this fails when an upgrade renames or reshapes them.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readAfter, storeAfterFrame, unstored } from '../../../../renderer/src/data/idb-internals.ts'

const require = createRequire(import.meta.url)
const root = dirname(require.resolve('y-indexeddb/package.json'))
const source = readFileSync(join(root, 'src/y-indexeddb.js'), 'utf8')

describe('y-indexeddb internals', () => {
  it('its read cursor is `_dbref`, a number set in the constructor and read by the first fetch', () => {
    expect(source).toMatch(/this\._dbref = 0/)
    expect(source).toMatch(/idb\.createIDBKeyRangeLowerBound\(idbPersistence\._dbref, false\)/)
    // The first fetch waits for the database to open, after the constructor returned.
    expect(source).toMatch(/this\._db\.then\(db => \{[\s\S]*fetchUpdates\(this, beforeApplyUpdatesCallback/)
  })

  it('its store listener is `_storeUpdate`, registered on the document as an update listener', () => {
    expect(source).toMatch(/this\._storeUpdate = \(update, origin\) => \{/)
    expect(source).toMatch(/doc\.on\('update', this\._storeUpdate\)/)
  })

  it('the adapters act on a persistence shaped that way, and leave any other alone', () => {
    const doc = new Y.Doc()
    const stored: Uint8Array[] = []
    const storeUpdate = (u: Uint8Array) => stored.push(u)
    doc.on('update', storeUpdate)
    const fake = { _dbref: 0, _storeUpdate: storeUpdate } as never
    expect(readAfter(fake, 41)).toBe(true)
    expect((fake as { _dbref: number })._dbref).toBe(42)
    unstored(fake, doc, () => doc.getMap('m').set('loaded', 1))
    expect(stored).toHaveLength(0)
    doc.getMap('m').set('edited', 1)
    expect(stored).toHaveLength(1)
    expect(readAfter({} as never, 41)).toBe(false)
    let ran = false
    unstored({} as never, doc, () => (ran = true))
    expect(ran).toBe(true)
  })

  it('stores changes merged after the frame, never what y-indexeddb itself read, and all of it on stop', async () => {
    const doc = new Y.Doc()
    const stored: [Uint8Array, unknown][] = []
    const storeUpdate = (u: Uint8Array, origin: unknown) => stored.push([u, origin])
    doc.on('update', storeUpdate)
    const fake = { _storeUpdate: storeUpdate } as never
    const storing = storeAfterFrame(fake, doc)!
    const text = doc.getText('t')
    for (const ch of 'abc') text.insert(text.length, ch)
    doc.transact(() => text.insert(0, '>'), fake)
    expect(stored).toHaveLength(0)
    expect(storing.batch.pending).toBe(true)
    // No frame in Node: the batch goes after its wait without one, as one update.
    await new Promise((r) => setTimeout(r, 80))
    expect(stored).toHaveLength(1)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, stored[0]![0])
    expect(copy.getText('t').toString()).toBe('abc')
    text.insert(3, '!')
    storing.stop()
    expect(stored).toHaveLength(2)
    text.insert(0, 'after stop ')
    await new Promise((r) => setTimeout(r, 80))
    expect(stored).toHaveLength(2)
    expect(storeAfterFrame({} as never, doc)).toBeNull()
  })
})
