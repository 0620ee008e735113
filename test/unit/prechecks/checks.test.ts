/** Each automatic pre-check and detector: positives, negatives, Unicode, case, adversarial input. */
import { describe, expect, it } from 'vitest'
import type { DetectorKind, PreCheckConfig } from '../../../shared/prechecks/index.ts'
import { countChars, runPreChecks, validHost } from '../../../shared/prechecks/index.ts'

const NONE: PreCheckConfig = {
  banned: [],
  required: [],
  placeholders: false,
  links: false,
  detectors: [],
  autoApprove: false,
}
const cfg = (more: Partial<PreCheckConfig>): PreCheckConfig => ({ ...NONE, ...more })
const one = (content: string, more: Partial<PreCheckConfig>) => {
  const results = runPreChecks(content, cfg(more))
  expect(results).toHaveLength(1)
  return results[0]!
}
const detect = (kind: DetectorKind, content: string, competitors?: string[]) =>
  one(content, { detectors: [{ kind, ...(competitors ? { competitors } : {}) }] })
const texts = (r: { matches?: { text: string }[] }) => (r.matches ?? []).map((m) => m.text)

describe('configuration decides which checks run', () => {
  it('no config or nothing switched on: no results', () => {
    expect(runPreChecks('anything TODO', undefined)).toEqual([])
    expect(runPreChecks('anything TODO', NONE)).toEqual([])
  })
  it('results come in a fixed order', () => {
    const r = runPreChecks('x', {
      banned: ['a'],
      required: ['x'],
      maxChars: 10,
      placeholders: true,
      links: true,
      detectors: [{ kind: 'email' }, { kind: 'price' }],
      autoApprove: false,
    })
    expect(r.map((x) => x.id)).toEqual([
      'length',
      'banned',
      'required',
      'placeholders',
      'links',
      'detector:email',
      'detector:price',
    ])
  })
  it('is deterministic: the same content gives the same results', () => {
    const c = cfg({ banned: ['delve'], placeholders: true, links: true, detectors: [{ kind: 'price' }] })
    const text = 'We delve. TODO €5 http://x.org'
    expect(runPreChecks(text, c)).toEqual(runPreChecks(text, c))
  })
})

describe('length', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(countChars('😀😀')).toBe(2)
    expect(countChars('é')).toBe(1)
    expect(countChars('\ud800x')).toBe(2)
    expect(one('😀😀😀', { maxChars: 3 }).status).toBe('pass')
  })
  it('fails too short and too long, passes within', () => {
    expect(one('abc', { minChars: 5 })).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/2 too short/),
    })
    expect(one('abcdef', { maxChars: 5 })).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/1 too long/),
    })
    expect(one('abcde', { minChars: 5, maxChars: 5 }).status).toBe('pass')
  })
})

describe('banned words', () => {
  it('finds whole words and phrases, case-insensitively', () => {
    const r = one('Let us DELVE into a Game   Changer.', { banned: ['delve', 'game changer'] })
    expect(r.status).toBe('fail')
    expect(texts(r)).toEqual(['DELVE', 'Game   Changer'])
  })
  it('does not match inside other words', () => {
    expect(one('The delves and undelve, class', { banned: ['delve', 'ass'] }).status).toBe('pass')
  })
  it('handles Unicode letters and curly apostrophes', () => {
    expect(one('Das ist GRÖSSENWAHN und Größe', { banned: ['größe'] }).status).toBe('fail')
    expect(one('Ärger', { banned: ['ärger'] }).status).toBe('fail')
    expect(one('Ärgerlich', { banned: ['ärger'] }).status).toBe('pass')
    expect(one('In today’s fast-paced world', { banned: ["in today's fast-paced world"] }).status).toBe(
      'fail',
    )
  })
  it('treats regex characters in phrases literally', () => {
    expect(one('costs 1+1 (a)', { banned: ['1+1 (a)'] }).status).toBe('fail')
    expect(one('costs 11 a', { banned: ['1+1 (a)'] }).status).toBe('pass')
  })
})

describe('required phrases', () => {
  it('passes when present anywhere, in any case and spacing', () => {
    const r = one('Intro.\n\nThis is NOT\nfinancial advice.', { required: ['not financial advice'] })
    expect(r.status).toBe('pass')
  })
  it('fails and names each missing phrase', () => {
    const r = one('Hello.', { required: ['Not financial advice', 'Unsubscribe'] })
    expect(r.status).toBe('fail')
    expect(r.detail).toMatch(/Not financial advice/)
    expect(r.detail).toMatch(/Unsubscribe/)
  })
})

