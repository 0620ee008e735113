import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { startWebServer } from '../../electron/host/bridge.ts'
import { contentHash } from '../../shared/domain/hash.ts'
import { expect, rendererDir, test } from './fixtures/app.ts'
import {
  addFolderDestination,
  approve,
  destination,
  firstRun,
  firstRunWithSharedDrive,
  newOutput,
  openSettings,
  setUpFolder,
} from './fixtures/screens.ts'

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

const openBoard = (page: Page) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Board' }).click()

const card = (page: Page, title: string) => page.locator('article.card', { hasText: title })
const column = (page: Page, id: string) => page.locator(`section[data-column="${id}"]`)

/** A card's move menu → "Publish to…": the publish dialog, as a keyboard user reaches it. */
async function openPublish(page: Page, title: string) {
  await card(page, title)
    .getByRole('button', { name: /^Move .*…$/ })
    .click()
  await page.getByRole('menuitem', { name: /Publish to…/ }).click()
}

test('drag an approved output onto a folder destination: file, manifest and receipt; an unapproved one is refused', async ({
  openApp,
}) => {
  const dir = await tempFolder('signoff-e2e-dest-')
  const page = await openApp()
  await firstRunWithSharedDrive(page, dir)

  const content = '# Weekly team notes\n\nDecisions: ship on Friday.'
  await newOutput(page, { title: 'Weekly team notes', content: content })
  await newOutput(page, { title: 'Unreviewed draft', content: 'Not reviewed yet.' })
  await approve(page, 'Weekly team notes')

  // A draft dropped on the destination is refused, and the card says why.
  await card(page, 'Unreviewed draft').dragTo(destination(page, 'Shared drive'))
  await expect(card(page, 'Unreviewed draft').getByRole('note')).toContainText('It is a draft')
  expect(await readdir(dir)).toEqual([])

  // While an approved card is dragged the target says it may go there; the drop publishes it.
  await card(page, 'Weekly team notes').dragTo(destination(page, 'Shared drive'))
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
  await openPublish(page, 'Weekly team notes')
  const history = page.getByRole('region', { name: 'Publishing history' })
  await expect(history.getByRole('listitem')).toHaveCount(1)
  await expect(history.getByRole('listitem')).toContainText('Published to Shared drive by Ada Lovelace')
  await expect(history.getByRole('listitem')).toContainText(file)
  await page.screenshot({ path: 'test-results/publish-dialog.png' })
})

test('by keyboard alone: M, then P on an approved card opens Publish, and Ctrl+Enter publishes it', async ({
  openApp,
}) => {
  const dir = await tempFolder('signoff-e2e-dest-keys-')
  const page = await openApp()
  await firstRunWithSharedDrive(page, dir)
  await newOutput(page, { title: 'Keyboard notes', content: 'Decisions: ship on Friday.' })
  await approve(page, 'Keyboard notes')
  await page.getByRole('button', { name: 'Keyboard notes', exact: true }).focus()
  await page.keyboard.press('m')
  await page.keyboard.press('p')
  const dialog = page.getByRole('dialog', { name: 'Publish “Keyboard notes”' })
  await expect(dialog.getByLabel('Destination')).toBeFocused()
  await expect(dialog.getByRole('button', { name: 'Publish now' })).toBeEnabled()
  await page.keyboard.press('Control+Enter')
  await expect(dialog).toBeHidden()
  await expect(column(page, 'published').locator('article.card', { hasText: 'Keyboard notes' })).toBeVisible()
  expect(await readdir(dir)).toHaveLength(1)
})

