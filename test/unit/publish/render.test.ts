import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { contentHash } from '../../../shared/domain/hash.ts'
import { canonicalJson } from '../../../shared/publish/canonical.ts'
import { checkPayload } from '../../../shared/publish/manifest.ts'
import { markdownBody, renderOutput, yamlString } from '../../../shared/publish/render.ts'
import { HOSTILE_STRINGS, makePayload } from './fixture.ts'

const NASTY = [
  ...HOSTILE_STRINGS,
  '---',
  '\n---\n',
  'key: value',
  '"quoted"',
  "'single'",
  '- list',
  '# comment',
  '&anchor *alias',
  '!!python/object:os.system',
  'yes',
  'null',
  '~',
  '0x1F',
  '1e3',
  '@at',
  '`tick`',
  '|\n  block',
  '\u0085nel',
  '\u2028ls\u2029ps',
  '\u007f\u0080\u009f',
  '\ufffe\uffff',
  '</script><script>alert(1)</script>',
  '<!--',
  '&amp; <b>bold</b>',
]
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')

describe('renderOutput', () => {
  it('markdown: front matter a real YAML parser reads back exactly, then the content byte for byte', () => {
    for (const s of NASTY) {
      const p = makePayload({
        title: s,
        typeName: s,
        destinationName: s,
        approvers: [{ memberId: s, name: s, at: '2025-06-01T10:00:00.000Z' }],
        checklist: [{ itemId: 'c1', title: s, verdict: 'fail', note: s, by: s }],
      })
      const { text, ext } = renderOutput('markdown', p)
      expect(ext).toBe('md')
      const fm = text.slice(4, text.indexOf('\n---\n', 3))
      const y = parseYaml(fm, { version: '1.2' })
      expect(y.title).toBe(wellFormed(s))
      expect(y.signoff.typeName).toBe(wellFormed(s))
      expect(y.signoff.approvers[0].name).toBe(wellFormed(s))
      expect(y.signoff.checklist[0].note).toBe(wellFormed(s))
      expect(y.signoff.contentHash).toBe(p.manifest.contentHash)
      // YAML 1.1 readers (many static site generators) agree.
      expect(parseYaml(fm, { version: '1.1' }).title).toBe(wellFormed(s))
      expect(markdownBody(text)).toBe(p.content)
    }
  })

  it('markdown: content that itself looks like front matter is carried unchanged', () => {
    const content = '---\ntitle: fake\n---\nbody\n'
    const p = makePayload({}, content)
    const { text } = renderOutput('markdown', p)
    expect(markdownBody(text)).toBe(content)
    expect(contentHash(markdownBody(text)!)).toBe(p.manifest.contentHash)
  })

  it('text: exactly the content, with the manifest in a sidecar', () => {
    const p = makePayload({}, 'plain\r\nwith CRLF and \u0000 NUL')
    const r = renderOutput('text', p)
    expect(r.text).toBe(p.content)
    expect(JSON.parse(r.sidecar!).manifest).toEqual(p.manifest)
  })

  it('json: the payload, with content exact', () => {
    for (const s of NASTY) {
      const p = makePayload({ title: s }, s)
      const parsed = JSON.parse(renderOutput('json', p).text)
      expect(parsed.content).toBe(s)
      expect(parsed.manifest.title).toBe(s)
    }
  })

  it('html: the exact source and a manifest no title or content can break out of', () => {
    for (const s of NASTY) {
      const p = makePayload({ title: s }, s)
      const { text } = renderOutput('html', p)
      // Exactly two script elements, and they are ours: the manifest and the source.
      expect(text.match(/<script/gi)?.length).toBe(2)
      expect(text.match(/<\/script/gi)?.length).toBe(2)
      const json = /<script type="application\/json" id="signoff-manifest">([^<]*)<\/script>/.exec(text)![1]!
      expect(JSON.parse(json).title).toBe(s)
      const source = /<script type="application\/json" id="signoff-source">([^<]*)<\/script>/.exec(text)![1]!
      expect(JSON.parse(source)).toBe(s)
      expect(contentHash(JSON.parse(source))).toBe(p.manifest.contentHash)
    }
  })

  it('html: renders the Markdown to sanitized HTML, not raw text in a <pre> (issue 12 #13)', () => {
    const content = [
      '# Launch',
      '',
      'We ship **Pro** on *Monday*: [read more](https://example.com/launch "Launch").',
      '',
      '- one',
      '- two',
      '',
      '<script>alert(1)</script>',
      '',
      'Inline <img src=x onerror="alert(1)"> and <b onclick="x()">bold</b>.',
      '',
      '[bad](javascript:alert(1)) [data](data:text/html,<b>x</b>) [tab](java\tscript:alert(1))',
      '![logo](https://example.com/logo.png)',
    ].join('\n')
    const { text } = renderOutput('html', makePayload({ title: 'Launch' }, content))
    const article = /<article id="signoff-content">([\s\S]*)<\/article>/.exec(text)![1]!
    expect(text).not.toContain('<pre')
    expect(article).toContain('<h1>Launch</h1>')
    expect(article).toContain('<strong>Pro</strong>')
    expect(article).toContain('<em>Monday</em>')
    expect(article).toContain(
      '<a href="https://example.com/launch" title="Launch" rel="noopener noreferrer">read more</a>',
    )
    expect(article).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/)
    expect(article).toContain('<img src="https://example.com/logo.png" alt="logo">')
    // Raw HTML is shown as text, never run; unsafe addresses lose their link.
    expect(article).not.toMatch(/<script|<img src=x|<b |<[^>]*\son\w+=/i)
    expect(article).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(article).not.toMatch(/href="(?:javascript|data|java)/i)
    expect(article).toContain('bad')
  })
})

describe('yamlString', () => {
  it('escapes what YAML forbids raw', () => {
    expect(yamlString('a\u0085b')).toBe('"a\\u0085b"')
    expect(yamlString('\u2028')).toBe('"\\u2028"')
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every level and gives the same bytes for the same value', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    )
    expect(canonicalJson({ x: undefined, y: 1 })).toBe('{"y":1}')
    expect(() => canonicalJson({ n: Number.NaN })).toThrow()
    expect(canonicalJson({ b: [], a: {} }, 2)).toBe('{\n  "a": {},\n  "b": []\n}')
  })
})

describe('checkPayload', () => {
  it('accepts the approved bytes and refuses anything else', () => {
    const p = makePayload()
    expect(checkPayload(p)).toBeNull()
    expect(checkPayload({ ...p, content: `${p.content} ` })).toMatch(/does not match the approved version/)
    expect(checkPayload({ ...p, manifest: { ...p.manifest, contentHash: 'x' } })).toMatch(/malformed/)
    expect(checkPayload({ ...p, manifest: { ...p.manifest, publishedAt: 'yesterday' } })).toMatch(
      /publishedAt/,
    )
  })
})
