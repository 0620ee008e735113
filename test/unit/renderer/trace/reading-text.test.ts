import { describe, expect, it } from 'vitest'
import { readingText } from '../../../../renderer/src/trace/use-loaded.ts'

describe('while Shipped and Activity read the outputs', () => {
  it('they say so, and how far they have got once the read takes a moment', () => {
    expect(readingText(null)).toBe('Reading the outputs…')
    expect(readingText({ done: 120, total: 800 })).toBe('Reading the outputs… 120 of 800')
  })
})