describe('placeholders and AI tells', () => {
  const ph = (text: string) => one(text, { placeholders: true })
  it.each([
    'As an AI language model, I cannot',
    'as an ai assistant I think',
    'As a large language model',
    'as of my knowledge cutoff',
    'Dear [Insert name],',
    'Hi [Your Name]',
    'Hello {{first_name}}',
    'Lorem ipsum dolor sit amet',
    'TODO: add numbers',
    'Price: TBD',
    'FIXME later',
    '<insert link here>',
    // Issue 12 #5: bracketed capitals, citation gaps, merge fields and leftover front matter.
    'Pro now costs [PRICE] per seat.',
    'Starts on [LAUNCH_DATE].',
    'Revenue grew 40% [citation needed].',
    'As shown [citation].',
    'Studies agree [source needed].',
    'Hi {first_name}, thanks!',
    'Dear {firstName},',
    'Hello {name}!',
    'Hello *|FNAME|*',
    'Hello %FIRST_NAME%,',
    '---\ntitle: Launch post\ntype: blog-article\n---\n# Launch\n',
    '---\r\nmodel: gpt-x\r\n---\r\nBody',
  ])('flags %j', (text) => {
    expect(ph(text).status).toBe('fail')
  })
  it.each([
    'Todo el mundo', // Spanish "all": TODO is case-sensitive
    'The AI model we built',
    'Our [Q3 results] are in',
    'A to-do list',
    'TODOS',
    'Read the [API](https://example.com/api) docs',
    'Tick [x] when done',
    'A set {1, 2, 3}, a map { a: 1 } and the set {x}',
    'Text\n\n---\n\nMore text after a rule\n\n---\n',
    '50% off, then 20% more',
  ])('passes %j', (text) => {
    expect(ph(text).status).toBe('pass')
  })
})

describe('links', () => {
  const ln = (text: string) => one(text, { links: true })
  it('passes well-formed https links, including IDN hosts and ports', () => {
    expect(
      ln('See https://example.com/a?b=1#c, and https://bücher.de. Or https://a.b.co:8443/x').status,
    ).toBe('pass')
    expect(ln('[docs](https://docs.example.org/page)').status).toBe('pass')
  })
  it('flags http links as not https', () => {
    const r = ln('Visit http://example.com today')
    expect(r.status).toBe('fail')
    expect(r.detail).toMatch(/1 not https/)
    expect(texts(r)).toEqual(['http://example.com'])
  })
  it.each([
    'htps://example.com',
    'https//example.com',
    'https:/example.com',
    'https:///example.com',
    'https://',
    'https://nohost',
    'HTTP:example.com',
    '[click here]()',
    '[site](www.example.com)',
    'https://-bad-.com',
  ])('flags %j', (text) => {
    expect(ln(text).status).toBe('fail')
  })
  it('ignores the bare words http and tips', () => {
    expect(ln('The http protocol and some tips: do this').status).toBe('pass')
  })
  it('checks hosts', () => {
    expect(validHost('example.com')).toBe(true)
    expect(validHost('user@example.com:80')).toBe(true)
    expect(validHost('localhost')).toBe(true)
    expect(validHost('10.0.0.1')).toBe(true)
    expect(validHost('example')).toBe(false)
    expect(validHost('example.c')).toBe(false)
    expect(validHost('')).toBe(false)
  })
})

