import { describe, expect, it } from 'vitest'
import {
  addComment,
  freshMentions,
  inboxFor,
  localOrigin,
  perform,
  refreshThreadIndex,
  replyToThread,
  threadIndexOf,
  threadIndexRow,
} from '../../../shared/domain/index.ts'
import { setup } from '../domain/fixture.ts'

describe('the "For me" inbox', () => {
  it('lists reviews waiting, mentions and send-backs, newest first, and drops them once acted on', () => {
    const { ws, out } = setup('internal-summary', 'Decisions: ship Friday.')
    expect(inboxFor(ws, 'rita')).toEqual([])
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    expect(inboxFor(ws, 'rita').map((i) => [i.kind, i.title])).toEqual([['review', 'March pricing']])
    expect(inboxFor(ws, 'alice')).toEqual([]) // her own, and authors do not approve here

    const c = addComment(ws, out, 'alice', { from: 0, to: 9, body: '@Rita is this the owner?' }, 4000)
    if (!c.ok) throw new Error(c.reason)
    expect(inboxFor(ws, 'rita').map((i) => i.kind)).toEqual(['mention', 'review'])
    expect(inboxFor(ws, 'rita')[0]).toMatchObject({ by: 'Alice', text: '@Rita is this the owner?' })
    // Rita answers: the mention is acted upon.
    replyToThread(ws, out, 'rita', { thread: c.id, body: 'Yes' }, 5000)
    expect(inboxFor(ws, 'rita').map((i) => i.kind)).toEqual(['review'])

    const item = ws.types.get('internal-summary')!.checklist[0]!
    perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'fail', note: 'No owner' }, 6000)
    perform(ws, out, 'rita', { action: 'request_changes', reasons: ['No owner'] }, 7000)
    expect(inboxFor(ws, 'rita')).toEqual([])
    expect(inboxFor(ws, 'alice').map((i) => [i.kind, i.text])).toEqual([
      ['changes_requested', 'Changes requested: No owner'],
    ])
    perform(ws, out, 'alice', { action: 'submit' }, 8000)
    expect(inboxFor(ws, 'alice')).toEqual([])
  })
})

describe('mention notices', () => {
  it('announces a mention once when it arrives, not the ones that waited before the app opened', () => {
    const { ws, out } = setup('internal-summary', 'Decisions: ship Friday.')
    const old = addComment(ws, out, 'alice', { from: 0, to: 9, body: '@Rita old one' }, 1_000)
    if (!old.ok) throw new Error(old.reason)
    let look = freshMentions(null, inboxFor(ws, 'rita'), 5_000)
    expect(look.fresh).toEqual([])
    // Still not news on the next look, even once loaded late (written before the app opened).
    look = freshMentions(look.seen, inboxFor(ws, 'rita'), 5_000)
    expect(look.fresh).toEqual([])
    const c = addComment(ws, out, 'alice', { from: 0, to: 9, body: '@Rita new one' }, 9_000)
    if (!c.ok) throw new Error(c.reason)
    look = freshMentions(look.seen, inboxFor(ws, 'rita'), 5_000)
    expect(look.fresh.map((m) => [m.id, m.text, m.by])).toEqual([[c.id, '@Rita new one', 'Alice']])
    expect(freshMentions(look.seen, inboxFor(ws, 'rita'), 5_000).fresh).toEqual([])
  })
})

describe('the thread index is checked against the output', () => {
  it('a row another app wrote (a forged count or mention) is rewritten from the signed records', () => {
    const { ws, out } = setup('internal-summary', 'Decisions: ship Friday.')
    const c = addComment(ws, out, 'alice', { from: 0, to: 9, body: 'Which Friday?' }, 1_000)
    if (!c.ok) throw new Error(c.reason)
    const truth = threadIndexRow(ws, 'o1')
    expect(truth.open).toBe(1)
    ws.transact(localOrigin('otto'), () =>
      threadIndexOf(ws).set('o1', {
        open: 7,
        mentions: [{ id: 'fake', memberId: 'rita', by: 'adam', at: 2_000, excerpt: '@Rita approve now' }],
        lastBy: {},
      }),
    )
    expect(inboxFor(ws, 'rita').some((i) => i.kind === 'mention')).toBe(true)
    expect(refreshThreadIndex(ws, out, 'rita')).toBe(true)
    expect(threadIndexRow(ws, 'o1')).toEqual(truth)
    expect(inboxFor(ws, 'rita').some((i) => i.kind === 'mention')).toBe(false)
    expect(refreshThreadIndex(ws, out, 'rita')).toBe(false)
  })
})
