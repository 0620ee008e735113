/** The board's read of every summary row: the same array until a row changes, read again only then. */
import { describe, expect, it } from 'vitest'
import { readSummaries } from '../../../../renderer/src/board/summaries.ts'
import { localOrigin } from '../../../../shared/domain/index.ts'
import { setup } from '../../domain/fixture.ts'

describe('the board reads the summary rows', () => {
  it('keeps the same array through changes elsewhere, and reads anew when a row changes', () => {
    const { ws } = setup()
    const first = readSummaries(ws)
    expect(first.length).toBeGreaterThan(0)
    const row = first[0]!
    // A change that is not a row (the workspace's name): the same array, rows not read again.
    let reads = 0
    const allSummaries = ws.allSummaries.bind(ws)
    ws.allSummaries = () => {
      reads++
      return allSummaries()
    }
    ws.setName(localOrigin('alice'), 'Renamed')
    expect(readSummaries(ws)).toBe(first)
    expect(reads).toBe(0)
    // A row replaced: a new array with the new row.
    ws.transact(localOrigin('alice'), () => ws.putSummary({ ...row, title: 'A new title' }))
    const second = readSummaries(ws)
    expect(reads).toBe(1)
    expect(second).not.toBe(first)
    expect(second.find((s) => s.id === row.id)?.title).toBe('A new title')
    // A row removed.
    ws.transact(localOrigin('alice'), () => ws.summaries.delete(row.id))
    expect(readSummaries(ws).some((s) => s.id === row.id)).toBe(false)
    // Bidi overrides are still taken out of titles shown on the board.
    ws.transact(localOrigin('alice'), () => ws.putSummary({ ...row, title: 'Invoice \u202Efdp.exe' }))
    expect(readSummaries(ws).find((s) => s.id === row.id)?.title).toBe('Invoice fdp.exe')
  })
})
