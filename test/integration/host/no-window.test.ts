// `npm run web` with no page open: the bridge's host holds the workspace a page registered in an
// earlier run and does its work on its own.
import { execFile } from 'node:child_process'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { startWebServer } from '../../../electron/host/bridge.ts'
import { ReplicaLog } from '../../../electron/host/replica/log.ts'
import { outputDocName } from '../../../shared/docnames.ts'
import { deriveOutput, localOrigin, perform, schedulePublish } from '../../../shared/domain/index.ts'
import { testScope } from '../../support/scope.ts'
import { mcpAgent } from '../intake/helpers.ts'
import { tempDir } from '../publish/helpers.ts'
import { waitFor } from '../relay/helpers.ts'
import { contentOnRelay, HOST_MEMBER, hostEnrolled, postArticle, teamFor, Y } from './team.ts'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../../..')
const scope = testScope()

async function call(server: { origin: string; secret: string }, method: string, input: unknown) {
  const res = await fetch(`${server.origin}/host/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signoff-secret': server.secret },
    body: JSON.stringify({ input }),
  })
  const body = (await res.json()) as { ok: boolean; result: unknown; error?: { message: string } }
  if (!body.ok) throw new Error(body.error?.message)
  return body.result
}

describe('npm run web with no page open', () => {
  it('takes API, CLI and MCP submissions as drafts, publishes on time, hands over an overdue review, and logs a teammate’s edit', async () => {
    const team = await teamFor(scope)
    const dataDir = tempDir('signoff-web-nowindow-')
    const rendererDir = tempDir('signoff-web-renderer-')
    const site = tempDir('signoff-web-site-')
    scope.defer(() => {
      for (const d of [dataDir, rendererDir, site]) rmSync(d, { recursive: true, force: true })
    })
    // An earlier run: a page opened the workspace and set up the destination, then closed.
    const earlier = await startWebServer({ rendererDir, dataDir, version: 'test' })
    await call(earlier, 'registerWorkspace', {
      workspaceId: team.workspaceId,
      memberId: HOST_MEMBER,
      relayUrl: team.relay.relay.url,
      token: team.hostToken,
    })
    await call(earlier, 'saveDestinationSettings', {
      workspaceId: team.workspaceId,
      destinationId: 'site',
      config: { kind: 'folder', path: site },
    })
    await hostEnrolled(team)
    await earlier.close()

    // This run: no page ever opens.
    const server = await startWebServer({ rendererDir, dataDir, version: 'test' })
    scope.defer(() => server.close())
    const ws = team.ws

    // API, CLI and MCP: each exactly one draft.
    const info = (await call(server, 'intakeInfo', undefined)) as { url: string; token: string }
    const posted = await postArticle(info, team.workspaceId, 'From the API', 'API text')
    expect(((await posted.json()) as { state: string }).state).toBe('draft')
    const file = join(dataDir, 'cli.md')
    writeFileSync(file, '---\ntitle: From the CLI\n---\nCLI text\n')
    const cli = await run(process.execPath, [
      join(root, 'electron/host/intake/signoff.mjs'),
      'submit',
      file,
      '--type',
      'blog-article',
      '--workspace',
      team.workspaceId,
      '--data',
      dataDir,
    ]).catch((e: { stdout: string; stderr: string }) => e)
    expect(cli.stdout, cli.stderr).toMatch(/Status: draft/)
    const agent = await mcpAgent(scope, dataDir)
    const viaMcp = await agent.callTool({
      name: 'submit_output',
      arguments: {
        workspaceId: team.workspaceId,
        title: 'From MCP',
        type: 'Blog article',
        content: 'MCP text',
      },
    })
    expect(viaMcp.isError).toBeFalsy()
    expect((viaMcp.structuredContent as { state: string }).state).toBe('draft')
    await waitFor(() => ws.summaries.size === 3, 'three drafts at the teammate')
    for (const s of ws.allSummaries()) {
      expect(s.state).toBe('draft')
      expect((await contentOnRelay(team, s.id)).trim()).toBe(
        `${s.title.replace('From the ', '').replace('From ', '')} text`,
      )
    }

    // Host events as server-sent events: what a page would hear (none is open; a plain client listens).
    expect((await fetch(`${server.origin}/host-events?secret=wrong`)).status).toBe(401)
    const stream = await fetch(`${server.origin}/host-events?secret=${server.secret}`)
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const heard: unknown[] = []
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader()
    void (async () => {
      for (let buffer = ''; ; ) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
        if (done) return
        buffer += value
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, i)
          buffer = buffer.slice(i + 2)
          if (block.startsWith('data: ')) heard.push(JSON.parse(block.slice(6)))
        }
      }
    })()
    scope.defer(() => reader.cancel().catch(() => {}))

    // A scheduled publish goes out on time.
    ws.transact(localOrigin('admin'), () => {
      ws.destinations.put({ id: 'site', name: 'Site folder', kind: 'folder' })
      ws.types.patch('client-proposal', {
        allowedDestinations: ['site'],
        routing: { strategy: 'round-robin', role: 'approver', backupMemberId: 'rita' },
      })
    })
    const out = await team.newOutput('pub', 'client-proposal', 'Proposal text.')
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('client-proposal')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    perform(ws, out, 'adam', { action: 'approve' })
    const runAt = Date.now() + 1500
    expect(schedulePublish(ws, out, 'alice', 'site', runAt).ok).toBe(true)
    await waitFor(() => deriveOutput(ws, out).derived.state === 'published', 'published', 10_000)
    const at = deriveOutput(ws, out).derived.publishes.find((p) => p.status === 'published')?.at ?? 0
    expect(at - runAt).toBeLessThan(1000)
    expect(readdirSync(site).filter((f) => f.endsWith('.md'))).toHaveLength(1)
    await waitFor(() => heard.length > 0, 'the notice event')
    expect(heard[0]).toMatchObject({
      name: 'notice',
      payload: {
        workspaceId: team.workspaceId,
        kind: 'info',
        text: expect.stringMatching(/^Scheduled publish of .* done/),
      },
    })

    // An overdue review goes to the backup.
    const late = await team.newOutput('late', 'client-proposal', 'Waiting too long.')
    const sla = ws.types.get('client-proposal')!.reviewSlaHours * 3_600_000
    perform(ws, late, 'alice', { action: 'submit' }, Date.now() - sla - 1000)
    await waitFor(() => ws.summary('late')?.reviewer === 'rita', 'handed to the backup')

    // A teammate's edit lands in the host's log.
    late.transact(localOrigin('alice'), () => late.content.insert(0, 'Edited by Alice. '))
    const log = new ReplicaLog(dataDir)
    scope.defer(() => log.close())
    await waitFor(() => {
      const bytes = log.load(outputDocName(team.workspaceId, 'late'))
      if (!bytes) return false
      const d = new Y.Doc()
      Y.applyUpdate(d, bytes)
      return d.getText('content').toString().startsWith('Edited by Alice.')
    }, 'the edit in the host log')
  }, 120_000)
})
