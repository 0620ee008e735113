/**
 * Two members of one relay workspace on this device: the host holds a replica for each, with its
 * own relay connection under that member's token and its own keys in the local log, serves each
 * member's windows from their own, and does the workspace's background work once.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startWebServer } from '../../../electron/host/bridge.ts'
import { createDeviceKeyStore } from '../../../electron/host/device-keys.ts'
import { createHost } from '../../../electron/host/index.ts'
import { ReplicaLog } from '../../../electron/host/replica/log.ts'
import { Replicas } from '../../../electron/host/replica/replicas.ts'
import { createWebHost } from '../../../renderer/src/host/web-client.ts'
import { outputDocName, workspaceDocName } from '../../../shared/docnames.ts'
import {
  deriveOutput,
  localOrigin,
  type OutputDoc,
  perform,
  schedulePublish,
} from '../../../shared/domain/index.ts'
import { parseHostInput } from '../../../shared/host/api.ts'
import { openDatabase, UpdateLog } from '../../../sync-server/index.ts'
import { testScope } from '../../support/scope.ts'
import { tempDir } from '../publish/helpers.ts'
import { sleep, waitFor } from '../relay/helpers.ts'
import {
  approveForSite,
  HOST_MEMBER,
  hostSiteFolder,
  postArticle,
  routeToBackup,
  startHost,
  type Team,
  teamFor,
  Y,
} from './team.ts'
import { inProcessChannel, openWindow, windowOver } from './window-link.ts'

const scope = testScope()
const BEA = 'bea'

/** Bea joins the team (an author with no device yet): the second member on this device. */
function addBea(team: Team): string {
  team.ws.transact(localOrigin('admin'), () =>
    team.ws.members.put({ id: BEA, name: 'Bea', roles: ['author'], joinedAt: 1000 }),
  )
  return team.relay.writer(team.workspaceId, BEA)
}

function registerBea(host: ReturnType<typeof createHost>, team: Team, token: string) {
  return host.registerWorkspace(
    parseHostInput('registerWorkspace', {
      workspaceId: team.workspaceId,
      memberId: BEA,
      relayUrl: team.relay.relay.url,
      token,
    }),
  )
}

/** A team with Bea added as its second member on this device, and her write token. */
async function teamWithBea(): Promise<{ team: Team; beaToken: string }> {
  const team = await teamFor(scope)
  return { team, beaToken: addBea(team) }
}

/** This device's host, closed after the test, holding the workspace for Bea as well. */
async function hostForBoth(team: Team, beaToken: string) {
  const h = await startHost(team)
  scope.defer(() => h.close())
  expect(await registerBea(h.host, team, beaToken)).toEqual({ workspaceId: team.workspaceId, held: true })
  return h
}

async function bothEnrolled(team: Team): Promise<void> {
  const trusted = (m: string) => [...team.ws.keyTrust().values()].some((t) => t.memberId === m && t.trusted)
  await waitFor(() => trusted(HOST_MEMBER) && trusted(BEA), 'both members’ keys on the relay', 30_000)
}

/** A window of `memberId` showing one document, synced with the host (as a MessagePort would). */
function windowOn(host: ReturnType<typeof createHost>, docName: string, memberId: string) {
  const { doc, link, close } = windowOver(inProcessChannel(host), docName, new Y.Doc(), memberId)
  scope.defer(close)
  return { doc, link, text: () => doc.getText('content') }
}

/** Who the relay logged each update of `doc` as (the authenticated member). */
function relayWriters(team: Team, doc: string): Set<string> {
  const db = openDatabase(team.relay.dataDir, 'normal')
  try {
    return new Set(new UpdateLog(db).list(doc, { limit: 100_000 }).map((r) => r.member))
  } finally {
    db.close()
  }
}

function localWriters(dataDir: string, key: string): Set<string> {
  const log = new ReplicaLog(dataDir)
  try {
    return new Set(log.rows(key).map((r) => r.member))
  } finally {
    log.close()
  }
}

