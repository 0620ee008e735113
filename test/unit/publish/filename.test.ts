import { describe, expect, it } from 'vitest'
import {
  MAX_FILE_NAME_BYTES,
  renderFileName,
  sanitizeSegment,
  slugify,
  templateProblem,
} from '../../../shared/publish/filename.ts'
import { folderKind } from '../../../shared/publish/kinds/folder.ts'
import { HOSTILE_STRINGS } from './fixture.ts'

const vars = (title: string, over: Partial<Parameters<typeof renderFileName>[1]> = {}) => ({
  date: '2025-06-02T09:15:07.000Z',
  title,
  id: 'o_4fJk2mNpQrStUvWx',
  type: 'Pricing update',
  ext: 'md',
  hash: 'ab12cd34ef56',
  ...over,
})

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$|clock\$)$/i

/** Everything a safe single path segment must be, on POSIX and Windows alike. */
function expectSafe(name: string, ext = 'md') {
  expect(name.length).toBeGreaterThan(ext.length + 1)
  expect(name).not.toMatch(/[/\\\0]/)
  expect(name).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u)
  expect(name).not.toMatch(/[:*?"<>|]/)
  expect(name).not.toContain('..')
  expect(name).not.toMatch(/^[.\s-]/)
  expect(name).not.toMatch(/[.\s]$/)
  expect(name.endsWith(`.${ext}`)).toBe(true)
  expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES)
  expect(RESERVED.test(name.split('.')[0]!.trim())).toBe(false)
  expect(name.normalize('NFKC')).toBe(name)
  expect(name).not.toMatch(/%[0-9a-f]{2}/i)
  expect(decodeURIComponent(name.replace(/%/g, '%25'))).toBe(name)
}

describe('renderFileName', () => {
  it(`turns ${HOSTILE_STRINGS.length} hostile titles into safe single segments with every template`, () => {
    expect(HOSTILE_STRINGS.length).toBeGreaterThanOrEqual(50)
    for (const template of ['{title}', '{date}-{slug}.md', '{title}.{ext}', '{type}-{title}-{id}', '{slug}'])
      for (const title of HOSTILE_STRINGS) {
        const name = renderFileName(template, vars(title))
        try {
          expectSafe(name)
        } catch (e) {
          throw new Error(
            `${JSON.stringify(template)} × ${JSON.stringify(title)} → ${JSON.stringify(name)}: ${e}`,
          )
        }
      }
  })

  it('keeps hostile templates, ids and type names inside one segment too', () => {
    const templates = [
      '../{title}',
      '/abs/{slug}',
      '..\\{slug}',
      '%2e%2e%2f{slug}',
      '{title}/../../x',
      '～/{slug}',
      '',
      '.{ext}',
      '{date}/{slug}.md',
    ]
    for (const template of templates)
      for (const hostile of HOSTILE_STRINGS) {
        for (const name of [
          renderFileName(template, vars('ok', { id: hostile })),
          renderFileName(template, vars(hostile, { type: hostile, slug: hostile })),
        ])
          expectSafe(name)
      }
  })

  it('gives the readable names people expect', () => {
    expect(renderFileName('{date}-{slug}.md', vars('Q3 Pricing: Update!'))).toBe(
      '2025-06-02-q3-pricing-update.md',
    )
    expect(renderFileName('{title}', vars('Q3 pricing update'))).toBe('Q3 pricing update.md')
    expect(renderFileName('{date}-{time}-{hash}', vars('x'))).toBe('2025-06-02-091507-ab12cd34.md')
    expect(renderFileName('{slug}', vars('Café crème'))).toBe('cafe-creme.md')
    expect(renderFileName('{slug}', vars('日本語のタイトル'))).toBe('日本語のタイトル.md')
  })

  it('lets the format decide the extension', () => {
    expect(renderFileName('{slug}.md', vars('a b', { ext: 'html' }))).toBe('a-b.html')
    expect(renderFileName('{slug}.{ext}', vars('a b', { ext: 'json' }))).toBe('a-b.json')
    expect(renderFileName('{slug}.tar', vars('a b', { ext: 'txt' }))).toBe('a-b.tar.txt')
    expect(renderFileName('{slug}', vars('a', { ext: '../../x' }))).toBe('a.x')
  })

  it('decodes before it sanitises, including double encoding and fullwidth forms', () => {
    for (const t of ['..%2f..%2fescape', '%252e%252e%252fescape', '％２ｅ％２ｅ％２ｆescape', '．．／escape'])
      expect(renderFileName('{title}', vars(t))).toBe('escape.md')
  })

  it('renames reserved Windows device names, with or without an extension', () => {
    expect(renderFileName('{title}', vars('CON'))).toBe('_CON.md')
    expect(renderFileName('{title}', vars('aux.md'))).toBe('_aux.md.md')
    expect(renderFileName('{title}', vars('nul.tar.gz'))).toBe('_nul.tar.gz.md')
    expect(renderFileName('{title}', vars('COM¹'))).toBe('_COM1.md')
    expect(renderFileName('{title}', vars('console'))).toBe('console.md')
  })

  it('falls back to output-<id> when nothing is left', () => {
    for (const t of ['', '...', '\u0000', '   ', '%e2%80%ae', '/'])
      expect(renderFileName('{title}', vars(t))).toBe('output-o_4fJk2mNpQrStUvWx.md')
  })

  it('caps long names at 200 bytes on a character boundary and keeps the extension', () => {
    const name = renderFileName('{title}', vars('😀'.repeat(120)))
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(200)
    expect(name).toMatch(/^(😀)+\.md$/u)
  })
})

describe('templateProblem', () => {
  it('refuses a / or \\ in a template with a sentence instead of turning it into - (issue 12 #13)', () => {
    expect(renderFileName('{date}/{slug}.{ext}', vars('Weekly'))).not.toContain('/')
    for (const t of ['{date}/{slug}.{ext}', 'posts/{slug}.md', '..\\{slug}.md', '/abs/{slug}']) {
      expect(templateProblem(t)).toMatch(/cannot contain “\/” or “\\”/)
      const parsed = folderKind.schema.safeParse({ kind: 'folder', path: '/tmp/out', template: t })
      expect(parsed.success).toBe(false)
      expect(parsed.error?.issues[0]?.message).toMatch(/folder path/)
    }
    expect(templateProblem('{date}-{nme}.{ext}')).toMatch(/\{nme\}, which is not a placeholder/)
    for (const t of ['{date}-{slug}.{ext}', '{title}', 'fixed-name.md', '{date}_{time}_{hash}.{ext}'])
      expect(templateProblem(t)).toBeNull()
  })
})

describe('sanitizeSegment and slugify', () => {
  it('strip bidi overrides and zero-width characters rather than keeping a disguised name', () => {
    expect(sanitizeSegment('invoice\u202efdp.exe')).toBe('invoicefdp.exe')
    expect(sanitizeSegment('a\u200bb')).toBe('ab')
  })
  it('slugify is lower case, dash-joined and never empty', () => {
    expect(slugify('  Hello,   World!  ')).toBe('hello-world')
    expect(slugify('😀😀')).toBe('untitled')
  })
})
