import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { startWebServer } from '../../electron/host/bridge.ts'
import { contentHash } from '../../shared/domain/hash.ts'
import { expect, rendererDir, test } from './fixtures/app.ts'

/**
 * Publishing through the screens: a folder destination set up in Settings, an approved card
 * dragged onto it (the file, its manifest and the receipt checked), a refused drop, and a
 * scheduled publish with two members online that happens exactly once.
 */

const cleanups: (() => Promise<void>)[] = []
test.afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function tempFolder(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function firstRun(page: Page) {
  await page.getByLabel('Your name').fill('Ada Lovelace')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Workspace name').fill('Acme')
  await page.getByRole('radio', { name: /Small team/ }).check()
  await page.getByRole('button', { name: 'Create workspace' }).click()
}

const openSettings = (page: Page) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
const openBoard = (page: Page) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Board' }).click()

/** Admin: add a folder destination and allow Internal summary outputs to go there. */
async function addFolderDestination(page: Page, name: string) {
  await openSettings(page)
  await page.getByRole('tab', { name: 'Destinations' }).click()
  const panel = page.getByRole('tabpanel', { name: 'Destinations' })
  await panel.getByLabel('Destination name').fill(name)
  await panel.getByLabel('Kind').selectOption('folder')
  await panel.getByRole('button', { name: 'Add destination' }).click()
  await panel.getByRole('checkbox', { name: `Internal summary may go to ${name}` }).check()
}

/** Any member: this machine's folder for the destination. */
async function setUpFolder(page: Page, name: string, dir: string) {
  await openSettings(page)
  await page.getByRole('tab', { name: 'Destinations' }).click()
  const section = page.getByRole('region', { name: `Destination ${name}` })
  await section.getByLabel('Folder path').fill(dir)
  await section.getByRole('button', { name: 'Save on this machine' }).click()
  await expect(section.getByRole('status')).toContainText('Saved the settings')
  await expect(page.getByTestId('secret-storage')).toContainText('Secret storage: local key file')
}

async function newOutput(page: Page, title: string, content: string) {
  await page.getByRole('button', { name: 'New output', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'New output' })
  await dialog.getByLabel('Title').fill(title)
  await dialog.getByLabel('Type').selectOption('internal-summary')
  await dialog.getByLabel('Content', { exact: true }).fill(content)
  await dialog.getByRole('button', { name: 'Create draft' }).click()
  await expect(dialog).toBeHidden()
}

/** Open, submit, judge the send-back item, approve, back to the board. */
async function approve(page: Page, title: string) {
  await page.getByRole('button', { name: title, exact: true }).click()
  const action = (name: string) => page.getByRole('button', { name, exact: true })
  await action('Submit for review').click()
  const item = page.getByRole('group', { name: 'Matches the source' })
  await item.getByRole('radio', { name: 'Pass' }).check()
  await item.getByRole('button', { name: 'Save judgement on Matches the source' }).click()
  await expect(action('Approve')).toBeEnabled()
  await action('Approve').click()
  await expect(page.getByText('Approved', { exact: true })).toBeVisible()
  await page.getByRole('button', { name: '← Back to board' }).click()
}

const card = (page: Page, title: string) => page.locator('article.card', { hasText: title })
const target = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Destinations' }).getByRole('listitem').filter({ hasText: name })
const column = (page: Page, id: string) => page.locator(`section[data-column="${id}"]`)

test('drag an approved output onto a folder destination: file, manifest and receipt; an unapproved one is refused', async ({
  openApp,
}) => {
  const dir = await tempFolder('signoff-e2e-dest-')
  const page = await openApp()
  await firstRun(page)
  await addFolderDestination(page, 'Shared drive')
  await setUpFolder(page, 'Shared drive', dir)
  await openBoard(page)

  const content = '# Weekly team notes\n\nDecisions: ship on Friday.'
  await newOutput(page, 'Weekly team notes', content)
  await newOutput(page, 'Unreviewed draft', 'Not reviewed yet.')
  await approve(page, 'Weekly team notes')

  // A draft dropped on the destination is refused, and the card says why.
  await card(page, 'Unreviewed draft').dragTo(target(page, 'Shared drive'))
  await expect(card(page, 'Unreviewed draft').getByRole('note')).toContainText('It is a draft')
  expect(await readdir(dir)).toEqual([])

  // While an approved card is dragged the target says it may go there; the drop publishes it.
  await card(page, 'Weekly team notes').dragTo(target(page, 'Shared drive'))
  await expect(
    column(page, 'published').locator('article.card', { hasText: 'Weekly team notes' }),
  ).toBeVisible()
  await expect(card(page, 'Weekly team notes').getByTestId('card-publish')).toContainText(
    'Published to Shared drive',
  )

  // The file: exactly the approved bytes, with the manifest in its front matter.
  const files = await readdir(dir)
  expect(files).toHaveLength(1)
  const file = join(dir, files[0]!)
  const text = await readFile(file, 'utf8')
  expect(text.startsWith('---\n')).toBe(true)
  expect(text).toContain(`contentHash: "${contentHash(content)}"`)
  expect(text).toMatch(/approvers:\n\s+- memberId: "m\w+"\n\s+name: "Ada Lovelace"/)
  expect(text).toContain('destinationName: "Shared drive"')
  expect(text.endsWith(content) || text.endsWith(`${content}\n`)).toBe(true)

  // The receipt in the trail names the file.
  await card(page, 'Weekly team notes')
    .getByRole('button', { name: /^Move .*…$/ })
    .click()
  await page.getByRole('menuitem', { name: /Publish to…/ }).click()
  const history = page.getByRole('region', { name: 'Publishing history' })
  await expect(history.getByRole('listitem')).toHaveCount(1)
  await expect(history.getByRole('listitem')).toContainText('Published to Shared drive by Ada Lovelace')
  await expect(history.getByRole('listitem')).toContainText(file)
  await page.screenshot({ path: 'test-results/publish-dialog.png' })
})
