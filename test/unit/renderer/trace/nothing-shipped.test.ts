import { describe, expect, it } from 'vitest'
import { nothingShipped } from '../../../../renderer/src/trace/Shipped.tsx'

const none = { from: '', to: '', typeId: '', destinationId: '' }

describe('an empty What shipped says why', () => {
  it('tells nothing-yet, dates the wrong way round, an empty period and filters apart', () => {
    expect(nothingShipped(none, 0)).toMatch(/^Nothing has been published yet/)
    expect(nothingShipped({ ...none, from: '2026-12-05', to: '2026-12-01' }, 3)).toBe(
      '“From” is after “To”, so no day falls between them. Swap the two dates.',
    )
    expect(nothingShipped({ ...none, from: '2026-12-01', to: '2026-12-05' }, 3)).toBe(
      'Nothing was published in this period.',
    )
    expect(nothingShipped({ ...none, typeId: 'social-post' }, 3)).toBe(
      'Nothing published matches these filters.',
    )
  })
})
