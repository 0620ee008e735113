/** The batch that hands a document's changes on after the frame: merged, in order, one origin each. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { UpdateBatch } from '../../../../renderer/src/data/update-batch.ts'

describe('UpdateBatch', () => {
  it('merges what waits into one update, keeps origins apart and in order, and flushes on demand', () => {
    const doc = new Y.Doc()
    const out: [string, unknown][] = []
    const batch = new UpdateBatch((update, origin) => {
      const copy = new Y.Doc()
      Y.applyUpdate(copy, update)
      out.push([copy.getText('t').toString(), origin])
    })
    doc.on('update', batch.add)
    const text = doc.getText('t')
    text.insert(0, 'a')
    text.insert(1, 'b')
    expect(batch.pending).toBe(true)
    doc.transact(() => text.insert(2, 'c'), 'remote')
    // Another origin hands on what waited first.
    expect(out).toEqual([['ab', null]])
    batch.flush()
    expect(out[1]?.[1]).toBe('remote')
    expect(batch.pending).toBe(false)
    batch.flush()
    expect(out).toHaveLength(2)
  })

  it('hands on by itself after a frame, or without one after a short wait', async () => {
    const got: Uint8Array[] = []
    const batch = new UpdateBatch((u) => got.push(u))
    const doc = new Y.Doc()
    doc.on('update', batch.add)
    doc.getMap('m').set('k', 1)
    expect(got).toHaveLength(0)
    await new Promise((r) => setTimeout(r, 80))
    expect(got).toHaveLength(1)
  })
})

describe('batches waiting for a frame', () => {
  it('share one wait, each hands on its own changes, and one that throws keeps none of the others back', async () => {
    const got: string[] = []
    const first = new UpdateBatch(() => got.push('first'))
    const broken = new UpdateBatch(() => {
      throw new Error('storage gone')
    })
    const last = new UpdateBatch(() => got.push('last'))
    const doc = new Y.Doc()
    for (const b of [first, broken, last]) doc.on('update', b.add)
    const thrown: unknown[] = []
    const onError = (err: unknown) => thrown.push(err)
    process.on('uncaughtException', onError)
    try {
      doc.getMap('m').set('k', 1)
      await new Promise((r) => setTimeout(r, 80))
      expect(got).toEqual(['first', 'last'])
      expect(String(thrown[0])).toContain('storage gone')
      // The next change waits afresh and goes out once.
      doc.getMap('m').set('k', 2)
      await new Promise((r) => setTimeout(r, 80))
      expect(got).toEqual(['first', 'last', 'first', 'last'])
    } finally {
      process.off('uncaughtException', onError)
    }
  })
})
