import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import { testScope } from '../../support/scope.ts'
import { tempDir } from '../publish/helpers.ts'
import { waitFor } from '../relay/helpers.ts'
import { contentOnRelay, HOST_MEMBER, hostEnrolled, postArticle, type Team, teamFor } from './team.ts'

const scope = testScope()

function startHostProcess(
  team: Team,
  dataDir: string,
  inbox?: string,
): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      join(import.meta.dirname, 'host-process.ts'),
    ],
    {
      env: {
        ...process.env,
        HOST_DATA: dataDir,
        HOST_WORKSPACE: team.workspaceId,
        HOST_MEMBER,
        HOST_RELAY: team.relay.relay.url,
        HOST_TOKEN: team.hostToken,
        ...(inbox ? { HOST_INBOX: inbox } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  scope.defer(() => {
    child.kill('SIGKILL')
  })
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (line) => resolve({ child, ...(JSON.parse(line) as { url: string; token: string }) }))
    child.once('exit', (code) => reject(new Error(`the host process exited with ${code}`)))
  })
}

describe('a host killed while it takes submissions', () => {
  it('acknowledges none without its content: after a restart every taken submission is a draft with its text', async () => {
    const team = await teamFor(scope)
    const dataDir = scope.dir('signoff-host-crash-')
    const first = await startHostProcess(team, dataDir)
    await hostEnrolled(team)

    const answered: string[] = []
    const posts = Array.from({ length: 200 }, (_, i) =>
      postArticle(first, team.workspaceId, `Item ${i}`, `Body ${i}`)
        .then(async (r) => {
          const body = (await r.json()) as { id: string; state: string }
          if (r.status === 202 && body.state === 'draft') answered.push(body.id)
        })
        .catch(() => {}),
    )
    // Killed as the 20th draft reaches the teammate.
    await waitFor(() => team.ws.summaries.size >= 20, '20 drafts at the teammate', 20_000)
    first.child.kill('SIGKILL')
    await Promise.all(posts)

    const spooled = (stage: string) => {
      try {
        return readdirSync(join(dataDir, 'intake', team.workspaceId, stage)).filter((n) =>
          n.endsWith('.json'),
        )
      } catch {
        return []
      }
    }
    const accepted = spooled('pending').length + spooled('processed').length
    expect(accepted).toBeGreaterThanOrEqual(answered.length)

    await startHostProcess(team, dataDir)
    await waitFor(() => team.ws.summaries.size === accepted, `${accepted} drafts after the restart`, 90_000)
    await waitFor(() => spooled('pending').length === 0, 'the spool drained', 30_000).catch((e) => {
      console.log(
        'left pending',
        spooled('pending'),
        'processed',
        spooled('processed').length,
        'rows',
        team.ws.summaries.size,
      )
      throw e
    })
    expect(spooled('processed')).toHaveLength(accepted)
    for (const id of answered) expect(team.ws.summary(id)?.state).toBe('draft')
    // Every draft has its content, everywhere (read back from the relay by another member).
    for (const [id, row] of [...team.ws.summaries.entries()] as [string, unknown][]) {
      void row
      const title = team.ws.summary(id)?.title ?? ''
      expect(await contentOnRelay(team, id)).toBe(`Body ${title.replace('Item ', '')}`)
    }
    console.log(
      `killed after ${answered.length} answered; ${accepted} taken in all, each a draft with content`,
    )
  }, 240_000)

  it('killed while 200 files dropped in the inbox are being taken, leaves exactly 200 drafts, each with its content', async () => {
    const team = await teamFor(scope)
    const dataDir = tempDir('signoff-host-crash-')
    const inbox = tempDir('signoff-inbox-')
    scope.defer(() => rmSync(dataDir, { recursive: true, force: true }))
    scope.defer(() => rmSync(inbox, { recursive: true, force: true }))
    const first = await startHostProcess(team, dataDir, inbox)
    await hostEnrolled(team)
    for (let i = 0; i < 200; i++)
      writeFileSync(join(inbox, `item-${i}.md`), `---\ntitle: Item ${i}\ntype: blog-article\n---\nBody ${i}`)
    await waitFor(() => team.ws.summaries.size >= 20, '20 drafts at the teammate', 30_000)
    first.child.kill('SIGKILL')
    const atKill = team.ws.summaries.size

    await startHostProcess(team, dataDir, inbox)
    await waitFor(() => team.ws.summaries.size >= 200, '200 drafts after the restart', 90_000)
    await new Promise((r) => setTimeout(r, 1000))
    expect(team.ws.summaries.size).toBe(200)
    const titles = new Set<string>()
    for (const id of [...team.ws.summaries.keys()] as string[]) {
      const title = team.ws.summary(id)?.title ?? ''
      titles.add(title)
      expect(await contentOnRelay(team, id)).toBe(`Body ${title.replace('Item ', '')}`)
    }
    expect(titles.size).toBe(200)
    console.log(`killed at ${atKill} drafts; after the restart exactly 200 drafts, each with its content`)
  }, 240_000)
})
