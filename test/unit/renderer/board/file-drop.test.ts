import { describe, expect, it } from 'vitest'
import { checkDropSize, MAX_DROP_BYTES, readDroppedBytes } from '../../../../renderer/src/board/file-drop.ts'
import { guessTitle, parseIntakeFile } from '../../../../shared/intake/parse.ts'

const bytes = (s: string) => new TextEncoder().encode(s)

describe('dropped files', () => {
  it('reads a Markdown draft and takes its first heading as the title', () => {
    const r = readDroppedBytes('q3-pricing.md', bytes('Intro line\n\n## Pricing update for Q3 ##\nText'))
    expect(r).toMatchObject({
      ok: true,
      title: 'Pricing update for Q3',
      content: 'Intro line\n\n## Pricing update for Q3 ##\nText',
    })
  })

  it('reads its front matter like the inbox folder does: one parser (issue 12 #6)', () => {
    const file =
      '---\ntitle: Q3 launch post\ntype: blog-article\nsource:\n  model: gpt-x\n  tool: drafter\n  prompt: "Write it"\ntags: [launch, q3]\ndue: 2026-12-01\n---\n# The post\n\nBody.\n'
    const dropped = readDroppedBytes('launch.md', bytes(file))
    const inbox = parseIntakeFile('launch.md', file)
    expect(dropped).toEqual({
      ok: true,
      title: 'Q3 launch post',
      type: 'blog-article',
      source: { model: 'gpt-x', tool: 'drafter', prompt: 'Write it' },
      tags: ['launch', 'q3'],
      due: '2026-12-01',
      content: '# The post\n\nBody.\n',
    })
    expect(inbox.ok && { ok: true, ...inbox.value }).toEqual(dropped)
    // The front matter is not part of the content, and a broken one is refused, not pasted.
    expect(readDroppedBytes('a.md', bytes('---\ntitle: x\nnot yaml\n---\nBody'))).toEqual({
      ok: false,
      reason: expect.stringContaining('Malformed front matter'),
    })
    // A JSON envelope too.
    expect(
      readDroppedBytes('a.json', bytes(JSON.stringify({ title: 'From JSON', tags: ['x'], content: 'Hi' }))),
    ).toMatchObject({ ok: true, title: 'From JSON', tags: ['x'], content: 'Hi' })
  })

  it('takes the title or h1 of an HTML file', () => {
    expect(guessTitle('a.html', '<h1 class="x">Big <em>news</em> &amp; more</h1>')).toBe('Big news & more')
    expect(guessTitle('a.htm', '<html><title> Only title </title></html>')).toBe('Only title')
  })

  it('falls back to the file name', () => {
    expect(guessTitle('weekly_status-notes.txt', 'no heading here')).toBe('weekly status notes')
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
    // Front matter and nothing else is empty too (issue 12 #17).
    expect(readDroppedBytes('a.md', bytes('---\ntitle: Only a title\n---\n  \n'))).toEqual({
      ok: false,
      reason: expect.stringContaining('empty'),
    })
    expect(checkDropSize('big.md', MAX_DROP_BYTES + 1)).toContain('at most 2 MB')
    expect(checkDropSize('ok.md', MAX_DROP_BYTES)).toBeNull()
    expect(checkDropSize('photo.png', 10)).toContain('.md, .txt, .html or .json')
    expect(checkDropSize('NOTES.MD', 10)).toBeNull()
  })

  it('says which field of a file is wrong and what fits, in words', () => {
    const reason = (name: string, text: string) => {
      const r = parseIntakeFile(name, text)
      return r.ok ? null : r.reason
    }
    expect(reason('a.json', '{"title": 5, "content": "x"}')).toBe(
      'The JSON envelope is not {title, type, source, tags, due, content}: "title" must be text.',
    )
    expect(reason('a.json', '{"content": "x", "auther": "me"}')).toMatch(
      /: The submission has no field "auther"\.$/,
    )
    expect(reason('a.json', JSON.stringify({ content: 'x', title: 'T'.repeat(250) }))).toMatch(
      /The title is 250 characters: at most 200 fit\./,
    )
    expect(reason('a.md', `---\ntitle: ${'T'.repeat(250)}\n---\nBody`)).toBe(
      'Malformed front matter: "title" is 250 characters: at most 200 fit.',
    )
    expect(reason('a.md', `---\nmodel: ${'m'.repeat(201)}\n---\nBody`)).toBe(
      "Malformed front matter: the source's model is 201 characters: at most 200 fit.",
    )
    expect(reason('a.md', '---\ndue: 2026-02-30\n---\nBody')).toBe(
      'Malformed front matter: "due" is not a date on the calendar.',
    )
    expect(reason('a.txt', 'x'.repeat(2_000_001))).toBe(
      'The text is 2,000,001 characters: at most 2,000,000 fit in one output.',
    )
  })
})