/** The output goes out, and `settleMs` later it has gone out once, by `by`, as one file. */
async function publishedOnce(team: Team, out: OutputDoc, folder: string, by: string, settleMs: number) {
  await waitFor(() => deriveOutput(team.ws, out).derived.state === 'published', 'published', 10_000)
  await sleep(settleMs)
  const attempts = deriveOutput(team.ws, out).derived.publishes
  expect(attempts).toHaveLength(1)
  expect(attempts[0]).toMatchObject({ status: 'published', by })
  expect(readdirSync(folder).filter((f) => f.endsWith('.md'))).toHaveLength(1)
}

describe('two members of one relay workspace on this device: a replica each', () => {
  it('each has a replica under their own token: both members’ edits reach a third member, none refused, and their logs never mix', async () => {
    const { team, beaToken } = await teamWithBea()
    const out = await team.newOutput('o1', 'client-proposal', 'Proposal.')
    const h = await hostForBoth(team, beaToken)
    // Each member's replica enrols that member's own key, signed as them, through their connection.
    await bothEnrolled(team)

    const name = outputDocName(team.workspaceId, 'o1')
    const otto = windowOn(h.host, name, HOST_MEMBER)
    const bea = windowOn(h.host, name, BEA)
    await waitFor(() => otto.text().toString() === 'Proposal.', 'otto’s window gets the output')
    await waitFor(() => bea.text().toString() === 'Proposal.', 'bea’s window gets the output')
    otto.text().insert(otto.text().length, ' Otto.')
    bea.text().insert(0, 'Bea: ')
    await waitFor(
      () => out.content.toString() === 'Bea: Proposal. Otto.',
      'both edits reach the third member through the relay',
    )
    // And each window gets the other member's edit back through the relay and its own replica.
    await waitFor(() => otto.text().toString() === 'Bea: Proposal. Otto.', 'otto sees bea’s edit')
    await waitFor(() => bea.text().toString() === 'Bea: Proposal. Otto.', 'bea sees otto’s edit')
    expect(otto.doc.clientID).not.toBe(bea.doc.clientID)

    const stats = team.relay.relay.stats()
    expect(stats.unsafeUpdates).toBe(0)
    expect(stats.outOfSyncUpdates).toBe(0)
    expect(stats.refused).toBe(0)
    // Each member's edits went under their own token (the relay's rows follow its broadcast by a moment).
    await waitFor(() => {
      const writers = relayWriters(team, name)
      return writers.has(HOST_MEMBER) && writers.has(BEA)
    }, 'both members’ edits in the relay’s log')
    await waitFor(() => {
      const workspaceWriters = relayWriters(team, workspaceDocName(team.workspaceId))
      return workspaceWriters.has(HOST_MEMBER) && workspaceWriters.has(BEA)
    }, 'both members in the workspace’s log')

    // Locally, the first member keeps the plain keys and Bea has her own: never mixed.
    const plain = localWriters(h.dataDir, name)
    const beas = localWriters(h.dataDir, `${name}@${BEA}`)
    expect(plain.has(`local:${HOST_MEMBER}`)).toBe(true)
    expect(plain.has(`local:${BEA}`)).toBe(false)
    expect(beas.has(`local:${BEA}`)).toBe(true)
    expect(beas.has(`local:${HOST_MEMBER}`)).toBe(false)
  }, 60_000)

  it('the web bridge serves each member’s window from their own replica (the member in the sync channel)', async () => {
    const { team, beaToken } = await teamWithBea()
    await team.newOutput('o6', 'client-proposal', 'Proposal.')
    const dataDir = scope.dir('signoff-shared-bridge-')
    const server = await startWebServer({ port: 0, rendererDir: dataDir, dataDir, version: 'test' })
    scope.defer(() => server.close().catch(() => {}))
    const host = createWebHost(server.origin, server.secret)
    const relayUrl = team.relay.relay.url
    for (const [memberId, token] of [
      [HOST_MEMBER, team.hostToken],
      [BEA, beaToken],
    ] as const)
      expect(
        (await host.registerWorkspace({ workspaceId: team.workspaceId, memberId, relayUrl, token })).held,
      ).toBe(true)
    const name = outputDocName(team.workspaceId, 'o6')
    const bea = openWindow(server.origin, server.secret, name, new Y.Doc(), BEA)
    scope.defer(() => bea.close())
    const text = bea.doc.getText('content')
    await waitFor(() => text.toString() === 'Proposal.', 'bea’s window synced')
    text.insert(text.length, ' Bea.')
    expect(await bea.link.whenSaved(5000)).toBe(true)
    await waitFor(() => localWriters(dataDir, `${name}@${BEA}`).has(`local:${BEA}`), 'in bea’s own log keys')
    expect(localWriters(dataDir, name).has(`local:${BEA}`)).toBe(false)
    const { out } = await team.output('o6')
    await waitFor(() => out.content.toString() === 'Proposal. Bea.', 'bea’s edit at the team')
    // The relay's row follows its broadcast by a moment (group-commit.ts).
    await waitFor(() => relayWriters(team, name).has(BEA), 'bea’s edit in the relay’s log')
  }, 60_000)
})

