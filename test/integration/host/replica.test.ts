import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ReplicaLog } from '../../../electron/host/replica/log.ts'
import { Replicas } from '../../../electron/host/replica/replicas.ts'
import { workspaceDocName } from '../../../shared/docnames.ts'
import { localOrigin } from '../../../shared/domain/index.ts'
import { testScope } from '../../support/scope.ts'
import { waitFor } from '../relay/helpers.ts'
import { HOST_MEMBER, hostEnrolled, hostFor, startHost, teamFor, Y } from './team.ts'

const scope = testScope()

describe('the host keeps a replica of each workspace', () => {
  it('syncs with the relay, registers its key, and keeps a teammate’s edits in its own log', async () => {
    const team = await teamFor(scope)
    const h = await hostFor(scope, team)
    expect(h.held).toEqual({ workspaceId: team.workspaceId, held: true })
    await hostEnrolled(team)

    // A teammate's new output: its row reaches the host's workspace replica and its log.
    const out = await team.newOutput('o1', 'client-proposal', 'Proposal for Initech.')
    out.transact(localOrigin('alice'), () => out.content.insert(out.content.length, ' 12 weeks.'))
    const log = new ReplicaLog(h.dataDir)
    scope.defer(() => log.close())
    await waitFor(() => {
      const bytes = log.load(workspaceDocName(team.workspaceId))
      if (!bytes) return false
      const d = new Y.Doc()
      Y.applyUpdate(d, bytes)
      return d.getMap('outputs').has('o1')
    }, 'the row in the host log')
    const rows = log.rows(workspaceDocName(team.workspaceId))
    expect(rows.some((r) => r.member === 'relay')).toBe(true)
    // The host's own write (its key record) is logged as this member's.
    expect(rows.some((r) => r.member === `local:${HOST_MEMBER}`)).toBe(true)
  })

  it('opens every remembered workspace at the next start, from its log, with no relay and no window', async () => {
    const team = await teamFor(scope)
    const first = await startHost(team)
    await hostEnrolled(team)
    await first.close(true)
    scope.defer(() => rmSync(first.dataDir, { recursive: true, force: true }))
    await team.relay.relay.close()

    const replicas = new Replicas({
      dataDir: first.dataDir,
      deviceKey: () => Promise.reject(new Error('not needed')),
    })
    scope.defer(() => replicas.close())
    replicas.start()
    const held = replicas.get(team.workspaceId)
    expect(held?.workspace.name).toBe('Acme')
    expect(held?.workspace.members.has(HOST_MEMBER)).toBe(true)
  })

  it('closes an idle output document once the relay has it, and reopens it from its log', async () => {
    const team = await teamFor(scope)
    await team.newOutput('o3', 'client-proposal', 'Text of o3.')
    const dataDir = scope.dir('signoff-host-idle-')
    const replicas = new Replicas({ dataDir, deviceKey: () => Promise.reject(new Error('not needed')) })
    scope.defer(() => replicas.close())
    await replicas.register({
      workspaceId: team.workspaceId,
      memberId: HOST_MEMBER,
      relayUrl: team.relay.relay.url,
      token: team.hostToken,
    })
    const held = replicas.get(team.workspaceId)!
    const { output } = await held.syncedOutput('o3')
    expect(output.content.toString()).toBe('Text of o3.')
    // Used just now: kept.
    expect(await held.closeIdle(Date.now() - 60_000)).toBe(0)
    await waitFor(() => held.output('o3').replica.settled, 'settled')
    expect(await held.closeIdle(Date.now() + 1)).toBe(1)
    expect(held.openOutputs()).toBe(0)
    await team.relay.relay.close()
    // The relay is gone: the reopened document comes from the host's log.
    expect(held.output('o3').output.content.toString()).toBe('Text of o3.')
  })
})

describe('two members of one relay workspace on this device', () => {
  it('are each held, on a replica of their own, now and after a restart', async () => {
    const team = await teamFor(scope)
    const dataDir = scope.dir('signoff-host-shared-')
    const replicas = new Replicas({ dataDir, deviceKey: () => Promise.reject(new Error('not needed')) })
    const url = team.relay.relay.url
    const otto = {
      workspaceId: team.workspaceId,
      memberId: HOST_MEMBER,
      relayUrl: url,
      token: team.hostToken,
    }
    const bob = { ...otto, memberId: 'bob', token: team.relay.writer(team.workspaceId, 'bob') }
    expect(await replicas.register(otto)).toEqual({ workspaceId: team.workspaceId, held: true })
    // A second member opens the same workspace on this device: one relay connection under one
    // token would hand one member's edits to the other, so each gets a replica (see Replicas).
    expect(await replicas.register(bob)).toEqual({ workspaceId: team.workspaceId, held: true })
    const mine = replicas.get(team.workspaceId, HOST_MEMBER)!
    const bobs = replicas.get(team.workspaceId, 'bob')!
    expect(mine).not.toBe(bobs)
    expect(mine.replica.doc.clientID).not.toBe(bobs.replica.doc.clientID)
    // The first member's acts for the workspace (its background work runs there, once).
    expect(replicas.get(team.workspaceId)).toBe(mine)
    expect(replicas.acts(mine)).toBe(true)
    expect(replicas.acts(bobs)).toBe(false)
    expect(replicas.all()).toEqual([mine])
    await replicas.close()

    const again = new Replicas({ dataDir, deviceKey: () => Promise.reject(new Error('not needed')) })
    scope.defer(() => again.close())
    again.start()
    expect(again.get(team.workspaceId, HOST_MEMBER)?.memberId).toBe(HOST_MEMBER)
    expect(again.get(team.workspaceId, 'bob')?.memberId).toBe('bob')
    expect(again.get(team.workspaceId)?.memberId).toBe(HOST_MEMBER)
    expect((await again.register(bob)).held).toBe(true)
  })
})
