import { readdir, readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import {
  addChecklistItem,
  approve,
  destination,
  firstRunWithSharedDrive,
  nav,
  newOutput,
  openOutputType,
} from './fixtures/screens.ts'

/**
 * Decisions stand: an output approved and published under one version of its type's rules stays
 * published, in Shipped and in the exports, after an admin adds a checklist item to the type; its
 * receipt names the rules it passed; an output still in review says its rules changed and an
 * admin restarts its round under the new rules only by asking to.
 */

const card = (page: Page, title: string) => page.locator('article.card', { hasText: title })
const column = (page: Page, id: string) => page.locator(`section[data-column="${id}"]`)

test('a published output stays published after its type gains a checklist item; an open one is told and can restart', async ({
  openApp,
  folder,
}) => {
  const page = await openApp()
  await firstRunWithSharedDrive(page, folder)
  await newOutput(page, { title: 'Weekly notes', content: 'Decisions: ship on Friday.' })
  await newOutput(page, { title: 'Monthly notes', content: 'Decisions: hire in March.' })
  await approve(page, 'Weekly notes')
  await approve(page, 'Monthly notes')
  await card(page, 'Weekly notes').dragTo(destination(page, 'Shared drive'))
  await expect(column(page, 'published').locator('article.card', { hasText: 'Weekly notes' })).toBeVisible()
  expect(await readdir(folder)).toHaveLength(1)

  await addChecklistItem(page, 'Internal summary', 'Legal read it')
  // Settings keeps every version of the rules, with what changed.
  const history = page.getByRole('region', { name: 'Version history of the rules' })
  await expect(history.getByRole('listitem').first()).toContainText('(current)')
  await expect(history).toContainText('Checklist item added: “Legal read it” (sends back).')

  await nav(page, 'Board')
  await expect(column(page, 'published').locator('article.card', { hasText: 'Weekly notes' })).toBeVisible()
  await expect(column(page, 'approved').locator('article.card', { hasText: 'Monthly notes' })).toBeVisible()

  // The published one: still published, no banner, its round names the rules it passed.
  await page.getByRole('button', { name: 'Weekly notes', exact: true }).click()
  await expect(page.getByText('Published', { exact: true })).toBeVisible()
  const rules = page.getByRole('region', { name: 'Review rules' })
  // In words too: the type the rules were for, who saved them and when.
  await expect(rules).toContainText(
    /Round 1 follows rules [0-9a-f]{8} for Internal summary, saved by Ada Lovelace on \S/,
  )
  const short = /rules ([0-9a-f]{8})/.exec((await rules.textContent()) ?? '')![1]!
  await page.getByRole('button', { name: 'History' }).click()
  await expect(page.getByRole('region', { name: 'Rounds and their rules' })).toContainText(`rules ${short}`)
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText(`for review under rules ${short}`)
  await expect(page.getByRole('list', { name: 'Timeline' })).not.toContainText('not counted')
  await page.getByRole('button', { name: 'Close', exact: true }).click()
  await page.getByRole('button', { name: '← Back to board' }).click()

  // Shipped and its exports still list the publish, naming the rules; so does the receipt.
  await nav(page, 'Shipped')
  const row = page
    .getByRole('table', { name: 'Publishes' })
    .getByRole('row')
    .filter({ hasText: 'Weekly notes' })
  await expect(row).toContainText('Shared drive')
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ])
  const text = await readFile((await csv.path())!, 'utf8')
  expect(text).toContain('Rules version')
  expect(text).toContain('Weekly notes')
  expect(text).toContain(short)
  const [receipt] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Approval receipt for Weekly notes' }).click(),
  ])
  const json = JSON.parse(await readFile((await receipt.path())!, 'utf8')) as { rules: { version: string } }
  expect(json.rules.version.startsWith(short)).toBe(true)

  // The approved one, not shipped yet: told its rules changed and what changed; the admin restarts it.
  await nav(page, 'Board')
  await page.getByRole('button', { name: 'Monthly notes', exact: true }).click()
  await expect(page.getByText('Approved', { exact: true })).toBeVisible()
  const banner = page.getByRole('region', { name: 'Review rules' })
  await expect(banner).toContainText('The rules for this type changed since it was submitted.')
  await expect(banner.getByRole('list', { name: 'What changed' })).toContainText(
    'Checklist item added: “Legal read it”',
  )
  await page.screenshot({ path: 'test-results/policy-rules-changed.png', fullPage: true })
  // Escape cancels the form, not the output; the button that opened it has the focus again.
  const startOver = banner.getByRole('button', { name: 'Start a new round under the new rules…' })
  await startOver.click()
  await expect(banner.getByLabel('Why start over?')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(startOver).toBeFocused()
  await expect(page.getByRole('button', { name: '← Back to board' })).toBeVisible()
  await startOver.click()
  await banner.getByRole('button', { name: 'Start round 2' }).click()
  await expect(banner.getByRole('alert')).toContainText('Say why the round starts over.')
  await banner.getByLabel('Why start over?').fill('Legal reads every summary now')
  await banner.getByRole('button', { name: 'Start round 2' }).click()
  await expect(page.getByText('In review', { exact: true })).toBeVisible()
  await expect(page.getByRole('group', { name: 'Legal read it' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Review rules' })).toContainText('Round 2 follows rules')
  await page.screenshot({ path: 'test-results/policy-new-round.png', fullPage: true })
})

test('each output type shows its own rules history, and a change of where it may go reads by destination name', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRunWithSharedDrive(page, '/tmp')
  const history = page.getByRole('region', { name: 'Version history of the rules' })
  const open = (type: string) => openOutputType(page, type)
  // Allowing Shared drive made a version of Internal summary's rules, named as such.
  await open('Internal summary')
  await expect(history).toContainText('Destinations: none → Shared drive.')
  const summaryRules = (await history.getByRole('listitem').first().locator('code').textContent()) ?? ''
  // Another type, chosen in the same tab, shows its own rules, not the ones shown before.
  await open('Blog article')
  await expect(history).not.toContainText('Shared drive')
  await expect(history.getByRole('listitem')).toHaveCount(1)
  await expect(history.getByRole('listitem').first().locator('code')).not.toHaveText(summaryRules)
  await open('Internal summary')
  await expect(history.getByRole('listitem').first().locator('code')).toHaveText(summaryRules)
})