describe('detectors', () => {
  it('prices and currency amounts', () => {
    const r = detect('price', 'Pro: €29/month, $1,200.50 a year, 30 EUR, US$5, CHF 30 or 10 dollars. 2 ¥')
    expect(r.status).toBe('warn')
    expect(texts(r)).toEqual(['€29', '$1,200.50', '30 EUR', 'US$5', 'CHF 30', '10 dollars', '2 ¥'])
    expect(detect('price', 'We have 30 customers in 2025 and EURO 2024 tickets.').status).toBe('pass')
    expect(detect('price', 'eur 12 or 12 eur').status).toBe('warn')
  })
  it('percentages', () => {
    expect(texts(detect('percentage', 'Up 20%, 3.5 % and 12 percent, 7 per cent, 5٪'))).toEqual([
      '20%',
      '3.5 %',
      '12 percent',
      '7 per cent',
      '5٪',
    ])
    expect(detect('percentage', 'We are 100 people; percentages vary.').status).toBe('pass')
  })
  it('dates', () => {
    const r = detect(
      'date',
      'On 2025-03-01, 12/31/2025, 1.3.25, March 3rd, 2025, 3 March 2025, the 5th of May, Sept 2026, Q3 2025, 3. März 2025, 14 juillet',
    )
    expect(texts(r)).toEqual([
      '2025-03-01',
      '12/31/2025',
      '1.3.25',
      'March 3rd, 2025',
      '3 March 2025',
      '5th of May',
      'Sept 2026',
      'Q3 2025',
      '3. März 2025',
      '14 juillet',
    ])
    expect(detect('date', 'We may go. Mars is red. Version 1.2 is out. March on!').status).toBe('pass')
  })
  it('e-mail addresses, Unicode included', () => {
    expect(texts(detect('email', 'Write to Ada.L+news@example.co.uk or jörg@müller.de.'))).toEqual([
      'Ada.L+news@example.co.uk',
      'jörg@müller.de',
    ])
    expect(detect('email', 'Follow @acme and user@localhost, a@b').status).toBe('pass')
  })
  it('phone numbers', () => {
    expect(
      texts(detect('phone', 'Call +1 (555) 123-4567, +44 20 7946 0958, 030 1234 5678 or +4915112345678.')),
    ).toEqual(['+1 (555) 123-4567', '+44 20 7946 0958', '030 1234 5678', '+4915112345678'])
    expect(
      detect('phone', 'In 2024 2025 2026 we sold 10.000.000 units; see 2025-03-01 and v1.2.3; 42.').status,
    ).toBe('pass')
  })
  it('named competitors, case-insensitive and whole words', () => {
    const r = detect('competitor', 'Unlike ACME Corp and globex, we…', ['Acme Corp', 'Globex'])
    expect(texts(r)).toEqual(['ACME Corp', 'globex'])
    expect(detect('competitor', 'Globexia and Acme', ['Acme Corp', 'Globex']).status).toBe('pass')
    expect(detect('competitor', 'Acme Corp', []).status).toBe('pass')
  })
  it('carries the escalation target only when it fires', () => {
    const c = { detectors: [{ kind: 'price' as const, escalateTo: 'pricing-update' }] }
    expect(one('€5', c).escalateTo).toBe('pricing-update')
    expect(one('five', c).escalateTo).toBeUndefined()
  })
  it('keeps at most 20 matches but counts them all', () => {
    const r = detect('price', '€1 '.repeat(50))
    expect(r.matches).toHaveLength(20)
    expect(r.detail).toMatch(/50 in all/)
  })
})

describe('adversarial input stays linear', () => {
  const all: PreCheckConfig = {
    banned: ['as an ai', 'delve', 'aaaa b'],
    required: ['a a a a c'],
    minChars: 1,
    maxChars: 10,
    placeholders: true,
    links: true,
    detectors: [
      { kind: 'price' },
      { kind: 'percentage' },
      { kind: 'date' },
      { kind: 'email' },
      { kind: 'phone' },
      { kind: 'competitor', competitors: ['a a a a a b'] },
    ],
    autoApprove: false,
  }
  // Large enough that a run takes milliseconds, not microseconds, so the ratio below is signal.
  const N = 100_000
  it.each([
    ['digits', '1'.repeat(N)],
    ['digits and dots', '1.'.repeat(N / 2)],
    ['digits and spaces', '1 '.repeat(N / 2)],
    ['an e-mail local part', 'a.'.repeat(N / 2)],
    ['at signs', 'a@'.repeat(N / 2)],
    ['slashes', 'https:'.padEnd(N, '/')],
    ['scheme words', 'http '.repeat(N / 5)],
    ['unclosed brackets', '[insert '.repeat(N / 8)],
    ['braces', '{{'.repeat(N / 2)],
    ['repeated words', 'a '.repeat(N / 2)],
    ['month names', 'March '.repeat(N / 6)],
    ['spaces', ' '.repeat(N)],
    ['currency', '€'.repeat(N)],
    ['phone-like', '(12) '.repeat(N / 5)],
  ])('%s (100 KB): four times the text takes about four times as long, not sixteen', (_name, text) => {
    // A timing ratio rather than a wall-clock limit: a busy machine slows both runs alike, while
    // a quadratic pattern (or worse) shows at once. The fastest of three runs of each.
    const fastest = (input: string) => {
      runPreChecks(input, all)
      let best = Number.POSITIVE_INFINITY
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now()
        runPreChecks(input, all)
        best = Math.min(best, performance.now() - t0)
      }
      return best
    }
    const small = fastest(text)
    const large = fastest(text.repeat(4))
    // Linear is 4; quadratic 16. A run under 5 ms is mostly noise (a collection, a compile), so
    // that is the floor.
    expect(large / Math.max(small, 5)).toBeLessThan(10)
    // And 100 KB stays far from a freeze even on a loaded machine.
    expect(small).toBeLessThan(1000)
  })
})
