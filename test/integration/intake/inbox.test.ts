import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { open, truncate, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InboxWatcher } from '../../../electron/host/intake/inbox.ts'
import { createIntakeService } from '../../../electron/host/intake/service.ts'
import { Spool } from '../../../electron/host/intake/spool.ts'
import type { HostApi } from '../../../shared/host/api.ts'
import { testScope } from '../../support/scope.ts'
import { FakeRenderer, until } from './helpers.ts'

const scope = testScope()

async function setup(settleMs = 300) {
  const dataDir = scope.dir('signoff-intake-data-')
  const inboxDir = scope.dir('signoff-inbox-')
  const spool = new Spool(dataDir)
  // A long poll: the test drives the scans itself.
  const watcher = new InboxWatcher({ spool, pollMs: 60_000, settleMs })
  scope.defer(() => watcher.stop())
  await watcher.start()
  await watcher.set('wsA', inboxDir)
  return { spool, watcher, inboxDir, dataDir }
}

const ls = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : [])

describe('the inbox folder', () => {
  it('a folder that cannot be an inbox is refused in words, and nothing is created for a typo', async () => {
    const { watcher, inboxDir } = await setup()
    writeFileSync(join(inboxDir, 'a-file'), 'x')
    const refused = async (path: string) => {
      const before = watcher.status('wsA')
      const err = await watcher.set('wsA', path).then(
        () => null,
        (e: Error) => e.message,
      )
      // The folder watched before stays watched.
      expect(watcher.status('wsA')).toEqual(before)
      return err
    }
    expect(await refused('relative/inbox')).toBe(
      'The inbox folder must be a full path, such as /home/ada/Signoff inbox (not relative/inbox).',
    )
    const typo = join(inboxDir, 'no-such-parent', 'inbox')
    expect(await refused(typo)).toBe(
      `The folder ${join(inboxDir, 'no-such-parent')} does not exist: check the path (Signoff creates only the inbox folder itself).`,
    )
    expect(existsSync(join(inboxDir, 'no-such-parent'))).toBe(false)
    expect(await refused(join(inboxDir, 'a-file'))).toBe(
      `${join(inboxDir, 'a-file')} is a file, not a folder.`,
    )
    if (process.platform === 'linux')
      expect(await refused('/proc/1')).toBe(
        'The folder /proc/1 exists but does not take new files: it is a system or virtual folder (such as /proc), not one to use as an inbox.',
      )
    // A new inbox folder in a folder that exists is made; blank stops watching.
    const fresh = join(inboxDir, 'fresh')
    expect((await watcher.set('wsA', fresh)).path).toBe(fresh)
    expect(existsSync(fresh)).toBe(true)
    expect((await watcher.set('wsA', '  ')).path).toBe(null)
  })

  it('refuses the whole disk and the home folder, and takes a folder holding files only when asked again', async () => {
    const { watcher, inboxDir, dataDir } = await setup()
    const refusal = (path: string, opts?: { takeWaiting?: boolean }) =>
      watcher.set('wsA', path, opts).then(
        () => null,
        (e: Error) => e.message,
      )
    expect(await refusal('/')).toMatch(/^\/ is the whole disk: the inbox moves every file it takes/)
    expect(await refusal(homedir())).toMatch(/is your home folder: .* give it a folder of its own/)
    // Even when asked: these are never an inbox.
    expect(await refusal('/', { takeWaiting: true })).toMatch(/the whole disk/)
    expect(watcher.status('wsA').path).toBe(inboxDir)

    // Notes of the person's own: named, and left where they are.
    const notes = scope.dir('signoff-notes-')
    for (const name of ['a.md', 'b.txt', 'c.json', 'd.html', 'e.png']) writeFileSync(join(notes, name), 'x')
    expect(await refusal(notes)).toBe(
      `${notes} already holds 4 files the inbox would take (a.md, b.txt, c.json, …): each would become a draft and move into processed/. Save again to take them, or choose an empty folder.`,
    )
    await watcher.scanAll()
    expect(ls(notes)).toEqual(['a.md', 'b.txt', 'c.json', 'd.html', 'e.png'])
    // Asked again: taken.
    expect((await watcher.set('wsA', notes, { takeWaiting: true })).path).toBe(notes)
    // The folder already watched is saved again without asking.
    expect((await watcher.set('wsA', notes)).path).toBe(notes)
    // And so is the one saved before a restart, whether or not the new watcher has started yet.
    writeFileSync(join(notes, 'waiting.md'), 'x')
    const again = new InboxWatcher({ spool: new Spool(dataDir), pollMs: 60_000, settleMs: 300 })
    scope.defer(() => again.stop())
    expect((await again.set('wsA', notes)).path).toBe(notes)
  })

  it('tells each change of its status (a file taken, a file failed), once, instead of being polled', async () => {
    const { watcher, inboxDir } = await setup(0)
    const told: { processed: number; failed: number }[] = []
    watcher.onChange((s) => {
      if (s.workspaceId === 'wsA') told.push({ processed: s.processed, failed: s.failed })
    })
    writeFileSync(join(inboxDir, 'good.md'), '---\ntitle: Good\n---\nBody\n')
    await until(async () => {
      await watcher.scanAll()
      return told.some((t) => t.processed === 1)
    })
    writeFileSync(join(inboxDir, 'bad.zip'), 'PK')
    await until(async () => {
      await watcher.scanAll()
      return told.some((t) => t.failed === 1)
    })
    // Nothing changed: nothing told.
    const before = told.length
    await watcher.scanAll()
    await watcher.scanAll()
    expect(told.length).toBe(before)
    expect(told.at(-1)).toEqual({ processed: 1, failed: 1 })
  })

  it('turns good files into drafts and every bad one into failed/ with a reason, losing nothing', async () => {
    const { spool, watcher, inboxDir } = await setup()
    const put = (name: string, body: string | Buffer) => writeFileSync(join(inboxDir, name), body)
    put(
      'launch.md',
      '---\ntitle: Launch post\ntype: blog-article\nsource:\n  model: gpt-x\n  tool: drafter\ntags: [launch, q3]\ndue: 2026-12-01\n---\n# Heading\n\nBody text.\n',
    )
    put('notes.txt', 'model: m\nno front matter here, the whole file is the content\n')
    put('page.html', '<html><head><title>Pricing page</title></head><body><h1>Hi</h1></body></html>')
    put(
      'envelope.json',
      JSON.stringify({
        title: 'From JSON',
        type: 'social-post',
        source: { model: 'claude', prompt: 'write a post' },
        tags: ['x'],
        content: 'A post',
      }),
    )
    put(
      'flat.md',
      '---\ntitle: "Quoted: title"\nmodel: gpt-4\ntool: script\ntags:\n  - a\n  - b\n---\nText\n',
    )
    put('broken.md', '---\ntitle: Broken\nthis line is not yaml\n---\nBody\n')
    put('unclosed.md', '---\ntitle: Never closed\nBody\n')
    put('bad-due.md', '---\ndue: tomorrow\n---\nBody\n')
    put('bad.json', '{"title": "x", "content": 3}')
    put('image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))
    put('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))
    put('archive.zip', 'PK')
    // Nothing to review, as the API refuses it too (issue 12 #17).
    put('blank.md', '  \n\t\n')
    put('only-meta.md', '---\ntitle: Just a title\n---\n\n')
    put('empty.json', JSON.stringify({ title: 'Empty', content: ' ' }))
    // 50 MB, sparse: refused on its size without being read.
    await writeFile(join(inboxDir, 'huge.md'), '')
    await truncate(join(inboxDir, 'huge.md'), 50 * 1024 * 1024)
    const inputs = ls(inboxDir)

    await until(async () => {
      await watcher.scanAll()
      return ls(inboxDir).filter((n) => n !== 'processed' && n !== 'failed').length === 0
    })

    const processed = ls(join(inboxDir, 'processed'))
    const failed = ls(join(inboxDir, 'failed'))
    expect(processed).toEqual(['envelope.json', 'flat.md', 'launch.md', 'notes.txt', 'page.html'])
    const failedInputs = failed.filter((n) => !n.endsWith('.reason.txt'))
    expect(failedInputs).toEqual([
      'archive.zip',
      'bad-due.md',
      'bad.json',
      'blank.md',
      'broken.md',
      'empty.json',
      'huge.md',
      'image.md',
      'latin1.txt',
      'only-meta.md',
      'unclosed.md',
    ])
    // Nothing lost: every input is in exactly one of them, and every failure has its reason.
    expect([...processed, ...failedInputs].sort()).toEqual(inputs)
    const reason = (n: string) => readFileSync(join(inboxDir, 'failed', `${n}.reason.txt`), 'utf8')
    for (const n of failedInputs) expect(reason(n).length).toBeGreaterThan(5)
    expect(reason('broken.md')).toMatch(/Malformed front matter.*line 3/)
    expect(reason('unclosed.md')).toMatch(/never closes/)
    expect(reason('bad-due.md')).toMatch(/due/)
    expect(reason('huge.md')).toMatch(/50\.0 MB.*2\.0 MB/)
    expect(reason('image.md')).toMatch(/binary/)
    expect(reason('latin1.txt')).toMatch(/UTF-8/)
    expect(reason('archive.zip')).toMatch(/not taken/)
    for (const n of ['blank.md', 'only-meta.md', 'empty.json']) expect(reason(n)).toMatch(/content is empty/)

    const items = await spool.pending('wsA')
    expect(items).toHaveLength(5)
    const byFile = new Map(items.map((i) => [i.fileName, i]))
    expect(byFile.get('launch.md')).toMatchObject({
      title: 'Launch post',
      type: 'blog-article',
      source: { model: 'gpt-x', tool: 'drafter' },
      tags: ['launch', 'q3'],
      due: '2026-12-01',
      content: '# Heading\n\nBody text.\n',
      via: 'inbox',
    })
    expect(byFile.get('flat.md')).toMatchObject({
      title: 'Quoted: title',
      source: { model: 'gpt-4', tool: 'script' },
      tags: ['a', 'b'],
    })
    expect(byFile.get('notes.txt')).toMatchObject({
      title: 'notes',
      content: expect.stringContaining('model: m'),
    })
    expect(byFile.get('page.html')?.title).toBe('Pricing page')
    expect(byFile.get('envelope.json')).toMatchObject({
      title: 'From JSON',
      type: 'social-post',
      source: { model: 'claude', prompt: 'write a post' },
      content: 'A post',
    })
    expect(watcher.status('wsA')).toMatchObject({ processed: 5, failed: 11, watching: true })
  })
})

describe('the inbox folder: files as they arrive', () => {
  it('waits for a file that is still being written, then takes it whole', async () => {
    const { spool, watcher, inboxDir } = await setup(500)
    const file = join(inboxDir, 'slow.md')
    const handle = await open(file, 'w')
    await handle.write('---\ntitle: Slow\n---\n')
    // Keep writing for ~2 s, in small pauses shorter than the settle time, scanning all along.
    for (let i = 0; i < 10; i++) {
      await handle.write(`line ${i}\n`)
      await watcher.scanAll()
      expect(existsSync(file)).toBe(true)
      expect(await spool.pending('wsA')).toHaveLength(0)
      await new Promise((r) => setTimeout(r, 200))
    }
    await handle.write('the end\n')
    await handle.close()
    await until(async () => {
      await watcher.scanAll()
      return !existsSync(file)
    })
    const [item] = await spool.pending('wsA')
    expect(item?.content).toBe(`${Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join('')}the end\n`)
  })

  it('never overwrites: a second file of the same name gets a suffix in processed/ and failed/', async () => {
    const { watcher, inboxDir } = await setup(0)
    for (let round = 0; round < 2; round++) {
      writeFileSync(join(inboxDir, 'same.md'), `round ${round}\n`)
      writeFileSync(join(inboxDir, 'same.bin'), 'x')
      await until(async () => {
        await watcher.scanAll()
        return !existsSync(join(inboxDir, 'same.md')) && !existsSync(join(inboxDir, 'same.bin'))
      })
    }
    expect(ls(join(inboxDir, 'processed'))).toEqual(['same (1).md', 'same.md'])
    expect(ls(join(inboxDir, 'failed'))).toEqual([
      'same (1).bin',
      'same (1).bin.reason.txt',
      'same.bin',
      'same.bin.reason.txt',
    ])
    expect(readFileSync(join(inboxDir, 'processed', 'same (1).md'), 'utf8')).toBe('round 1\n')
  })

  it('ignores temporary names until the tool renames the file', async () => {
    const { spool, watcher, inboxDir } = await setup(0)
    writeFileSync(join(inboxDir, 'draft.md.part'), 'half')
    writeFileSync(join(inboxDir, '.hidden.md'), 'x')
    for (let i = 0; i < 3; i++) {
      await watcher.scanAll()
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(await spool.pending('wsA')).toHaveLength(0)
    expect(ls(inboxDir)).toEqual(['.hidden.md', 'draft.md.part'])
  })

  it('puts a file whose type the workspace lacks in failed/ with its reason, not processed/ (issue 12 #18)', async () => {
    const dataDir = scope.dir('signoff-intake-host-')
    const inboxDir = scope.dir('signoff-inbox-')
    const service = createIntakeService({ dataDir, intakePort: 0, inboxPollMs: 50, inboxSettleMs: 0 })
    scope.defer(() => service.close())
    const host = service.methods
    const renderer = new FakeRenderer(host as HostApi)
    await host.setInbox({ workspaceId: renderer.workspaceId, path: inboxDir })
    writeFileSync(join(inboxDir, 'ode.md'), '---\ntype: poem\n---\nRoses are red.\n')
    writeFileSync(join(inboxDir, 'ok.md'), '---\ntype: blog-article\n---\nA post.\n')
    // The host takes both (it does not know the workspace's types); the window then makes drafts.
    await until(async () => (await host.intakePending(renderer.workspaceId)).length === 2)
    expect(await renderer.drain()).toBe(2)
    await until(() => ls(join(inboxDir, 'failed')).includes('ode.md'))
    expect(ls(join(inboxDir, 'processed'))).toEqual(['ok.md'])
    expect(ls(join(inboxDir, 'failed'))).toEqual(['ode.md', 'ode.md.reason.txt'])
    expect(readFileSync(join(inboxDir, 'failed', 'ode.md.reason.txt'), 'utf8')).toMatch(
      /There is no output type "poem" in this workspace/,
    )
    // Settings → Intake counts it as failed, with the reason, not as taken.
    expect(await host.inboxStatus(renderer.workspaceId)).toMatchObject({
      processed: 1,
      failed: 1,
      lastFailure: { file: 'ode.md', reason: expect.stringMatching(/no output type "poem"/) },
    })
  })
})

describe('the host taking waiting submissions', () => {
  it('offers every one, also those behind a batch whose files are still being moved on', async () => {
    const dataDir = scope.dir('signoff-intake-drain-')
    // 70 submissions wait (more than one batch of 50), written before the host took any.
    const before = new Spool(dataDir)
    for (let i = 0; i < 70; i++)
      await before.add({ workspaceId: 'wsA', title: `T${i}`, type: 'blog-article', content: 'x', via: 'api' })
    const made = new Set<string>()
    const service = createIntakeService({
      dataDir,
      intakePort: 0,
      drafts: {
        holds: () => true,
        make: async (item) => {
          made.add(item.id)
          const status = { id: item.id, state: 'draft', title: item.title, typeId: 'blog-article' }
          return {
            ok: true,
            typeId: 'blog-article',
            status: { ...status, approvals: 0, approvalsRequired: 1, reasons: [], checklist: [] },
          }
        },
        status: async () => null,
      },
    })
    scope.defer(() => service.close())
    // One drain, nothing else to wake it: the first batch's files are still being moved to
    // processed/ when it lists again, and the 20 behind them must not wait for a later event.
    await service.drain('wsA')
    expect(made.size).toBe(70)
    await until(() => readdirSync(join(dataDir, 'intake', 'wsA', 'processed')).length === 70)
  })
})
