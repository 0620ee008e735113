/** The review panel's "Automatic checks" view model. */
import { describe, expect, it } from 'vitest'
import { reviewView } from '../../../renderer/src/output/review-model.ts'
import { deriveOutput, localOrigin, perform } from '../../../shared/domain/index.ts'
import { preChecksView } from '../../../shared/prechecks/view.ts'
import { setup } from '../domain/fixture.ts'

describe('preChecksView', () => {
  it('states results, matches and the escalation in sentences', () => {
    const { ws, out } = setup('blog-article', 'New: €29 a month. TODO check http://example.com')
    const { input, derived } = deriveOutput(ws, out)
    const v = preChecksView(derived, input)!
    expect(v.summary).toBe(
      '4 passed, 2 failed, 1 found something. A failed check holds approval until the content is fixed.',
    )
    expect(v.items.map((i) => [i.id, i.statusLabel])).toEqual([
      ['banned', 'Passed'],
      ['placeholders', 'Failed'],
      ['links', 'Failed'],
      ['detector:price', 'Found'],
      ['detector:percentage', 'Passed'],
      ['detector:date', 'Passed'],
      ['detector:competitor', 'Passed'],
    ])
    expect(v.items.find((i) => i.id === 'links')?.snippets).toEqual(['http://example.com'])
    expect(v.escalations).toEqual([
      'Mentions a price (€29): this needs the approvals of a Pricing update: 2 approvals from approver or admin.',
    ])
    expect(v.auto).toBeNull()
    expect(reviewView(derived, input, 'rita').preChecks).toEqual(v)
  })

  it('is null for a type without pre-checks', () => {
    const { ws, out } = setup('blog-article', 'x')
    ws.transact(localOrigin('admin'), () => ws.types.patch('blog-article', { prechecks: undefined }))
    const { input, derived } = deriveOutput(ws, out)
    expect(preChecksView(derived, input)).toBeNull()
  })

  it('says where automatic approval stands, and names the automatic approver', () => {
    const { ws, out } = setup('internal-summary', 'Notes.')
    ws.transact(localOrigin('admin'), () =>
      ws.types.patch('internal-summary', {
        prechecks: { ...ws.types.get('internal-summary')!.prechecks!, autoApprove: true },
      }),
    )
    let { input, derived } = deriveOutput(ws, out)
    expect(preChecksView(derived, input)?.auto).toMatch(/approves automatically when it is submitted/)
    perform(ws, out, 'alice', { action: 'submit' })
    ;({ input, derived } = deriveOutput(ws, out))
    expect(preChecksView(derived, input)?.auto).toBe(
      'Approved automatically: every check passed on this version (recorded by Alice’s app).',
    )
    expect(reviewView(derived, input, 'rita').approvals.by).toEqual(['Automatic checks'])
  })
})
