// A window of a relay workspace talks only to the host: its edits and its presence reach the team
// through the host's relay connection, it is told where that connection stands, and "Work
// offline" takes that connection offline.
import { describe, expect, it } from 'vitest'
import { workspaceDocName } from '../../../shared/docnames.ts'
import { parseHostInput } from '../../../shared/host/api.ts'
import { testScope } from '../../support/scope.ts'
import { client, synced, waitFor } from '../relay/helpers.ts'
import { HOST_MEMBER, hostFor, teamFor } from './team.ts'
import { inProcessChannel, windowOver } from './window-link.ts'

const scope = testScope()

/** A team on a real relay, this device's host holding its workspace, and a window on it, synced. */
async function windowOnTeam() {
  const team = await teamFor(scope)
  const h = await hostFor(scope, team)
  const name = workspaceDocName(team.workspaceId)
  const win = windowOver(inProcessChannel(h.host), name, undefined, HOST_MEMBER)
  scope.defer(() => win.close())
  await waitFor(() => win.link.state.relay?.state === 'synced', 'the window hears the host is synced')
  /** "Work offline" (or back) for the host's member, as the window asks it. */
  const workOffline = (offline: boolean, workspaceId = team.workspaceId) =>
    h.host.setWorkOffline(parseHostInput('setWorkOffline', { workspaceId, memberId: HOST_MEMBER, offline }))
  return { team, name, win, workOffline }
}

describe('a relay workspace’s window through the host', () => {
  it('carries edits and presence both ways, tells the relay status, and works offline by choice', async () => {
    const { team, name, win, workOffline } = await windowOnTeam()
    expect(win.link.state.relay).toEqual({ state: 'synced' })
    expect(win.doc.getMap('meta').size).toBeGreaterThan(0)

    // A teammate on the relay, with presence.
    const rita = client(team.relay.relay.url, name, team.relay.writer(team.workspaceId, 'rita'))
    scope.defer(() => rita.destroy())
    await synced(rita)
    rita.provider.awareness.setLocalStateField('user', { name: 'Rita' })
    win.awareness.setLocalStateField('user', { name: 'Otto' })
    const names = (states: Map<number, Record<string, unknown>>) =>
      [...states.values()].map((s) => (s.user as { name?: string } | undefined)?.name).filter(Boolean)
    await waitFor(() => names(rita.provider.awareness.getStates()).includes('Otto'), 'Rita sees Otto')
    await waitFor(() => names(win.awareness.getStates()).includes('Rita'), 'Otto sees Rita')

    // An edit each way.
    win.doc.getMap('scratch').set('from', 'window')
    rita.doc.getMap('scratch').set('to', 'window')
    await waitFor(() => rita.doc.getMap('scratch').get('from') === 'window', 'the window’s edit reaches Rita')
    await waitFor(() => win.doc.getMap('scratch').get('to') === 'window', 'Rita’s edit reaches the window')

    // Work offline: the host's connection goes; Rita no longer sees Otto, nor his edits.
    const offline = await workOffline(true)
    expect(offline).toEqual({ offline: true })
    await waitFor(() => win.link.state.relay?.state === 'offline', 'the window hears it is offline')
    expect(win.link.state.relay).toEqual({ state: 'offline', chosen: true })
    await waitFor(
      () => !names(rita.provider.awareness.getStates()).includes('Otto'),
      'Otto leaves Rita’s view',
    )
    await waitFor(() => !names(win.awareness.getStates()).includes('Rita'), 'Rita leaves Otto’s view')
    win.doc.getMap('scratch').set('offline', 'kept')
    await new Promise((r) => setTimeout(r, 300))
    expect(rita.doc.getMap('scratch').get('offline')).toBeUndefined()

    // Back online: the edit made offline arrives, and so does the presence.
    await workOffline(false)
    await waitFor(() => win.link.state.relay?.state === 'synced', 'synced again')
    await waitFor(() => rita.doc.getMap('scratch').get('offline') === 'kept', 'the offline edit arrives')
    await waitFor(() => names(rita.provider.awareness.getStates()).includes('Otto'), 'Rita sees Otto again')

    // The window goes: so does its presence, for the team.
    win.close()
    await waitFor(() => !names(rita.provider.awareness.getStates()).includes('Otto'), 'Otto’s window is gone')
  })

  it('says so when the relay refuses the token, and again after going back online', async () => {
    const { team, win, workOffline } = await windowOnTeam()
    const tokens = team.relay.relay.listTokens(team.workspaceId).filter((t) => t.memberId === HOST_MEMBER)
    for (const t of tokens) team.relay.relay.revokeToken(t.id)
    await waitFor(() => Boolean(win.link.state.relay?.error), 'the window hears of the refusal')
    expect(win.link.state.relay?.state).toBe('offline')
    expect(win.link.state.relay?.error).toBe(
      'The relay refused the token (token revoked). Ask whoever runs the relay for a new one.',
    )

    // Back online by choice does not retry a refused token: it says why again.
    await workOffline(true)
    await workOffline(false)
    await waitFor(() => Boolean(win.link.state.relay?.error), 'the refusal is told again')
    expect(win.link.state.relay?.error).toMatch(/^The relay refused the token/)

    // A workspace the host does not hold, or one without a relay: nothing to take offline.
    expect(await workOffline(true, 'wNotHeld000001')).toEqual({ offline: false })
  })

  it('a relay that goes away is told as unreachable', async () => {
    const { team, win } = await windowOnTeam()
    await team.relay.relay.close()
    await waitFor(() => win.link.state.relay?.state === 'offline', 'offline when the relay goes', 15_000)
    await waitFor(
      () =>
        win.link.state.relay?.error === `Cannot reach the relay at ${team.relay.relay.url}; working offline.`,
      'told it cannot be reached',
      15_000,
    )
  })
})
