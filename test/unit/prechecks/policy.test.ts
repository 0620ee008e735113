/** Escalation: the policy actually enforced when a detector with escalateTo fires. */
import { describe, expect, it } from 'vitest'
import type { OutputType } from '../../../shared/domain/index.ts'
import { SMALL_TEAM_TYPES } from '../../../shared/domain/index.ts'
import {
  autoApproveUnavailable,
  effectiveType,
  type PreCheckResult,
  policySentence,
} from '../../../shared/prechecks/index.ts'

const T = (id: string): OutputType => SMALL_TEAM_TYPES.find((t) => t.id === id)!
const fired = (kind: string, to?: string, text = '€29'): PreCheckResult => ({
  id: `detector:${kind}` as PreCheckResult['id'],
  title: kind,
  status: 'warn',
  detail: '',
  matches: [{ text, index: 0 }],
  ...(to ? { escalateTo: to } : {}),
})

describe('effectiveType', () => {
  it('nothing fired: the own policy, no escalations', () => {
    const blog = T('blog-article')
    expect(effectiveType(blog, [], SMALL_TEAM_TYPES)).toEqual({ type: blog, escalations: [] })
    expect(effectiveType(blog, [fired('price')], SMALL_TEAM_TYPES).escalations).toEqual([])
  })

  it('a blog article that mentions a price needs what a pricing update needs, and says so', () => {
    const { type, escalations } = effectiveType(
      T('blog-article'),
      [fired('price', 'pricing-update')],
      SMALL_TEAM_TYPES,
    )
    expect(type.approvalsRequired).toBe(2)
    expect(type.approverRoles).toEqual(['approver', 'admin'])
    expect(type.allowSelfApproval).toBe(false)
    expect(type.id).toBe('blog-article')
    expect(type.checklist).toEqual(T('blog-article').checklist)
    expect(escalations).toEqual([
      {
        detector: 'price',
        to: 'pricing-update',
        toName: 'Pricing update',
        reason:
          'Mentions a price (€29): this needs the approvals of a Pricing update: 2 approvals from approver or admin.',
      },
    ])
  })

  it('takes the maximum of approvals and self-approval only when both allow it', () => {
    const own: OutputType = { ...T('internal-summary'), approvalsRequired: 3, allowSelfApproval: true }
    const target: OutputType = { ...T('social-post'), id: 'x', approvalsRequired: 1, allowSelfApproval: true }
    const e = effectiveType(own, [fired('email', 'x', 'a@b.co')], [own, target])
    expect(e.type.approvalsRequired).toBe(3)
    expect(e.type.allowSelfApproval).toBe(true)
    expect(e.type.approverRoles).toEqual(target.approverRoles)
    const strict = effectiveType(own, [fired('email', 'pricing-update')], SMALL_TEAM_TYPES)
    expect(strict.type.allowSelfApproval).toBe(false)
  })

  it('several targets: roles they share, or the strictest target’s when they share none', () => {
    const a: OutputType = { ...T('social-post'), id: 'a', approverRoles: ['reviewer', 'approver'] }
    const b: OutputType = { ...T('social-post'), id: 'b', approverRoles: ['approver', 'admin'] }
    const c: OutputType = { ...T('pricing-update'), id: 'c', approverRoles: ['admin'] }
    const d: OutputType = { ...T('social-post'), id: 'd', approverRoles: ['reviewer'] }
    const own = T('blog-article')
    expect(effectiveType(own, [fired('price', 'a'), fired('date', 'b')], [a, b]).type.approverRoles).toEqual([
      'approver',
    ])
    expect(effectiveType(own, [fired('price', 'c'), fired('date', 'd')], [c, d]).type.approverRoles).toEqual([
      'admin',
    ])
  })

  it('ignores unknown targets, the type itself, and detectors that did not fire', () => {
    const blog = T('blog-article')
    expect(effectiveType(blog, [fired('price', 'gone')], SMALL_TEAM_TYPES).escalations).toEqual([])
    expect(effectiveType(blog, [fired('price', 'blog-article')], SMALL_TEAM_TYPES).escalations).toEqual([])
    const quiet: PreCheckResult = { ...fired('price', 'pricing-update'), status: 'pass' }
    expect(effectiveType(blog, [quiet], SMALL_TEAM_TYPES).type).toBe(blog)
  })

  it('accepts the types as a map too', () => {
    const map = new Map(SMALL_TEAM_TYPES.map((t) => [t.id, t]))
    expect(
      effectiveType(T('blog-article'), [fired('price', 'pricing-update')], map).type.approvalsRequired,
    ).toBe(2)
  })
})

describe('sentences', () => {
  it('policy and auto-approval availability', () => {
    expect(policySentence({ approvalsRequired: 1, approverRoles: ['reviewer'] })).toBe(
      '1 approval from reviewer',
    )
    expect(autoApproveUnavailable({ risk: 'low' })).toBeNull()
    expect(autoApproveUnavailable({ risk: 'high' })).toMatch(/Only low-risk/)
  })
})
