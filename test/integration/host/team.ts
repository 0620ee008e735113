/**
 * A team on a real relay for host tests: a teammate's app (plain Yjs clients with the domain
 * commands) on one side, this device's host on the other. The host's member ('otto') has no key
 * registered by the teammate: the host registers its own, as this device's first.
 */
import { rmSync } from 'node:fs'
import { expect } from 'vitest'
import * as Y from 'yjs'
import { createHost } from '../../../electron/host/index.ts'
import { outputDocName, workspaceDocName } from '../../../shared/docnames.ts'
import {
  createOutput,
  enrollDevice,
  localOrigin,
  OutputDoc,
  perform,
  type Role,
  type Workspace,
} from '../../../shared/domain/index.ts'
import { parseHostInput } from '../../../shared/host/api.ts'
import { deviceKeyOf } from '../../support/keys.ts'
import type { TestScope } from '../../support/scope.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'
import { tempDir } from '../publish/helpers.ts'
import { type Client, client, startTestRelay, synced, type TestRelay, waitFor } from '../relay/helpers.ts'

export const HOST_MEMBER = 'otto'
const PEOPLE: Record<string, Role[]> = {
  alice: ['author'],
  rita: ['reviewer'],
  adam: ['approver'],
  otto: ['author'],
}

export interface Team {
  relay: TestRelay
  workspaceId: string
  /** The teammate's copy of the workspace, synced with the relay. */
  ws: Workspace
  wsClient: Client
  /** Open an output doc on the teammate's side, synced. */
  output(outputId: string): Promise<{ out: OutputDoc; client: Client }>
  /** A new output by alice, synced to the relay. */
  newOutput(outputId: string, typeId: string, content: string): Promise<OutputDoc>
  hostToken: string
  close(): Promise<void>
}

export async function startTeam(workspaceId = `w${Math.random().toString(36).slice(2, 10)}`): Promise<Team> {
  const relay = await startTestRelay()
  const url = relay.relay.url
  const adminToken = relay.writer(workspaceId, 'admin')
  const clients: Client[] = []
  const wsClient = client(url, workspaceDocName(workspaceId), adminToken)
  clients.push(wsClient)
  await synced(wsClient)
  const ws = smallTeamWorkspace(wsClient.doc, workspaceId, 'Acme', { id: 'admin', name: 'Ada Admin' })
  ws.transact(localOrigin('admin'), () => {
    for (const [id, roles] of Object.entries(PEOPLE))
      ws.members.put({ id, name: id[0]!.toUpperCase() + id.slice(1), roles, joinedAt: 1000 })
  })
  for (const m of ['admin', 'alice', 'rita', 'adam']) enrollDevice(ws, m, deviceKeyOf(m), `${m}'s laptop`)
  const output = async (outputId: string) => {
    const c = client(url, outputDocName(workspaceId, outputId), adminToken)
    clients.push(c)
    await synced(c)
    return { out: new OutputDoc(c.doc, { migrate: false }), client: c }
  }
  return {
    relay,
    workspaceId,
    ws,
    wsClient,
    output,
    async newOutput(outputId, typeId, content) {
      const { out } = await output(outputId)
      createOutput(ws, out, { id: outputId, title: `Output ${outputId}`, typeId, content, authorId: 'alice' })
      return out
    },
    hostToken: relay.writer(workspaceId, HOST_MEMBER),
    async close() {
      for (const c of clients) c.destroy()
      await relay.stop()
    },
  }
}

/** This device's host (no window), holding the team's workspace as HOST_MEMBER. */
export async function startHost(
  team: Team,
  options: { dataDir?: string; notify?: (n: { title: string; body: string; tag: string }) => boolean } = {},
) {
  const dataDir = options.dataDir ?? tempDir('signoff-host-')
  const host = createHost({
    shell: 'web',
    version: 'test',
    dataDir,
    intakePort: 0,
    ...(options.notify ? { notify: options.notify } : {}),
  })
  const held = await host.registerWorkspace(
    parseHostInput('registerWorkspace', {
      workspaceId: team.workspaceId,
      memberId: HOST_MEMBER,
      relayUrl: team.relay.relay.url,
      token: team.hostToken,
    }),
  )
  return {
    host,
    dataDir,
    held,
    async close(keepData = false) {
      await host.close()
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Wait until the teammate sees the host's member with a trusted key (the host enrolled). */
export async function hostEnrolled(team: Team): Promise<void> {
  await waitFor(
    () => [...team.ws.keyTrust().values()].some((t) => t.memberId === HOST_MEMBER && t.trusted),
    'the host registers its key',
    30_000,
  )
}

export { Y }

/** A teammate reads an output's content from the relay (a fresh client: what anyone would get). */
export async function contentOnRelay(team: Team, id: string): Promise<string> {
  const c = client(
    team.relay.relay.url,
    outputDocName(team.workspaceId, id),
    team.relay.writer(team.workspaceId, 'rita'),
  )
  try {
    await synced(c)
    return new OutputDoc(c.doc, { migrate: false }).content.toString()
  } finally {
    c.destroy()
  }
}

/** This machine's settings for the destination 'site': a folder. */
export async function hostSiteFolder(h: { host: ReturnType<typeof createHost> }, team: Team, folder: string) {
  await h.host.saveDestinationSettings(
    parseHostInput('saveDestinationSettings', {
      workspaceId: team.workspaceId,
      destinationId: 'site',
      config: { kind: 'folder', path: folder },
    }),
  )
}

/** The teammates take a client proposal through review to approved, allowed to go to 'site'. */
export function approveForSite(ws: Workspace, out: OutputDoc): void {
  ws.transact(localOrigin('admin'), () => {
    ws.destinations.put({ id: 'site', name: 'Site folder', kind: 'folder' })
    ws.types.patch('client-proposal', { allowedDestinations: ['site'] })
  })
  expect(perform(ws, out, 'alice', { action: 'submit' }).ok).toBe(true)
  for (const item of ws.types.get('client-proposal')!.checklist)
    perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
  expect(perform(ws, out, 'adam', { action: 'approve' }).ok).toBe(true)
}

/**
 * Client proposals go round-robin to approvers, with rita as the backup an overdue review is
 * handed to; returns the type as it was before.
 */
export function routeToBackup(ws: Workspace) {
  const type = ws.types.get('client-proposal')!
  ws.transact(localOrigin('admin'), () =>
    ws.types.put({
      ...type,
      routing: { strategy: 'round-robin', role: 'approver', backupMemberId: 'rita' },
    }),
  )
  return type
}

/** A team started for one test and closed after it. */
export async function teamFor(scope: TestScope): Promise<Team> {
  const team = await startTeam()
  scope.defer(() => team.close())
  return team
}

/** This device's host for one test, closed (its data removed) after it. */
export async function hostFor(scope: TestScope, team: Team): Promise<Awaited<ReturnType<typeof startHost>>> {
  const h = await startHost(team)
  scope.defer(() => h.close())
  return h
}

/** POST a blog article to the host's intake API (its address and token) for `workspaceId`. */
export function postArticle(
  api: { url: string; token: string },
  workspaceId: string,
  title: string,
  content: string,
): Promise<Response> {
  return fetch(`${api.url}/outputs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ workspaceId, title, type: 'blog-article', content }),
  })
}
