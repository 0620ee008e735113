import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { ReplicaLog } from '../../../electron/host/replica/log.ts'
import { Replicas } from '../../../electron/host/replica/replicas.ts'
import { workspaceDocName } from '../../../shared/docnames.ts'
import { localOrigin } from '../../../shared/domain/index.ts'
import { waitFor } from '../relay/helpers.ts'
import { HOST_MEMBER, hostEnrolled, startHost, startTeam, Y } from './team.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('the host keeps a replica of each workspace', () => {
  it('syncs with the relay, registers its key, and keeps a teammate’s edits in its own log', async () => {
    const team = await startTeam()
    cleanups.push(() => team.close())
    const h = await startHost(team)
    cleanups.push(() => h.close())
    expect(h.held).toEqual({ workspaceId: team.workspaceId, held: true })
    await hostEnrolled(team)

    // A teammate's new output: its row reaches the host's workspace replica and its log.
    const out = await team.newOutput('o1', 'client-proposal', 'Proposal for Initech.')
    out.transact(localOrigin('alice'), () => out.content.insert(out.content.length, ' 12 weeks.'))
    const log = new ReplicaLog(h.dataDir)
    cleanups.push(() => log.close())
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
    const team = await startTeam()
    cleanups.push(() => team.close())
    const first = await startHost(team)
    await hostEnrolled(team)
    await first.close(true)
    cleanups.push(() => rmSync(first.dataDir, { recursive: true, force: true }))
    await team.relay.relay.close()

    const replicas = new Replicas({
      dataDir: first.dataDir,
      deviceKey: () => Promise.reject(new Error('not needed')),
    })
    cleanups.push(() => replicas.close())
    replicas.start()
    const held = replicas.get(team.workspaceId)
    expect(held?.workspace.name).toBe('Acme')
    expect(held?.workspace.members.has(HOST_MEMBER)).toBe(true)
  })
})
