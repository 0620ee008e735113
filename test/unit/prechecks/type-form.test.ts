/** The type form keeps, edits and validates a type's pre-check config. */
import { describe, expect, it } from 'vitest'
import { draftOf, editType, emptyDraft, validateType } from '../../../renderer/src/settings/type-form.ts'
import { SMALL_TEAM_TYPES } from '../../../shared/domain/index.ts'

const blog = SMALL_TEAM_TYPES.find((t) => t.id === 'blog-article')!
const summary = SMALL_TEAM_TYPES.find((t) => t.id === 'internal-summary')!

describe('type form and pre-checks', () => {
  it('saving an unchanged type keeps its pre-checks', () => {
    const v = validateType(draftOf(blog), [])
    expect(v.ok && v.type.prechecks).toEqual(blog.prechecks)
  })
  it('a new type starts with placeholders and links on', () => {
    expect(emptyDraft().prechecks).toMatchObject({ placeholders: true, links: true, autoApprove: false })
  })
  it('edits replace the config', () => {
    const d = editType(draftOf(blog), {
      kind: 'prechecks',
      value: { ...blog.prechecks!, banned: ['synergy'] },
    })
    const v = validateType(d, [])
    expect(v.ok && v.type.prechecks?.banned).toEqual(['synergy'])
  })
  it('auto-approval is kept for low risk and dropped otherwise', () => {
    const on = { ...summary.prechecks!, autoApprove: true }
    const low = validateType(editType(draftOf(summary), { kind: 'prechecks', value: on }), [])
    expect(low.ok && low.type.prechecks?.autoApprove).toBe(true)
    const medium = validateType(
      editType(editType(draftOf(summary), { kind: 'prechecks', value: on }), {
        kind: 'risk',
        value: 'medium',
      }),
      [],
    )
    expect(medium.ok && medium.type.prechecks?.autoApprove).toBe(false)
  })
  it('a minimum above the maximum is an error', () => {
    const d = editType(draftOf(blog), {
      kind: 'prechecks',
      value: { ...blog.prechecks!, minChars: 100, maxChars: 10 },
    })
    const v = validateType(d, [])
    expect(!v.ok && v.errors['prechecks.length']).toMatch(/minimum length is above the maximum/)
  })
  it('a length limit that is not a whole number is an error, not "no limit"', () => {
    for (const [key, word] of [
      ['minChars', 'minimum'],
      ['maxChars', 'maximum'],
    ] as const) {
      const d = editType(draftOf(blog), {
        kind: 'prechecks',
        value: { ...blog.prechecks!, minChars: undefined, maxChars: undefined, [key]: Number.NaN },
      })
      const v = validateType(d, [])
      expect(!v.ok && v.errors[`prechecks.${key}`]).toBe(
        `The ${word} length is a whole number of characters; leave it empty for no ${word}.`,
      )
    }
  })
})
