/**
 * The signing tests' setup: a team on a relay and this device's host, enrolled, fresh for each
 * test, and windows of the host's member that send their commands through the host as the bridge
 * carries them.
 */
import { afterEach, beforeEach } from 'vitest'
import { type CommandResult, HostCommands } from '../../../renderer/src/data/host-commands.ts'
import { outputDocName, workspaceDocName } from '../../../shared/docnames.ts'
import { OutputDoc, Workspace } from '../../../shared/domain/index.ts'
import { type HostInput, type HostOutput, parseHostInput } from '../../../shared/host/api.ts'
import { type Client, client, synced } from '../relay/helpers.ts'
import { HOST_MEMBER, hostEnrolled, startHost, startTeam, type Team } from './team.ts'

export interface Window {
  ws: Workspace
  wsClient: Client
  commands: HostCommands
  output(outputId: string): Promise<OutputDoc>
  /** Open a new output's document and create an internal summary in it through the host. */
  create(outputId: string, title: string, content: string): Promise<{ out: OutputDoc; made: CommandResult }>
}

/** A window of this device's member: its own relay connection, its commands through the host. */
async function windowOf(
  team: Team,
  host: { perform: (i: HostInput<'perform'>) => Promise<HostOutput<'perform'>> },
) {
  const url = team.relay.relay.url
  const clients: Client[] = []
  const wsClient = client(url, workspaceDocName(team.workspaceId), team.hostToken)
  clients.push(wsClient)
  await synced(wsClient)
  const ws = new Workspace(wsClient.doc, { migrate: false })
  // Every request crosses the boundary as the bridge carries it: JSON, checked by the schema.
  const commands = new HostCommands(
    (input) => host.perform(parseHostInput('perform', JSON.parse(JSON.stringify(input)))),
    team.workspaceId,
    HOST_MEMBER,
    wsClient.doc,
  )
  const window: Window = {
    ws,
    wsClient,
    commands,
    async output(outputId) {
      const c = client(url, outputDocName(team.workspaceId, outputId), team.hostToken)
      clients.push(c)
      await synced(c)
      return new OutputDoc(c.doc, { migrate: false })
    },
    async create(outputId, title, content) {
      const out = await window.output(outputId)
      const made = await commands.onOutput(outputId, out.doc, {
        name: 'createOutput',
        args: { title, typeId: 'internal-summary', content },
      })
      return { out, made }
    },
  }
  return {
    window,
    close: () => {
      for (const c of clients) c.destroy()
    },
  }
}

/**
 * A team and an enrolled host for each test of the calling file, in `ctx`; `openWindow()` opens a
 * window of the host's member, closed after the test.
 */
export function hostPerTest() {
  const ctx = {} as { team: Team; h: Awaited<ReturnType<typeof startHost>> }
  const closers: (() => void)[] = []
  beforeEach(async () => {
    ctx.team = await startTeam()
    ctx.h = await startHost(ctx.team)
    await hostEnrolled(ctx.team)
  }, 60_000)
  afterEach(async () => {
    for (const close of closers.splice(0)) close()
    await ctx.h.close()
    await ctx.team.close()
  })
  return {
    ctx,
    async openWindow(): Promise<Window> {
      const { window, close } = await windowOf(ctx.team, ctx.h.host)
      closers.push(close)
      return window
    },
  }
}
