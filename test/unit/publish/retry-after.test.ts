import { describe, expect, it } from 'vitest'
import { retryAfter } from '../../../electron/host/publish/webhook.ts'

describe('retryAfter', () => {
  it('reads seconds and HTTP dates, and leaves out what it cannot read', () => {
    const now = Date.UTC(2026, 11, 2, 12, 0, 0)
    expect(retryAfter('120', now)).toBe(120_000)
    expect(retryAfter(' 0 ', now)).toBe(0)
    expect(retryAfter('Wed, 02 Dec 2026 12:00:30 GMT', now)).toBe(30_000)
    expect(retryAfter('Wed, 02 Dec 2026 11:00:00 GMT', now)).toBe(0)
    expect(retryAfter('soon', now)).toBeUndefined()
    expect(retryAfter('-5', now)).toBeUndefined()
    expect(retryAfter(null, now)).toBeUndefined()
  })
})