describe('two members of one relay workspace on this device: what the host does once for both', () => {
  it('performs a scheduled publish with no window exactly once, and after a restart holds both members from its log and the relay', async () => {
    const { team, beaToken } = await teamWithBea()
    const dataDir = tempDir('signoff-host-shared-')
    scope.defer(() => rmSync(dataDir, { recursive: true, force: true }))
    const first = await startHost(team, { dataDir })
    let closed = false
    scope.defer(() => (closed ? undefined : first.host.close()))
    expect((await registerBea(first.host, team, beaToken)).held).toBe(true)
    const folder = scope.dir('signoff-site-')
    await hostSiteFolder(first, team, folder)
    await bothEnrolled(team)

    const out = await team.newOutput('o2', 'client-proposal', 'Proposal for Initech.')
    approveForSite(team.ws, out)
    expect(schedulePublish(team.ws, out, 'alice', 'site', Date.now() + 1500).ok).toBe(true)
    // Give a second performer every chance to show up: both replicas saw the schedule fall due.
    await publishedOnce(team, out, folder, HOST_MEMBER, 3000)
    expect(out.rawTrail().filter((e) => (e as { kind?: string }).kind === 'publish_claimed')).toHaveLength(1)

    await first.host.close()
    closed = true

    // The next start: both members' replicas come back from the log before any window registers.
    const again = createHost({ shell: 'web', version: 'test', dataDir, intakePort: 0 })
    scope.defer(() => again.close())
    const name = outputDocName(team.workspaceId, 'o2')
    const bea = windowOn(again, name, BEA)
    const otto = windowOn(again, name, HOST_MEMBER)
    await waitFor(() => bea.text().toString() === 'Proposal for Initech.', 'bea’s window, from her replica')
    await waitFor(() => otto.text().toString() === 'Proposal for Initech.', 'otto’s window, from his')
    bea.text().insert(bea.text().length, ' Bea again.')
    await waitFor(
      () => out.content.toString() === 'Proposal for Initech. Bea again.',
      'bea’s edit after the restart reaches the team',
    )
    await waitFor(() => otto.text().toString().endsWith('Bea again.'), 'and otto’s window')
    expect(team.relay.relay.stats().unsafeUpdates).toBe(0)
    await sleep(2000)
    // Still one publish: the restart did not perform the schedule again.
    expect(deriveOutput(team.ws, out).derived.publishes).toHaveLength(1)
    expect(readdirSync(folder).filter((f) => f.endsWith('.md'))).toHaveLength(1)
  }, 90_000)

  it('hands an overdue review to the backup at its deadline once, not once per member', async () => {
    const { team, beaToken } = await teamWithBea()
    const ws = team.ws
    const type = routeToBackup(ws)
    await hostForBoth(team, beaToken)
    await bothEnrolled(team)
    const out = await team.newOutput('o5', 'client-proposal', 'Proposal for Initrode.')
    // Due in a moment: both members' replicas have it open when the deadline comes.
    const deadline = Date.now() + 1500
    expect(
      perform(ws, out, 'alice', { action: 'submit' }, deadline - type.reviewSlaHours * 3_600_000).ok,
    ).toBe(true)
    await waitFor(() => ws.summary('o5')?.reviewer === 'rita', 'the hand-over at the deadline', 10_000)
    await sleep(2500)
    const overdue = out
      .rawTrail()
      .filter((e) => (e as { kind?: string; reason?: string }).kind === 'assigned')
      .filter((e) => (e as { reason?: string }).reason === 'overdue')
    expect(overdue).toHaveLength(1)
    expect((overdue[0] as { actor?: string }).actor).toBe(HOST_MEMBER)
  }, 60_000)

  it('an intake submission to the workspace becomes exactly one draft, made by the acting member', async () => {
    const { team, beaToken } = await teamWithBea()
    const h = await hostForBoth(team, beaToken)
    await bothEnrolled(team)
    const info = await h.host.intakeInfo(undefined)
    if (!info.url || !info.token) throw new Error(`The intake API is not running: ${info.error}`)
    const res = await postArticle(
      { url: info.url, token: info.token },
      team.workspaceId,
      'Launch post',
      '# Launch\nWe ship.',
    )
    expect(res.status).toBe(202)
    const id = ((await res.json()) as { id: string }).id
    await waitFor(() => team.ws.summary(id)?.state === 'draft', 'the draft at the teammate')
    await sleep(1500)
    const drafts = team.ws.allSummaries().filter((s) => s.title === 'Launch post')
    expect(drafts).toHaveLength(1)
    expect(drafts[0]!.authorId).toBe(HOST_MEMBER)
    const { out } = await team.output(id)
    await waitFor(() => out.content.toString() === '# Launch\nWe ship.', 'its content')
    expect(out.rawTrail().filter((e) => (e as { kind?: string }).kind === 'created')).toHaveLength(1)
  }, 60_000)
})

