import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testScope } from '../../support/scope.ts'
import { FakeRenderer, intakeHost, mcpAgent, signoff } from './helpers.ts'

const root = resolve(import.meta.dirname, '../../..')

const scope = testScope()

async function runningHost() {
  const { h, dataDir } = intakeHost(scope, 'signoff-intake-cli-')
  const renderer = new FakeRenderer(h)
  await h.intakePending(renderer.workspaceId)
  return { h, dataDir, renderer }
}

describe('the signoff command line', () => {
  it('submits a file and shows its status and the reviewers’ feedback', async () => {
    const { dataDir, renderer } = await runningHost()
    const draft = join(dataDir, 'draft.md')
    writeFileSync(draft, '---\ntitle: Release notes\ntags: notes\n---\nWhat changed.\n')
    const submitted = await signoff([
      'submit',
      draft,
      '--type',
      'blog-article',
      '--source',
      'model=gpt-x,tool=release-bot,prompt=write the notes, briefly',
      '--data',
      dataDir,
    ])
    expect(submitted.stderr).toBe('')
    expect(submitted.code).toBe(0)
    const id = /^(o\w{16})$/m.exec(submitted.stdout)?.[1]
    expect(id).toBeDefined()
    expect(submitted.stdout).toMatch(/Status: queued/)

    let status = await signoff(['status', id!, '--data', dataDir])
    expect(status.stdout).toMatch(/State: queued/)

    await renderer.drain()
    const meta = renderer.outputs.get(id!)!.readMeta()
    expect(meta).toMatchObject({
      title: 'Release notes',
      tags: ['notes'],
      source: { model: 'gpt-x', tool: 'release-bot', prompt: 'write the notes, briefly' },
    })
    renderer.sendBack(id!, 'Version number is wrong', 'Use the real version')
    await renderer.report([id!])
    status = await signoff(['status', id!, '--data', dataDir])
    expect(status.code).toBe(0)
    expect(status.stdout).toContain('State: changes requested')
    expect(status.stdout).toContain('- Use the real version')
    expect(status.stdout).toContain('✗ Facts checked: Version number is wrong')
    const json = JSON.parse((await signoff(['status', id!, '--json', '--data', dataDir])).stdout)
    expect(json.state).toBe('changes_requested')
  })

  it('says clearly when the app is not running, the token is wrong, or the id is unknown', async () => {
    const empty = scope.dir('signoff-intake-none-')
    const notRunning = await signoff(['status', 'oX', '--data', empty])
    expect(notRunning.code).toBe(1)
    expect(notRunning.stderr).toMatch(/does not seem to be running/)
    const gone = await signoff(['status', 'oX', '--data', join(empty, 'missing')])
    expect(gone.stderr).toBe(
      `signoff: Signoff does not seem to be running: no intake endpoint in ${join(empty, 'missing')} (that folder does not exist). Start the app (or \`npm run web\`), or pass --url and --token.\n`,
    )
    const notUrl = await signoff(['status', 'oX', '--url', '127.0.0.1:4456', '--token', 't'])
    expect(notUrl.code).toBe(2)
    expect(notUrl.stderr).toMatch(
      /^signoff: --url must be the intake API's address, such as http:\/\/127\.0\.0\.1:4456/,
    )
    const envUrl = await signoff(['status', 'oX'], {
      SIGNOFF_INTAKE_URL: 'ftp://x',
      SIGNOFF_INTAKE_TOKEN: 't',
    })
    expect(envUrl.stderr).toMatch(/^signoff: SIGNOFF_INTAKE_URL must be the intake API's address/)
    const closed = await signoff(['status', 'oX', '--url', 'http://127.0.0.1:1', '--token', 't'])
    expect(closed.code).toBe(1)
    expect(closed.stderr).toBe(
      "signoff: Cannot reach Signoff's intake API at http://127.0.0.1:1 (from --url and --token): is the app running?\n",
    )

    const { h, dataDir } = await runningHost()
    const { url } = await h.intakeInfo(undefined)
    const wrong = await signoff(['status', 'oX', '--url', url!, '--token', 'nope'])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/refused the token/)

    const unknown = await signoff(['status', 'oNoSuch', '--data', dataDir])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/no output oNoSuch/)

    const noType = await signoff(['submit', join(root, 'README.md'), '--data', dataDir])
    expect(noType.code).toBe(2)
    expect(noType.stderr).toMatch(/--type/)

    // Files it cannot read, options it does not know and values the API refuses, in words.
    const missing = await signoff(['submit', join(dataDir, 'nope.md'), '--type', 'x', '--data', dataDir])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(`signoff: ${join(dataDir, 'nope.md')}: there is no such file.\n`)
    const folder = await signoff(['submit', dataDir, '--type', 'x', '--data', dataDir])
    expect(folder.stderr).toBe(`signoff: ${dataDir}: it is a folder: name a file in it.\n`)
    const option = await signoff(['submit', join(root, 'README.md'), '--typo', 'x'])
    expect(option.code).toBe(2)
    expect(option.stderr).toMatch(/^signoff: Unknown option --typo\.\n\nUsage:/)
    const draft = join(dataDir, 'dated.md')
    writeFileSync(draft, 'Text.\n')
    const badDue = await signoff([
      'submit',
      draft,
      '--type',
      'blog-article',
      '--due',
      '2026-02-30',
      '--data',
      dataDir,
    ])
    expect(badDue.code).toBe(1)
    expect(badDue.stderr).toBe('signoff: "due" is not a date on the calendar.\n')
  })
})

describe('the MCP server', () => {
  it('lets an agent submit an output and read its status and feedback over stdio', async () => {
    const { dataDir, renderer } = await runningHost()
    const client = await mcpAgent(scope, dataDir)

    const tools = await client.listTools()
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['get_output_status', 'submit_output'])

    const submitted = await client.callTool({
      name: 'submit_output',
      arguments: {
        title: 'Agent summary',
        type: 'Blog article',
        content: 'The summary.',
        model: 'claude',
        tags: ['agent'],
      },
    })
    expect(submitted.isError).toBeFalsy()
    const id = (submitted.structuredContent as { id: string }).id
    expect(id).toMatch(/^o\w{16}$/)

    await renderer.drain()
    // The type was given by name; it resolves to the type's id.
    expect(renderer.ws.summary(id)).toMatchObject({ typeId: 'blog-article', state: 'draft' })
    renderer.sendBack(id, 'Made-up figure', 'Check the figures')
    await renderer.report([id])

    const status = await client.callTool({ name: 'get_output_status', arguments: { id } })
    expect(status.isError).toBeFalsy()
    expect(status.structuredContent).toMatchObject({
      state: 'changes_requested',
      reasons: ['Check the figures'],
    })
    const text = (status.content as { type: string; text: string }[])[0]!.text
    expect(text).toContain('Made-up figure')

    const missing = await client.callTool({ name: 'get_output_status', arguments: { id: 'oMissing' } })
    expect(missing.isError).toBe(true)
  })
})
