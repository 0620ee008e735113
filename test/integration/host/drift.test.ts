// The host's services built by hand from their injected context (no createHost): scheduled
// publishing performs, then the drift check finds the published file gone.
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDeviceKeyStore } from '../../../electron/host/device-keys.ts'
import { createPublishService } from '../../../electron/host/publish-service.ts'
import { Replicas } from '../../../electron/host/replica/replicas.ts'
import { driftChecks } from '../../../electron/host/services/drift.ts'
import { scheduledPublishing } from '../../../electron/host/services/scheduled-publish.ts'
import type { HostContext } from '../../../electron/host/services/service.ts'
import { deriveOutput, localOrigin, perform, schedulePublish } from '../../../shared/domain/index.ts'
import type { HostEvent } from '../../../shared/host/events.ts'
import { testScope } from '../../support/scope.ts'
import { tempDir } from '../publish/helpers.ts'
import { waitFor } from '../relay/helpers.ts'
import { HOST_MEMBER, hostEnrolled, teamFor } from './team.ts'

const scope = testScope()

describe('drift checks in the host', () => {
  it('flags a published file that went missing, tells the windows, and answers one that opens', async () => {
    const team = await teamFor(scope)
    const dataDir = tempDir('signoff-host-drift-')
    const site = tempDir('signoff-drift-site-')
    scope.defer(() => {
      rmSync(dataDir, { recursive: true, force: true })
      rmSync(site, { recursive: true, force: true })
    })
    const keys = createDeviceKeyStore({ dataDir })
    const replicas = new Replicas({ dataDir, deviceKey: (w, m) => keys.get(w, m) })
    const publishing = createPublishService({ dataDir })
    await publishing.save(team.workspaceId, 'site', { kind: 'folder', path: site })
    const events: HostEvent[] = []
    const ctx: HostContext = { replicas, now: Date.now, log: () => {}, emit: (e) => events.push(e) }
    const services = [scheduledPublishing(ctx, { publishing }), driftChecks(ctx, { publishing })] as const
    for (const s of services) s.start()
    scope.defer(async () => {
      for (const s of services) await s.stop()
      await replicas.close()
    })
    await replicas.register({
      workspaceId: team.workspaceId,
      memberId: HOST_MEMBER,
      relayUrl: team.relay.relay.url,
      token: team.hostToken,
    })
    await hostEnrolled(team)

    const ws = team.ws
    ws.transact(localOrigin('admin'), () => {
      ws.destinations.put({ id: 'site', name: 'Site folder', kind: 'folder' })
      ws.types.patch('client-proposal', { allowedDestinations: ['site'] })
    })
    const out = await team.newOutput('o1', 'client-proposal', 'Proposal.')
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('client-proposal')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    perform(ws, out, 'adam', { action: 'approve' })
    schedulePublish(ws, out, 'alice', 'site', Date.now() + 1000)
    await waitFor(() => deriveOutput(ws, out).derived.state === 'published', 'published')
    expect(events.some((e) => e.name === 'notice')).toBe(true)

    const [drift] = [services[1]]
    await drift.check(team.workspaceId)
    expect(drift.flags(team.workspaceId)).toEqual({})
    for (const f of readdirSync(site)) rmSync(join(site, f))
    await drift.check(team.workspaceId)
    expect(drift.flags(team.workspaceId).o1).toMatchObject([{ destinationId: 'site', status: 'missing' }])
    expect(events.filter((e) => e.name === 'drift')).toMatchObject([
      {
        name: 'drift',
        payload: { workspaceId: team.workspaceId, outputId: 'o1', flags: [{ status: 'missing' }] },
      },
    ])
  })
})
