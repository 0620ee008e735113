import { describe, expect, it } from 'vitest'
import { addComment, replyToThread } from '../../../shared/domain/comments.ts'
import { testScope } from '../../support/scope.ts'
import { waitFor } from '../relay/helpers.ts'
import { HOST_MEMBER, hostEnrolled, startHost, teamFor } from './team.ts'

const scope = testScope()

describe('mentions in the host', () => {
  it('a teammate @mentions this device’s member with no window open: one desktop notification, once', async () => {
    const team = await teamFor(scope)
    const shown: { title: string; body: string; tag: string }[] = []
    const h = await startHost(team, {
      notify: (n) => {
        shown.push(n)
        return true
      },
    })
    scope.defer(() => h.close())
    await hostEnrolled(team)
    const out = await team.newOutput('o1', 'client-proposal', 'Proposal for Initech, due Friday.')
    // A comment that mentions nobody here: nothing.
    const first = addComment(team.ws, out, 'alice', { from: 0, to: 8, body: 'Is the scope right?' })
    expect(first.ok).toBe(true)
    // Rita asks this device's member by name.
    const name = team.ws.members.get(HOST_MEMBER)!.name
    const mention = addComment(team.ws, out, 'rita', { from: 26, to: 32, body: `@${name} which Friday?` })
    expect(mention.ok).toBe(true)
    await waitFor(() => shown.length > 0, 'the mention notified', 15_000)
    expect(shown).toEqual([
      {
        title: `Rita mentioned you on “Output o1”`,
        body: expect.stringContaining('which Friday?'),
        tag: `signoff-mention-${mention.ok ? mention.id : ''}`,
      },
    ])
    // A window asking for the same notification (it saw the mention too) shows nothing more.
    expect(await h.host.notify(shown[0]!)).toEqual({ shown: true })
    // A reply that mentions someone else: still one.
    if (first.ok) replyToThread(team.ws, out, 'alice', { thread: first.id, body: '@Rita can you check?' })
    await new Promise((r) => setTimeout(r, 500))
    expect(shown).toHaveLength(1)
  })

  it('mentions from before the host started are in the inbox, not announced', async () => {
    const team = await teamFor(scope)
    const out = await team.newOutput('o2', 'client-proposal', 'Renewal for Initrode.')
    const name = `@Otto`
    // Long before: written with a time well past the grace period.
    const old = addComment(
      team.ws,
      out,
      'rita',
      { from: 0, to: 7, body: `${name} see this` },
      Date.now() - 3_600_000,
    )
    expect(old.ok).toBe(true)
    const shown: string[] = []
    const h = await startHost(team, {
      notify: (n) => {
        shown.push(n.tag)
        return true
      },
    })
    scope.defer(() => h.close())
    await hostEnrolled(team)
    const fresh = addComment(team.ws, out, 'rita', { from: 0, to: 7, body: `${name} and this` })
    await waitFor(() => shown.length > 0, 'the new mention notified', 15_000)
    await new Promise((r) => setTimeout(r, 300))
    expect(shown).toEqual([`signoff-mention-${fresh.ok ? fresh.id : ''}`])
  })
})
