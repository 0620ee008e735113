import { describe, expect, it } from 'vitest'
import { previewSections, SectionRenderer } from '../../../../renderer/src/output/preview-blocks.ts'
import { markdownToSafeHtml } from '../../../../shared/publish/markdown.ts'

/** The preview rendered section by section is the whole text's HTML, and re-renders only what changed. */

const PIECES = [
  '# Title',
  '## Section two',
  '###### Six',
  '#not a heading',
  'A paragraph with **bold**, *em* and a [link](https://example.com).',
  'A line\ncontinued on the next',
  '- item one\n- item two',
  '- loose one\n\n- loose two',
  '1. first\n2. second\n\n   more of second',
  '> quoted\n> still quoted',
  '> quote\n# heading right after',
  '```\ncode\n\n# not a heading in code\n```',
  '~~~js\nlet x = 1\n\n## nor this\n~~~',
  '````\n```\n\n# inside a longer fence\n````',
  '    indented code\n\n    more',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  'Setext heading\n===',
  'para\n```\nfence after para\n```',
  'Some <b>inline</b> html and <script>alert(1)</script>',
  '![img](javascript:alert(1)) and [x](javascript:alert(1))',
  '---',
  '',
]
/** Pieces after which the text is rendered whole (raw HTML blocks, fences inside containers). */
const WHOLE = [
  '<div>\nraw html\n</div>',
  '<div>\n```\n\n# in html\n```',
  '<!--\n\n# in a comment\n-->',
  '* star list\n  ~~~\n  fenced\n\n## after star',
  '> ```\n> quoted fence\n\n# after quote',
  '- list\n  ```\n  fence in a list\n\n# after',
  '<b>inline</b> html and <script>alert(1)</script>',
]

function randomDoc(seed: number): string {
  let s = seed
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
  const parts: string[] = []
  const n = 3 + Math.floor(next() * 12)
  for (let i = 0; i < n; i++) {
    const from = next() < 0.04 ? WHOLE : PIECES
    parts.push(from[Math.floor(next() * from.length)]!)
    parts.push(next() < 0.7 ? '\n\n' : next() < 0.5 ? '\n' : '\n\n\n')
  }
  return parts.join('')
}

describe('the preview, section by section', () => {
  it('renders exactly what the whole text renders to', () => {
    let cut = 0
    for (let seed = 1; seed <= 3000; seed++) {
      const doc = randomDoc(seed)
      if (previewSections(doc).length > 1) cut += 1
      expect(new SectionRenderer().render(doc), `seed ${seed}:\n${doc}`).toBe(markdownToSafeHtml(doc))
      expect(previewSections(doc).join('')).toBe(doc)
    }
    // Most random documents are cut somewhere: the comparison is between real sections.
    expect(cut).toBeGreaterThan(1000)
  })

  it('splits into a first screen and the rest along sections, which join to the whole', () => {
    let doc = ''
    for (let i = 0; i < 40; i++) doc += `## Section ${i}\n\nThe plan for team ${i}, in a few words.\n\n`
    const whole = markdownToSafeHtml(doc)
    const { head, tail } = new SectionRenderer().renderSplit(doc, 500)
    expect(head + tail).toBe(whole)
    // Whole sections: the head ends where a section's HTML ends, and holds the first 500 characters.
    expect(head.startsWith('<h2>Section 0</h2>')).toBe(true)
    expect(tail.startsWith('<h2>')).toBe(true)
    expect(head).toContain('team 8,')
    expect(tail).toContain('team 39,')
    // Short text, or text that cannot be cut: all of it in the head.
    expect(new SectionRenderer().renderSplit('# A\n\nshort', 500)).toEqual({
      head: markdownToSafeHtml('# A\n\nshort'),
      tail: '',
    })
    const uncut = `${doc}[d]: https://example.com`
    expect(new SectionRenderer().renderSplit(uncut, 500).tail).toBe('')
  })

  it('cuts before headings that follow a blank line, never inside a fence', () => {
    const doc = '# A\n\ntext\n\n## B\n\n```\n\n# C\n```\n\n# D\nmore'
    expect(previewSections(doc)).toEqual(['# A\n\ntext\n\n', '## B\n\n```\n\n# C\n```\n\n', '# D\nmore'])
  })

  it('renders whole when a cut could change the meaning', () => {
    expect(previewSections('# A\n\nSee [the doc][d].\n\n# B\n\n[d]: https://example.com')).toHaveLength(1)
    expect(previewSections('# A\n\n<!--\n\n# B\n-->\n\n# C')).toHaveLength(1)
    expect(previewSections('# A\n\n<pre>\n\n# B\n</pre>')).toHaveLength(1)
    expect(previewSections('# A\n\n- a\n  ```\n  b\n\n# B')).toHaveLength(1)
    for (const doc of [
      '# A\n\nSee [the doc][d].\n\n# B\n\n> [d]: https://example.com',
      '# A\n\n<!--\n\n# B\n-->\n\n# C',
    ])
      expect(new SectionRenderer().render(doc)).toBe(markdownToSafeHtml(doc))
  })

  it('an edit renders only its section again', () => {
    let doc = ''
    for (let i = 0; i < 50; i++) doc += `## Section ${i}\n\nThe plan for team ${i}.\n\n- one\n- two\n\n`
    const rendered: string[] = []
    const r = new SectionRenderer((md) => {
      rendered.push(md)
      return markdownToSafeHtml(md)
    })
    expect(r.render(doc)).toBe(markdownToSafeHtml(doc))
    expect(rendered).toHaveLength(50)
    rendered.length = 0
    const edited = doc.replace('team 20.', 'team twenty.')
    expect(r.render(edited)).toBe(markdownToSafeHtml(edited))
    expect(rendered).toEqual(['## Section 20\n\nThe plan for team twenty.\n\n- one\n- two\n\n'])
  })
})
