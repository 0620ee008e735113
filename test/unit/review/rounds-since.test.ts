import { describe, expect, it } from 'vitest'
import { deriveOutput, perform, recordEdit } from '../../../shared/domain/index.ts'
import { earlierVerdicts, earlierVerdictText, lastReviewBy } from '../../../shared/domain/rounds-since.ts'
import { edit, setup } from '../domain/fixture.ts'

describe('the second round shows what changed', () => {
  it('names the version a reviewer last judged and each item’s earlier verdict', () => {
    const { ws, out } = setup('internal-summary', 'Decisions: ship Friday.')
    perform(ws, out, 'alice', { action: 'submit' })
    const judged = out.hash()
    const item = ws.types.get('internal-summary')!.checklist[0]!
    perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'fail', note: 'Owner missing' })
    perform(ws, out, 'rita', { action: 'request_changes', reasons: ['Owner missing'] })
    let derived = deriveOutput(ws, out).derived
    // Not back with her yet.
    expect(lastReviewBy(derived, 'rita')).toBeNull()
    const before = out.text()
    edit(out, 'alice', ' Owner: Alice.')
    recordEdit(ws, out, 'alice', before)
    perform(ws, out, 'alice', { action: 'submit' })
    derived = deriveOutput(ws, out).derived
    expect(lastReviewBy(derived, 'rita')).toMatchObject({ round: 1, contentHash: judged })
    expect(out.version(judged)).toBe('Decisions: ship Friday.')
    expect(lastReviewBy(derived, 'adam')).toBeNull()
    const earlier = earlierVerdicts(derived).get(item.id)!
    expect(earlierVerdictText(earlier, null)).toBe('Round 1: failed — Owner missing')
    expect(earlierVerdictText(earlier, 'Rita')).toBe('Round 1: failed — Owner missing (Rita)')
    // This round's judgement does not count as "earlier".
    perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    derived = deriveOutput(ws, out).derived
    expect(earlierVerdicts(derived).get(item.id)?.verdict).toBe('fail')
  })
})