test('a scheduled publish with two members online happens exactly once', async ({ openApp, browser }) => {
  test.setTimeout(90_000)
  const dir = await tempFolder('signoff-e2e-dest-')
  const admin = await openApp()
  await firstRun(admin)

  // A teammate, invited through the app's own hosting.
  await openSettings(admin)
  await admin.getByRole('tab', { name: 'Members' }).click()
  const members = admin.getByRole('tabpanel', { name: 'Members' })
  await members.getByLabel('Name').fill('Bea Reviewer')
  await members.getByRole('button', { name: 'Add member' }).click()
  await expect(members.getByRole('status')).toContainText('Added Bea Reviewer')
  await admin.getByRole('tab', { name: 'Sync & hosting' }).click()
  await admin.getByRole('button', { name: 'Start hosting' }).click()
  await admin.getByRole('button', { name: 'Create invite for Bea Reviewer' }).click()
  const invite = admin.getByRole('region', { name: 'Invite for Bea Reviewer' })
  // The invite names the LAN address; the teammate here is on the same machine.
  const relayUrl = ((await invite.locator('code').first().textContent()) ?? '').replace(
    /\/\/[^:/]+/,
    '//127.0.0.1',
  )
  const token = (await invite.locator('code.token').textContent()) ?? ''
  expect(relayUrl).toMatch(/^ws:\/\//)

  await addFolderDestination(admin, 'Shared drive')
  await setUpFolder(admin, 'Shared drive', dir)

  // The teammate's app has its own bridge and data folder, like another machine.
  const dataDir = await tempFolder('signoff-e2e-bea-')
  const bridge = await startWebServer({ port: 0, host: '127.0.0.1', rendererDir, dataDir, version: 'test' })
  cleanups.push(() => bridge.close())
  const context = await browser.newContext()
  cleanups.push(() => context.close())
  const bea = await context.newPage()
  await bea.goto(bridge.url)
  await bea.getByLabel('Your name').fill('Bea Reviewer')
  await bea.getByRole('button', { name: 'Continue' }).click()
  await bea.getByLabel('Relay address').fill(relayUrl)
  await bea.getByLabel('Invite token').fill(token)
  await bea.getByRole('button', { name: 'Join workspace' }).click()
  await expect(bea.getByRole('option', { name: 'Acme' })).toBeAttached({ timeout: 15_000 })
  await setUpFolder(bea, 'Shared drive', dir)
  await openBoard(bea)

  // The admin approves an output and schedules it a few seconds ahead.
  await openBoard(admin)
  const content = 'Quarterly numbers, reviewed.'
  await newOutput(admin, { title: 'Quarterly digest', content: content })
  await approve(admin, 'Quarterly digest')
  await expect(card(bea, 'Quarterly digest')).toBeVisible({ timeout: 15_000 })
  await openPublish(admin, 'Quarterly digest')
  const dialog = admin.getByRole('dialog', { name: 'Publish “Quarterly digest”' })
  await dialog.getByRole('radio', { name: 'At a time' }).check()
  // A time already past is refused in words; the time field is marked and takes the focus.
  const publishAt = dialog.getByLabel('Publish at')
  await publishAt.fill('2020-01-01T09:00:00')
  const schedule = dialog.getByRole('button', { name: 'Schedule' })
  await schedule.focus()
  await admin.keyboard.press('Enter')
  const past = 'That time has already passed: choose a later time, or choose “Publish now”.'
  await expect(dialog.getByRole('alert')).toHaveText(past)
  await expect(publishAt).toBeFocused()
  await expect(publishAt).toHaveAttribute('aria-invalid', 'true')
  await expect(publishAt).toHaveAccessibleDescription(past)
  // A mistyped year is no plan either: more than a year ahead is refused.
  await publishAt.fill('9999-12-31T10:00:00')
  await schedule.click()
  await expect(dialog.getByRole('alert')).toHaveText(
    'That is more than a year away (9999): choose a time within a year.',
  )
  await expect(publishAt).toBeFocused()
  const runAt = (await admin.evaluate(`(() => {
    const d = new Date(Date.now() + 6000)
    const p = (n) => String(n).padStart(2, '0')
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds())
  })()`)) as string
  await dialog.getByLabel('Publish at').fill(runAt)
  await dialog.getByRole('button', { name: 'Schedule' }).click()
  await expect(dialog).toBeHidden()
  await expect(card(bea, 'Quarterly digest').getByTestId('card-publish')).toContainText(
    'Scheduled: Shared drive',
    {
      timeout: 10_000,
    },
  )

  // It fires on both machines; the trail lets one of them perform it.
  for (const page of [admin, bea])
    await expect(card(page, 'Quarterly digest').getByTestId('card-publish')).toContainText(
      'Published to Shared drive',
      { timeout: 20_000 },
    )
  await admin.waitForTimeout(3_000)
  const files = await readdir(dir)
  expect(files).toHaveLength(1)
  expect(await readFile(join(dir, files[0]!), 'utf8')).toContain(`contentHash: "${contentHash(content)}"`)
  for (const page of [admin, bea]) {
    await openPublish(page, 'Quarterly digest')
    const history = page.getByRole('list', { name: 'Publish attempts' })
    await expect(history.getByRole('listitem')).toHaveCount(1)
    await expect(history.getByRole('listitem')).toContainText('Published to Shared drive')
    await expect(page.getByRole('list', { name: 'Scheduled publishes' })).toHaveCount(0)
    await page.keyboard.press('Escape')
  }
})
