/** Reading pre-check configs that arrive from other peers: junk becomes defaults, never a throw. */
import { describe, expect, it } from 'vitest'
import { parseOutputType, SMALL_TEAM_TYPES } from '../../../shared/domain/index.ts'
import { DEFAULT_PRECHECKS, parsePreCheckConfig } from '../../../shared/prechecks/index.ts'

describe('parsePreCheckConfig', () => {
  it.each([undefined, null, 5, 'x', [], true])('junk %j gives the defaults', (v) => {
    expect(parsePreCheckConfig(v)).toEqual(DEFAULT_PRECHECKS)
  })

  it('keeps what is valid and drops the rest, field by field', () => {
    const c = parsePreCheckConfig({
      banned: ['  delve  ', 'DELVE', 3, '', null, 'game   changer'],
      required: 'not a list',
      minChars: -4,
      maxChars: 120.7,
      placeholders: 'yes',
      links: false,
      detectors: [
        { kind: 'price', escalateTo: 'pricing-update' },
        { kind: 'price' },
        { kind: 'nope' },
        'email',
        { kind: 'competitor', competitors: ['Acme', 7, 'acme', 'Globex'] },
        { kind: 'date', escalateTo: 42 },
      ],
      autoApprove: 'true',
    })
    expect(c).toEqual({
      banned: ['delve', 'game changer'],
      required: [],
      maxChars: 120,
      placeholders: true,
      links: false,
      detectors: [
        { kind: 'price', escalateTo: 'pricing-update' },
        { kind: 'competitor', competitors: ['Acme', 'Globex'] },
        { kind: 'date' },
      ],
      autoApprove: false,
    })
  })

  it('caps huge lists and phrases', () => {
    const c = parsePreCheckConfig({
      banned: Array.from({ length: 1000 }, (_, i) => `w${i}${'x'.repeat(500)}`),
    })
    expect(c.banned).toHaveLength(200)
    expect(c.banned[0]!.length).toBe(200)
  })

  it('is idempotent', () => {
    const once = parsePreCheckConfig({ banned: [' a '], maxChars: 5, detectors: [{ kind: 'competitor' }] })
    expect(parsePreCheckConfig(JSON.parse(JSON.stringify(once)))).toEqual(once)
  })
})

describe('parseOutputType and pre-checks', () => {
  const base = { id: 't', name: 'T', risk: 'low', approverRoles: ['approver'] }
  it('absent or null means no pre-checks', () => {
    expect(parseOutputType(base)?.prechecks).toBeUndefined()
    expect(parseOutputType({ ...base, prechecks: null })?.prechecks).toBeUndefined()
  })
  it('junk becomes the defaults', () => {
    expect(parseOutputType({ ...base, prechecks: 'junk' })?.prechecks).toEqual(DEFAULT_PRECHECKS)
  })
  it('every template has pre-checks with placeholders and links on, and no auto-approval', () => {
    for (const t of SMALL_TEAM_TYPES) {
      expect(t.prechecks?.placeholders).toBe(true)
      expect(t.prechecks?.links).toBe(true)
      expect(t.prechecks?.autoApprove).toBe(false)
      for (const d of t.prechecks?.detectors ?? [])
        if (d.escalateTo) expect(SMALL_TEAM_TYPES.some((x) => x.id === d.escalateTo)).toBe(true)
    }
    const blog = SMALL_TEAM_TYPES.find((t) => t.id === 'blog-article')!
    expect(blog.prechecks?.detectors).toContainEqual({ kind: 'price', escalateTo: 'pricing-update' })
    expect(blog.prechecks?.detectors).toContainEqual({ kind: 'competitor', competitors: [] })
  })
})
