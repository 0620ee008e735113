import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './fixtures/app.ts'
import { firstRun } from './fixtures/screens.ts'

/**
 * Intake end to end: the real web bridge (whose host runs the intake API and inbox watcher), the
 * real renderer in Chromium draining the spool into drafts on the board, and the status going
 * back to the API.
 */
test('an output posted to the intake API and a file dropped in the inbox become drafts on the board', async ({
  openApp,
  bridge,
}) => {
  const page = await openApp()
  await firstRun(page)
  const dataDir = bridge.dataDir!
  // The renderer registers its workspace with the host on its first poll.
  await expect.poll(() => existsSync(join(dataDir, 'intake', 'endpoint.json'))).toBe(true)
  const { url } = JSON.parse(readFileSync(join(dataDir, 'intake', 'endpoint.json'), 'utf8')) as {
    url: string
  }
  const token = readFileSync(join(dataDir, 'intake', 'token'), 'utf8').trim()
  const auth = { authorization: `Bearer ${token}` }

  let id = ''
  await expect
    .poll(async () => {
      const r = await fetch(`${url}/outputs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: 'Posted by a script',
          type: 'blog-article',
          content: '# Posted\n\nFrom curl.',
          source: { model: 'gpt-x', tool: 'e2e' },
        }),
      })
      if (r.status === 202) id = ((await r.json()) as { id: string }).id
      return r.status
    })
    .toBe(202)
  await expect(page.getByRole('button', { name: 'Posted by a script', exact: true })).toBeVisible({
    timeout: 15_000,
  })
  await expect
    .poll(async () => {
      const r = await fetch(`${url}/outputs/${id}`, { headers: auth })
      return ((await r.json()) as { state: string; typeId: string }).state
    })
    .toBe('draft')

  // Settings → Intake shows the token and sets the inbox folder.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Intake' }).click()
  const panel = page.getByRole('tabpanel', { name: 'Intake' })
  await expect(panel.getByText(token)).toBeVisible()
  const inbox = mkdtempSync(join(tmpdir(), 'signoff-e2e-inbox-'))
  try {
    await expect(panel.getByRole('status')).toHaveText(
      'No inbox folder on this machine: outputs arrive only through the local API.',
    )
    // A mistyped folder is said in words, and nothing is created for it.
    const typo = join(inbox, 'no-such-parent', 'inbox')
    await panel.getByLabel(/^Folder/).fill(typo)
    await panel.getByRole('button', { name: 'Save inbox folder' }).click()
    await expect(page.getByRole('alert')).toHaveText(
      `The folder ${join(inbox, 'no-such-parent')} does not exist: check the path (Signoff creates only the inbox folder itself).`,
    )
    expect(existsSync(join(inbox, 'no-such-parent'))).toBe(false)
    // The field refused takes the focus and carries the words.
    await expect(panel.getByLabel(/^Folder/)).toBeFocused()
    await expect(panel.getByLabel(/^Folder/)).toHaveAttribute('aria-invalid', 'true')
    // A folder that already holds a note: named, and taken only when saved again.
    writeFileSync(join(inbox, 'my-notes.md'), '---\ntitle: Already here\n---\nMine\n')
    await panel.getByLabel(/^Folder/).fill(inbox)
    await panel.getByRole('button', { name: 'Save inbox folder' }).click()
    await expect(page.getByRole('alert')).toHaveText(
      `${inbox} already holds 1 file the inbox would take (my-notes.md): it would become a draft and move into processed/. Save again to take it, or choose an empty folder.`,
    )
    await expect(panel.getByLabel(/^Folder/)).toHaveAccessibleDescription(/already holds 1 file/)
    expect(existsSync(join(inbox, 'my-notes.md'))).toBe(true)
    await panel.getByRole('button', { name: 'Save inbox folder' }).click()
    await expect(panel.getByText(`Watching ${inbox}`)).toBeVisible()
    await expect(panel.getByLabel(/^Folder/)).not.toHaveAttribute('aria-invalid', 'true')
    await expect
      .poll(() => existsSync(join(inbox, 'processed', 'my-notes.md')), { timeout: 15_000 })
      .toBe(true)
    writeFileSync(
      join(inbox, 'dropped.md'),
      '---\ntitle: Dropped in the inbox\ntype: social-post\n---\nHello\n',
    )
    writeFileSync(join(inbox, 'broken.md'), '---\ntitle: x\n')
    await expect
      .poll(() => existsSync(join(inbox, 'processed', 'dropped.md')), { timeout: 15_000 })
      .toBe(true)
    await expect.poll(() => existsSync(join(inbox, 'failed', 'broken.md.reason.txt'))).toBe(true)
    await page.getByRole('button', { name: '← Back to board' }).click()
    await expect(page.getByRole('button', { name: 'Dropped in the inbox', exact: true })).toBeVisible({
      timeout: 15_000,
    })
  } finally {
    rmSync(inbox, { recursive: true, force: true })
  }
})
