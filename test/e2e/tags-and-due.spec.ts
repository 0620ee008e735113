import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { firstRun, newOutput } from './fixtures/screens.ts'

/** Intake's tags and due date are shown and used (issue 12 #7). */

const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true })

test('tags and due dates show on cards and in the output, filter the board, and make it overdue', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page)
  await page.getByRole('button', { name: 'New output', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'New output' })
  await dialog.getByLabel('Title').fill('Q3 launch post')
  await dialog.getByLabel('Type').selectOption('social-post')
  await dialog.getByLabel('Content', { exact: true }).fill('We launch on Monday.')
  await dialog.getByLabel('Tags').fill('launch, q3')
  // A day long past: the card says overdue in words.
  await dialog.getByLabel('Due').fill('2020-01-31')
  await dialog.getByRole('button', { name: 'Create draft' }).click()
  await expect(dialog).toBeHidden()
  await newOutput(page, { title: 'Weekly digest', typeId: 'internal-summary' })

  const card = column(page, 'Draft').locator('article').filter({ hasText: 'Q3 launch post' })
  await expect(card).toContainText('#launch')
  await expect(card).toContainText('#q3')
  await expect(card).toContainText('Overdue · Due 2020-01-31')
  await card.screenshot({ path: 'test-results/card-tags-due.png' })

  // The tag filter.
  await page.getByLabel('Filter by tag').selectOption('launch')
  await expect(column(page, 'Draft')).toContainText('Q3 launch post')
  await expect(column(page, 'Draft')).not.toContainText('Weekly digest')
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(column(page, 'Draft')).toContainText('Weekly digest')

  // The output view.
  await page.getByRole('button', { name: 'Q3 launch post', exact: true }).click()
  const facts = page.getByRole('list', { name: 'About this output' })
  await expect(facts).toContainText('Due 2020-01-31')
  await expect(facts).toContainText('Tags: #launch #q3')
})
