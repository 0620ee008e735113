import { describe, expect, it } from 'vitest'
import {
  acceptSuggestions,
  approveOutput,
  declineSuggestion,
  deriveOutput,
  deriveThreads,
  localOrigin,
  perform,
  suggestChange,
} from '../../../shared/domain/index.ts'
import { setup } from '../domain/fixture.ts'

const TEXT = 'Pro plan: 29 EUR per month from 1 March.'
const range = (words: string) => ({ from: TEXT.indexOf(words), to: TEXT.indexOf(words) + words.length })

describe('suggestions', () => {
  it('several are accepted at once as the accepting member’s edit, recorded in the trail', () => {
    const { ws, out } = setup()
    const a = suggestChange(ws, out, 'rita', { ...range('29 EUR'), replacement: '31 EUR', body: 'New price' })
    const b = suggestChange(ws, out, 'rita', { ...range('1 March'), replacement: '1 April' })
    if (!a.ok || !b.ok) throw new Error('not suggested')
    expect(deriveThreads(ws, out).threads.map((t) => [t.kind, t.words, t.replacement])).toEqual([
      ['suggestion', '29 EUR', '31 EUR'],
      ['suggestion', '1 March', '1 April'],
    ])
    expect(acceptSuggestions(ws, out, 'alice', { threads: [a.id, b.id] })).toEqual({ ok: true })
    expect(out.text()).toBe('Pro plan: 31 EUR per month from 1 April.')
    const { derived } = deriveOutput(ws, out)
    const last = derived.events[derived.events.length - 1]!
    expect(last).toMatchObject({ kind: 'edited', actor: 'alice', contentHash: out.hash() })
    expect(last.kind === 'edited' && last.summary).toMatch(/^Accepted 2 suggestions by Rita/)
    expect(out.version(out.hash())).toBe(out.text())
    expect(deriveThreads(ws, out).threads.map((t) => t.status)).toEqual(['accepted', 'accepted'])
    expect(acceptSuggestions(ws, out, 'alice', { threads: [a.id] })).toEqual({
      ok: false,
      reason: 'That suggestion was already accepted.',
    })
  })

  it('refuses when the words changed since, when two overlap, and on locked content', () => {
    const { ws, out } = setup('internal-summary')
    const a = suggestChange(ws, out, 'rita', { ...range('29 EUR'), replacement: '31 EUR' })
    const b = suggestChange(ws, out, 'rita', { ...range('EUR per'), replacement: 'USD per' })
    if (!a.ok || !b.ok) throw new Error('not suggested')
    expect(acceptSuggestions(ws, out, 'alice', { threads: [a.id, b.id] }).ok).toBe(false)
    out.transact(localOrigin('alice'), () => out.content.insert(TEXT.indexOf('EUR'), 'k'))
    const changed = acceptSuggestions(ws, out, 'alice', { threads: [a.id] })
    expect(!changed.ok && changed.reason).toMatch(/words changed since it was suggested/)
    expect(declineSuggestion(ws, out, 'alice', { thread: a.id }).ok).toBe(true)
    expect(deriveThreads(ws, out).threads[0]!.status).toBe('declined')
    // Approved: locked.
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('internal-summary')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    expect(approveOutput(ws, out, 'rita', {})).toEqual({ ok: true })
    const locked = acceptSuggestions(ws, out, 'alice', { threads: [b.id] })
    expect(!locked.ok && locked.reason).toMatch(/locked/)
  })

  it('refuses a suggestion that changes nothing or has no words', () => {
    const { ws, out } = setup()
    expect(suggestChange(ws, out, 'rita', { ...range('29 EUR'), replacement: '29 EUR' }).ok).toBe(false)
    expect(suggestChange(ws, out, 'rita', { from: 3, to: 3, replacement: 'x' }).ok).toBe(false)
  })
})
