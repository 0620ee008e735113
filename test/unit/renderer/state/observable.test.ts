/** Lists read whole from a document stay the same array while their rows are the same. */
import { describe, expect, it } from 'vitest'
import { keepSameRows } from '../../../../renderer/src/state/observable.ts'

describe('rows kept while they are the same', () => {
  it('keeps the first array for equal rows read afresh, and takes a changed list', () => {
    const read = (risk: string) => [
      { id: 't1', name: 'Blog post', risk, checklist: ['Sources cited'] },
      { id: 't2', name: 'Price note', risk: 'high', checklist: [] },
    ]
    const first = keepSameRows(null, read('low'))
    const again = keepSameRows(first, read('low'))
    expect(again).toBe(first)
    expect(again.rows).toBe(first.rows)
    const changed = keepSameRows(again, read('medium'))
    expect(changed.rows).not.toBe(first.rows)
    expect(changed.rows[0]?.risk).toBe('medium')
    // A row gone, or the order changed, is a change too.
    expect(keepSameRows(changed, read('medium').slice(0, 1)).rows).toHaveLength(1)
    expect(keepSameRows(changed, read('medium').reverse()).rows[0]?.id).toBe('t2')
  })
})
