import { describe, expect, it } from 'vitest'
import { addComment, inboxFor, perform, replyToThread } from '../../../shared/domain/index.ts'
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
