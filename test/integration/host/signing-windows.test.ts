/**
 * Signing in the host for windows (shared/host/perform.ts): two members on this computer each get
 * their own replica and signature, and a window cannot get anything signed that the rules refuse,
 * or anything it wrote itself (the private key never leaves the host: signing.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { deriveOutput, eventSignatureValid, localOrigin } from '../../../shared/domain/index.ts'
import { parseHostInput } from '../../../shared/host/api.ts'
import { waitFor } from '../relay/helpers.ts'
import { hostPerTest } from './signing-host.ts'
import { HOST_MEMBER } from './team.ts'

const { ctx, openWindow } = hostPerTest()

describe('signing in the host: two members on this computer', () => {
  it('two members on this computer: the host holds a replica for each and signs for each on their own', async () => {
    const { team, h } = ctx
    // A second member opens the workspace here: the host holds it for both (see Replicas).
    const second = await h.host.registerWorkspace(
      parseHostInput('registerWorkspace', {
        workspaceId: team.workspaceId,
        memberId: 'rita',
        relayUrl: team.relay.relay.url,
        token: team.relay.writer(team.workspaceId, 'rita'),
      }),
    )
    expect(second.held).toBe(true)
    const w = await openWindow()
    const { out, made } = await w.create('o-shared', 'Shared computer', 'Words.')
    expect(made).toEqual({ ok: true, value: 'o-shared' })
    // The window's edit, still only in its own copy, is in what the host checks and names.
    out.transact(localOrigin(HOST_MEMBER), () => out.content.insert(0, 'New '))
    const submitted = await w.commands.onOutput('o-shared', out.doc, {
      name: 'perform',
      args: { action: 'submit' },
    })
    expect(submitted.ok).toBe(true)
    const teammate = (await team.output('o-shared')).out
    await waitFor(() => teammate.rawTrail().length >= 2, 'the teammate sees the trail')
    const trail = teammate.rawTrail() as Record<string, unknown>[]
    expect(trail.map((e) => e.kind)).toEqual(['created', 'submitted'])
    for (const e of trail) expect(eventSignatureValid(teammate.scope(), e)).toBe(true)
    expect(trail[1]!.contentHash).toBe(out.hash())
    expect(teammate.content.toString()).toBe('New Words.')
    expect(deriveOutput(team.ws, teammate).derived.state).toBe('in_review')
  }, 60_000)
})

describe('signing in the host: what a window asks for', () => {
  it('a window cannot get a foreign or refused event signed: hostile arguments are refused in a sentence and nothing is appended', async () => {
    const { team, h } = ctx
    const w = await openWindow()
    const { out, made } = await w.create('o-hostile', 'Mine', 'Draft text.')
    expect(made.ok).toBe(true)
    const held = h.host
    const trailOnHost = async () => (await team.output('o-hostile')).out
    const before = out.rawTrail().length

    // Not the API's shape: a command the host does not have, a key smuggled in, another scope.
    const base = {
      workspaceId: team.workspaceId,
      memberId: HOST_MEMBER,
      outputId: 'o-hostile',
      workspace: { vector: '' },
      output: { vector: '' },
    }
    expect(() =>
      parseHostInput('perform', { ...base, command: { name: 'signBytes', args: { bytes: 'AA==' } } }),
    ).toThrow(/Invalid argument for perform/)
    expect(() =>
      parseHostInput('perform', {
        ...base,
        command: { name: 'perform', args: { action: 'submit' } },
        secretKey: 'x',
      }),
    ).toThrow(/Invalid argument for perform/)
    expect(() =>
      parseHostInput('perform', {
        ...base,
        outputId: '../o',
        command: { name: 'perform', args: { action: 'submit' } },
      }),
    ).toThrow(/Invalid argument for perform: outputId/)

    // As a member this device never opened the workspace as: no key is made, nothing signed.
    const asAlice = await held.perform(
      parseHostInput('perform', {
        ...base,
        memberId: 'alice',
        command: { name: 'perform', args: { action: 'submit' } },
      }),
    )
    expect(asAlice).toEqual({
      ok: false,
      reason: 'This device has not opened that workspace as that member, so it signs nothing for them.',
      unregistered: true,
    })

    // What the rules refuse: approving one's own draft, judging with a failure and no reason.
    const approve = await w.commands.onOutput('o-hostile', out.doc, {
      name: 'perform',
      args: { action: 'approve' },
    })
    expect(approve.ok).toBe(false)
    expect(approve.ok ? '' : approve.reason).toMatch(/\w+ .*\./)

    // A forged event the window wrote itself (another member's approval, unsigned) rides along
    // with a real request: the host signs only what it appends, so the forgery stays unsigned
    // and does not count.
    out.doc.getArray('trail').push([
      {
        id: 'e-forged',
        v: 1,
        actor: 'adam',
        at: Date.now(),
        kind: 'approved',
        contentHash: out.hash(),
        note: '',
      },
    ])
    const submit = await w.commands.onOutput('o-hostile', out.doc, {
      name: 'perform',
      args: { action: 'submit' },
    })
    expect(submit.ok).toBe(true)
    const teammate = await trailOnHost()
    await waitFor(() => teammate.rawTrail().length >= before + 2, 'the teammate sees the trail')
    const trail = teammate.rawTrail() as Record<string, unknown>[]
    const forged = trail.find((e) => e.id === 'e-forged')!
    expect(forged.sig).toBeUndefined()
    expect(eventSignatureValid(teammate.scope(), forged)).toBe(false)
    const signedByHost = trail.filter((e) => e.actor === HOST_MEMBER)
    expect(signedByHost.map((e) => e.kind)).toEqual(['created', 'submitted'])
    for (const e of signedByHost) expect(eventSignatureValid(teammate.scope(), e)).toBe(true)
    const { derived } = deriveOutput(team.ws, teammate)
    expect(derived.approvals).toEqual([])
    // The refusals appended nothing: the created, the forgery and the submission only.
    expect(trail.map((e) => e.kind)).toEqual(['created', 'approved', 'submitted'])

    // A window on this computer that names another member with this member's relay token: the
    // relay says whose the token is, and the host signs nothing as alice.
    await held.registerWorkspace(
      parseHostInput('registerWorkspace', {
        workspaceId: team.workspaceId,
        memberId: 'alice',
        relayUrl: team.relay.relay.url,
        token: team.hostToken,
      }),
    )
    const impersonated = await held.perform(
      parseHostInput('perform', {
        ...base,
        memberId: 'alice',
        workspace: { vector: '' },
        output: { vector: '' },
        command: { name: 'addComment', args: { body: 'Signed as alice?' } },
      }),
    )
    expect(impersonated).toEqual({
      ok: false,
      reason:
        'The relay says this window’s token belongs to someone else, so the host signs nothing for it as you.',
    })
    await new Promise((r) => setTimeout(r, 300))
    expect((await trailOnHost()).rawTrail().length).toBe(trail.length)
    expect(teammate.doc.getArray('comments').length).toBe(0)
  }, 60_000)
})
