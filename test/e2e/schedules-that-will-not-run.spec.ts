import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import {
  addFolderDestination,
  approve,
  destination,
  editor,
  firstRunWithSharedDrive,
  nav,
  newOutput,
  openSettings,
  startNewVersion,
} from './fixtures/screens.ts'

/**
 * Publishes that will not go out as planned say so, and what went out stays named.
 *
 * Removing a destination keeps what went there readable: the published card, the publishing
 * history, Shipped and its filter name it "Shared drive (removed)", told apart from a new
 * destination of the same name; a publish scheduled to it says it will not run; this machine's
 * settings for it (the folder) go with it.
 */

const card = (page: Page, title: string) => page.locator('article.card', { hasText: title })

/** "Publish at" a day from now, in the date field's own format. */
const tomorrow = (page: Page) =>
  page.evaluate(`(() => {
    const d = new Date(Date.now() + 86400000)
    const p = (n) => String(n).padStart(2, '0')
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes())
  })()`) as Promise<string>

async function openPublish(page: Page, title: string) {
  await card(page, title)
    .getByRole('button', { name: /^Move .*…$/ })
    .click()
  await page.getByRole('menuitem', { name: /Publish to…/ }).click()
}

test('a removed destination still names what was published and scheduled there', async ({ openApp }) => {
  test.setTimeout(90_000)
  const dir = await mkdtemp(join(tmpdir(), 'signoff-e2e-removed-'))
  try {
    const page = await openApp()
    await firstRunWithSharedDrive(page, dir)
    await newOutput(page, { title: 'Weekly notes', content: '# Weekly\n\nShip on Friday.' })
    await newOutput(page, { title: 'Later notes', content: '# Later\n\nShip on Monday.' })
    await approve(page, 'Weekly notes')
    await approve(page, 'Later notes')
    await card(page, 'Weekly notes').dragTo(destination(page, 'Shared drive'))
    await expect(card(page, 'Weekly notes').getByTestId('card-publish')).toContainText(
      'Published to Shared drive',
    )

    // "Later notes" is scheduled for tomorrow.
    await openPublish(page, 'Later notes')
    const dialog = page.getByRole('dialog', { name: 'Publish “Later notes”' })
    await dialog.getByRole('radio', { name: 'At a time' }).check()
    const runAt = await tomorrow(page)
    await dialog.getByLabel('Publish at').fill(runAt)
    await dialog.getByRole('button', { name: 'Schedule' }).click()
    await expect(card(page, 'Later notes').getByTestId('card-publish')).toContainText(
      'Scheduled: Shared drive at',
    )

    // The admin removes it: the confirmation says what follows, the status that the folder setting went too.
    await openSettings(page)
    await page.getByRole('tab', { name: 'Destinations' }).click()
    const panel = page.getByRole('tabpanel', { name: 'Destinations' })
    await panel.getByRole('button', { name: 'Remove destination' }).click()
    const remove = panel.getByRole('button', { name: 'Remove “Shared drive”' })
    await expect(remove).toHaveAccessibleDescription(/publishes scheduled to it will not run/)
    await remove.focus()
    await page.keyboard.press('Enter')
    await expect(panel.getByRole('status')).toContainText(
      'Removed “Shared drive” and this machine’s settings for it.',
    )
    // A new destination takes the name.
    await addFolderDestination(page, 'Shared drive')
    await nav(page, 'Board')

    await expect(card(page, 'Weekly notes').getByTestId('card-publish')).toContainText(
      'Published to Shared drive (removed)',
    )
    await expect(card(page, 'Later notes').getByTestId('card-publish')).toContainText(
      /Scheduled: Shared drive \(removed\) at .*, will not run/,
    )
    await openPublish(page, 'Later notes')
    const scheduled = page.getByRole('list', { name: 'Scheduled publishes' })
    await expect(scheduled).toContainText('Scheduled for Shared drive (removed) at')
    await expect(scheduled).toContainText('will not run: its destination was removed')
    await scheduled.getByRole('button', { name: 'Cancel schedule' }).click()
    await expect(page.getByRole('list', { name: 'Scheduled publishes' })).toHaveCount(0)
    await page.keyboard.press('Escape')
    await expect(card(page, 'Later notes').getByTestId('card-publish')).toHaveCount(0)

    await openPublish(page, 'Weekly notes')
    await expect(page.getByRole('list', { name: 'Publish attempts' })).toContainText(
      'Published to Shared drive (removed) by Ada Lovelace',
    )
    await page.keyboard.press('Escape')

    // Shipped: the row and the filter name it; filtering by it finds the publish.
    await nav(page, 'Shipped')
    const row = page
      .getByRole('table', { name: 'Publishes' })
      .getByRole('row')
      .filter({ hasText: 'Weekly notes' })
    await expect(row).toContainText('Shared drive (removed)')
    await page.getByLabel('Destination').selectOption({ label: 'Shared drive (removed)' })
    await expect(row).toBeVisible()
    await page.getByLabel('Destination').selectOption({ label: 'Shared drive' })
    await expect(row).toHaveCount(0)
    await page.screenshot({ path: test.info().outputPath('destination-removed-shipped.png'), fullPage: true })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('a schedule of a version no longer approved says it waits, then that it will not run', async ({
  openApp,
}) => {
  test.setTimeout(90_000)
  const dir = await mkdtemp(join(tmpdir(), 'signoff-e2e-held-'))
  try {
    const page = await openApp()
    await firstRunWithSharedDrive(page, dir)
    await newOutput(page, { title: 'Price note', content: 'Pro plan: 29 EUR.' })
    await approve(page, 'Price note')
    await openPublish(page, 'Price note')
    const dialog = page.getByRole('dialog', { name: 'Publish “Price note”' })
    await dialog.getByRole('radio', { name: 'At a time' }).check()
    await dialog.getByLabel('Publish at').fill(await tomorrow(page))
    await dialog.getByRole('button', { name: 'Schedule' }).click()
    const line = card(page, 'Price note').getByTestId('card-publish')
    await expect(line).toContainText('Scheduled: Shared drive at')
    await expect(line).not.toContainText('will not run')

    // A new version is started: the scheduled one is not approved now.
    await page.getByRole('button', { name: 'Price note', exact: true }).click()
    await startNewVersion(page)
    await editor(page).click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' From March.')
    await page.getByRole('button', { name: '← Back to board' }).click()
    await expect(line).toContainText('waits: the output is not approved now')

    // The new version (back in review) is approved: the schedule names the old one and will not run.
    await page.getByRole('button', { name: 'Price note', exact: true }).click()
    const item = page.getByRole('group', { name: 'Matches the source' })
    await item.getByRole('radio', { name: 'Pass' }).check()
    await item.getByRole('button', { name: 'Save judgement on Matches the source' }).click()
    await page.getByRole('button', { name: 'Approve', exact: true }).click()
    await expect(page.getByText('Approved', { exact: true })).toBeVisible()
    await page.getByRole('button', { name: '← Back to board' }).click()
    await expect(line).toContainText('will not run: a newer version was approved since; schedule that one')
    await openPublish(page, 'Price note')
    await expect(page.getByRole('list', { name: 'Scheduled publishes' })).toContainText(
      'will not run: a newer version was approved since',
    )
    await page.screenshot({ path: test.info().outputPath('schedule-held.png'), fullPage: true })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
