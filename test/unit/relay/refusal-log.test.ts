import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeRefusalLog } from '../../../sync-server/refusal-log.ts'

afterEach(() => vi.useRealTimers())

describe('refusal log', () => {
  it('logs code, document, member and token id, and at most 20 lines per 10 s plus a count of the rest', () => {
    vi.useFakeTimers()
    vi.setSystemTime(1_000_000)
    const lines: string[] = []
    const refused = makeRefusalLog((l) => lines.push(l))
    for (let i = 0; i < 100; i++)
      refused({
        code: 4400,
        reason: 'malformed message: x',
        doc: 'W1/o1',
        member: 'mallory',
        token: 'abcdef0123456789',
      })
    expect(lines).toHaveLength(20)
    expect(lines[0]).toBe(
      'refused 4400 doc="W1/o1" member=mallory token=abcdef0123456789: malformed message: x',
    )
    vi.setSystemTime(1_010_000)
    refused({ code: 4401, reason: 'invalid or revoked token', doc: 'W1' })
    expect(lines.slice(20)).toEqual([
      'refused: 80 more refusals not logged in the last 10 s',
      'refused 4401 doc="W1" member=- token=-: invalid or revoked token',
    ])
  })
})
