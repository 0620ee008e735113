import { describe, expect, it } from 'vitest'
import {
  checkDropSize,
  MAX_DROP_BYTES,
  readDroppedBytes,
  titleFor,
} from '../../../../renderer/src/board/file-drop.ts'

const bytes = (s: string) => new TextEncoder().encode(s)

describe('dropped files', () => {
  it('reads a Markdown draft and takes its first heading as the title', () => {
    const r = readDroppedBytes('q3-pricing.md', bytes('Intro line\n\n## Pricing update for Q3 ##\nText'))
    expect(r).toEqual({
      ok: true,
      title: 'Pricing update for Q3',
      content: 'Intro line\n\n## Pricing update for Q3 ##\nText',
    })
  })

  it('takes the h1 or title of an HTML file', () => {
    expect(titleFor('a.html', '<title>T</title><h1 class="x">Big <em>news</em> &amp; more</h1>')).toBe(
      'Big news & more',
    )
    expect(titleFor('a.htm', '<html><title> Only title </title></html>')).toBe('Only title')
  })

  it('falls back to the file name', () => {
    expect(titleFor('weekly_status-notes.txt', 'no heading here')).toBe('weekly status notes')
  })

  it('drops a byte-order mark', () => {
    const r = readDroppedBytes('a.txt', new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('hello')]))
    expect(r.ok && r.content).toBe('hello')
  })

  it('refuses binary, invalid UTF-8, empty, huge and other kinds of files with a reason', () => {
    const nul = readDroppedBytes('a.md', new Uint8Array([0x68, 0x00, 0x69]))
    expect(nul).toEqual({ ok: false, reason: expect.stringContaining('binary') })
    const latin1 = readDroppedBytes('a.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]))
    expect(latin1).toEqual({ ok: false, reason: expect.stringContaining('UTF-8') })
    expect(readDroppedBytes('a.txt', bytes('   \n'))).toEqual({
      ok: false,
      reason: expect.stringContaining('empty'),
    })
    expect(checkDropSize('big.md', MAX_DROP_BYTES + 1)).toContain('at most 2 MB')
    expect(checkDropSize('ok.md', MAX_DROP_BYTES)).toBeNull()
    expect(checkDropSize('photo.png', 10)).toContain('.md, .txt or .html')
    expect(checkDropSize('NOTES.MD', 10)).toBeNull()
  })
})