describe('two members of one relay workspace on this device: one leaving, and a host moved to the windows', () => {
  it('one member leaving keeps the other held: their replica acts now, and a schedule falls due and goes out once', async () => {
    const { team, beaToken } = await teamWithBea()
    const h = await hostForBoth(team, beaToken)
    const folder = scope.dir('signoff-site-')
    await hostSiteFolder(h, team, folder)
    await bothEnrolled(team)
    // Otto, whose replica acted, leaves the workspace on this device; Bea stays.
    expect(
      await h.host.forgetWorkspace(
        parseHostInput('forgetWorkspace', { workspaceId: team.workspaceId, memberId: HOST_MEMBER }),
      ),
    ).toEqual({ forgotten: true })
    const bea = windowOn(h.host, workspaceDocName(team.workspaceId), BEA)
    await waitFor(() => bea.doc.getMap('meta').get('name') === 'Acme', 'bea’s window still served')

    const out = await team.newOutput('o4', 'client-proposal', 'Proposal.')
    approveForSite(team.ws, out)
    expect(schedulePublish(team.ws, out, 'alice', 'site', Date.now() + 1000).ok).toBe(true)
    await publishedOnce(team, out, folder, BEA, 1500)
  }, 60_000)

  it('once everyone here has left, intake for the workspace is refused, not queued for no one', async () => {
    const { team, beaToken } = await teamWithBea()
    const h = await hostForBoth(team, beaToken)
    await bothEnrolled(team)
    const info = await h.host.intakeInfo(undefined)
    if (!info.url || !info.token) throw new Error(`The intake API is not running: ${info.error}`)
    const api = { url: info.url, token: info.token }
    const leave = (memberId: string) =>
      h.host.forgetWorkspace(parseHostInput('forgetWorkspace', { workspaceId: team.workspaceId, memberId }))
    // One of two leaves: the other still holds it, and intake still takes it.
    expect(await leave(HOST_MEMBER)).toEqual({ forgotten: true })
    expect((await postArticle(api, team.workspaceId, 'Still taken', 'Yes.')).status).toBe(202)
    // The last one leaves: refused in words.
    expect(await leave(BEA)).toEqual({ forgotten: true })
    const refused = await postArticle(api, team.workspaceId, 'For no one', 'No.')
    expect(refused.status).toBe(404)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      `This machine takes no intake for workspace ${team.workspaceId}.`,
    )
  }, 60_000)

  it('migrates a host that left the workspace to the windows (shared-device.json): held again, and the first member’s unsent edit reaches the relay under their token', async () => {
    const { team, beaToken } = await teamWithBea()
    await team.newOutput('o3', 'client-proposal', 'Text.')
    const dataDir = scope.dir('signoff-host-migrate-')
    const keys = createDeviceKeyStore({ dataDir })
    const relay = { relayUrl: team.relay.relay.url }
    const otto = { workspaceId: team.workspaceId, memberId: HOST_MEMBER, ...relay, token: team.hostToken }
    const bea = { workspaceId: team.workspaceId, memberId: BEA, ...relay, token: beaToken }
    // The host before this change held the workspace for otto, writing to the plain keys...
    const before = new Replicas({ dataDir, deviceKey: (w, m) => keys.get(w, m) })
    await before.register(otto)
    await waitFor(
      () => [...team.ws.keyTrust().values()].some((t) => t.memberId === HOST_MEMBER && t.trusted),
      'otto enrolled',
      30_000,
    )
    const held = before.get(team.workspaceId)!
    await held.syncedOutput('o3')
    await before.close()
    // ...and otto edited while the relay was out of reach: only in the local log.
    const name = outputDocName(team.workspaceId, 'o3')
    const log = new ReplicaLog(dataDir)
    const d = new Y.Doc()
    Y.applyUpdate(d, log.load(name)!)
    const vector = Y.encodeStateVector(d)
    d.getText('content').insert(0, 'Offline: ')
    await log.append(name, Y.encodeStateAsUpdate(d, vector), `local:${HOST_MEMBER}`)
    log.close()
    // Then bea opened it here: the old host remembered only her and left it to the windows.
    writeFileSync(join(dataDir, 'replicas', 'memberships.json'), JSON.stringify([bea]))
    writeFileSync(join(dataDir, 'replicas', 'shared-device.json'), JSON.stringify([team.workspaceId]))

    const replicas = new Replicas({ dataDir, deviceKey: (w, m) => keys.get(w, m) })
    scope.defer(() => replicas.close())
    replicas.start()
    // Held at start, with no window: bea's replica, on keys of her own (the plain ones are otto's).
    expect(replicas.holds(team.workspaceId)).toBe(true)
    expect(replicas.get(team.workspaceId, BEA)?.replica.logName).toBe(`${team.workspaceId}@${BEA}`)
    await waitFor(
      () => [...team.ws.keyTrust().values()].some((t) => t.memberId === BEA && t.trusted),
      'bea enrolled by her replica',
      30_000,
    )
    // Otto's window registers again: his replica has his offline edit and sends it as him.
    await replicas.register(otto)
    expect(replicas.get(team.workspaceId, HOST_MEMBER)?.replica.logName).toBe(team.workspaceId)
    replicas.get(team.workspaceId, HOST_MEMBER)!.output('o3')
    const { out } = await team.output('o3')
    await waitFor(() => out.content.toString() === 'Offline: Text.', 'otto’s offline edit on the relay')
    expect(team.relay.relay.stats().unsafeUpdates).toBe(0)
    await waitFor(() => relayWriters(team, name).has(HOST_MEMBER), 'otto’s edit in the relay’s log')
    // The new file holds both; the old one is folded in and gone.
    await sleep(100)
    expect(readdirSync(join(dataDir, 'replicas'))).not.toContain('shared-device.json')
  }, 60_000)
})
