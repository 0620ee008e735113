import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { createHost } from '../../../electron/host/index.ts'
import { HostLink } from '../../../renderer/src/data/host-link.ts'
import { Workspace } from '../../../shared/domain/workspace.ts'
import { testScope } from '../../support/scope.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'
import { mcpAgent, signoff } from '../intake/helpers.ts'
import { waitFor } from '../relay/helpers.ts'
import { contentOnRelay, HOST_MEMBER, hostEnrolled, hostFor, type startHost, teamFor } from './team.ts'
import { inProcessChannel } from './window-link.ts'

const scope = testScope()

async function api(h: Awaited<ReturnType<typeof startHost>>) {
  const info = await h.host.intakeInfo(undefined)
  const headers = { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' }
  return {
    post: async (body: unknown) => {
      const res = await fetch(`${info.url}/outputs`, { method: 'POST', headers, body: JSON.stringify(body) })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    },
    get: async (id: string) => {
      const res = await fetch(`${info.url}/outputs/${id}`, { headers })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    },
  }
}

describe('intake in the host', () => {
  it('a submission is a draft in the host’s replica when the POST answers, with no window', async () => {
    const team = await teamFor(scope)
    const h = await hostFor(scope, team)
    await hostEnrolled(team)
    const { post, get } = await api(h)

    const started = performance.now()
    const posted = await post({
      workspaceId: team.workspaceId,
      title: 'Launch post',
      type: 'blog-article',
      content: '# Launch\nWe ship.',
    })
    const answered = await get(posted.body.id as string)
    const ms = performance.now() - started
    console.log(`intake submission to draft through GET /outputs/:id: ${ms.toFixed(1)} ms (no window)`)
    expect(posted.status).toBe(202)
    expect(posted.body.state).toBe('draft')
    expect(answered.body).toMatchObject({
      state: 'draft',
      title: 'Launch post',
      workspaceId: team.workspaceId,
    })
    // The window never sees it as work to do.
    expect(await h.host.intakePending(team.workspaceId)).toEqual([])
    // The teammate gets the row and the content through the relay, authored by this device's member.
    const id = posted.body.id as string
    await waitFor(() => team.ws.summary(id)?.state === 'draft', 'the row at the teammate')
    expect(team.ws.summary(id)?.authorId ?? HOST_MEMBER).toBe(HOST_MEMBER)
    expect(await contentOnRelay(team, id)).toBe('# Launch\nWe ship.')
  })

  it('a submission of a type the workspace does not have is answered failed, with the reason, at once', async () => {
    const team = await teamFor(scope)
    const h = await hostFor(scope, team)
    await hostEnrolled(team)
    const { post, get } = await api(h)
    const posted = await post({
      workspaceId: team.workspaceId,
      title: 'Ode',
      type: 'poem',
      content: 'Verse.',
    })
    expect(posted.status).toBe(202)
    expect(posted.body).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/no output type "poem"/),
    })
    expect((await get(posted.body.id as string)).body).toMatchObject({ state: 'failed' })
    expect(await h.host.intakePending(team.workspaceId)).toEqual([])

    // The command line says so and exits 1, so a script knows its work will not be reviewed.
    const info = await h.host.intakeInfo(undefined)
    const file = join(scope.dir('signoff-intake-poem-'), 'ode.md')
    writeFileSync(file, 'Verse.\n')
    const cli = await signoff(['submit', file, '--type', 'poem', '--url', info.url!, '--token', info.token!])
    expect(cli.code).toBe(1)
    expect(cli.stdout).toMatch(/^Status: failed: There is no output type "poem" in this workspace/m)

    // An agent over MCP gets an error result with the reason.
    const agent = await mcpAgent(scope, h.dataDir)
    const result = (await agent.callTool({
      name: 'submit_output',
      arguments: { title: 'Ode', type: 'poem', content: 'Verse.' },
    })) as { isError?: boolean; content: { text: string }[] }
    expect(result.isError).toBe(true)
    expect(result.content[0]!.text).toMatch(/could not make it a draft: There is no output type "poem"/)
  })

  it('200 submissions at once become exactly 200 drafts, each with its content', async () => {
    const team = await teamFor(scope)
    const h = await hostFor(scope, team)
    await hostEnrolled(team)
    const { post } = await api(h)
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        post({
          workspaceId: team.workspaceId,
          title: `Item ${i}`,
          type: 'blog-article',
          content: `Body ${i}`,
        }),
      ),
    )
    expect(answers.every((a) => a.status === 202 && a.body.state === 'draft')).toBe(true)
    const ids = answers.map((a) => a.body.id as string)
    expect(new Set(ids).size).toBe(200)
    await waitFor(() => ids.every((id) => team.ws.summary(id)), 'all rows at the teammate', 20_000)
    for (const i of [0, 77, 199]) expect(await contentOnRelay(team, ids[i]!)).toBe(`Body ${i}`)
  })

  it('a submission waits (queued) while the workspace is not ready in the host, and is taken when it is', async () => {
    const team = await teamFor(scope)
    // Not registered yet: the intake API knows the workspace only once some window used it.
    const h = await hostFor(scope, team)
    const { post, get } = await api(h)
    // The host has not enrolled its key before the first sync; a fresh key may still be loading.
    const posted = await post({
      workspaceId: team.workspaceId,
      title: 'Early',
      type: 'blog-article',
      content: 'early text',
    })
    expect(posted.body, JSON.stringify(posted.body)).toHaveProperty('state')
    expect(['queued', 'draft']).toContain(posted.body.state)
    await hostEnrolled(team)
    await waitFor(() => !!team.ws.summary(posted.body.id as string), 'the queued item becomes a draft')
    expect((await get(posted.body.id as string)).body.state).toBe('draft')
  })

  it('a workspace kept on this device only is held too: a submission waits until a window brings the workspace, then is a draft the window sees', async () => {
    const dataDir = scope.dir('signoff-host-local-')
    const host = createHost({ shell: 'web', version: 'test', dataDir, intakePort: 0 })
    scope.defer(() => host.close())
    expect(await host.registerWorkspace({ workspaceId: 'wLocal', memberId: 'm1' })).toEqual({
      workspaceId: 'wLocal',
      held: true,
    })
    const info = await host.intakeInfo(undefined)
    const headers = { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' }
    const res = await fetch(`${info.url}/outputs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ workspaceId: 'wLocal', title: 'Local', type: 'blog-article', content: 'Text' }),
    })
    const posted = (await res.json()) as { id: string; state: string }
    // The host's copy is empty until a window syncs it: nothing to make a draft in yet.
    expect(posted.state).toBe('queued')

    const stored = new Y.Doc()
    smallTeamWorkspace(stored, 'wLocal', 'Mine', { id: 'm1', name: 'Me' })
    const awareness = new Awareness(stored)
    const link = new HostLink('wLocal', stored, awareness, inProcessChannel(host), () => {})
    scope.defer(() => link.destroy())
    const ws = new Workspace(stored, { migrate: false })
    await waitFor(
      () => ws.summary(posted.id)?.state === 'draft',
      'the draft, made by the host, in the window',
    )
    const status = await fetch(`${info.url}/outputs/${posted.id}`, { headers })
    expect(((await status.json()) as { state: string }).state).toBe('draft')
    expect(await host.intakePending('wLocal')).toHaveLength(0)
  })
})
