import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { firstRun, newOutput } from './fixtures/screens.ts'

/**
 * A title with a right-to-left override (U+202E) cannot reverse the text around it in the trace
 * views either: History's timeline and Activity show it without the control character.
 */

const RLO = '\u202e'
const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()

test('History and Activity show member-written titles without bidi controls', async ({ openApp }) => {
  const page = await openApp()
  await firstRun(page)
  await newOutput(page, { title: `Invoice ${RLO}fdp.exe`, content: 'Decisions: ship on Friday.' })
  await page.getByRole('button', { name: 'Invoice fdp.exe', exact: true }).click()
  await page.getByRole('button', { name: 'History', exact: true }).click()
  const timeline = page.getByRole('list', { name: 'Timeline' })
  await expect(timeline).toContainText('created “Invoice fdp.exe”')
  expect(await timeline.textContent()).not.toContain(RLO)
  await page.getByRole('button', { name: 'Close', exact: true }).click()
  await page.getByRole('button', { name: '← Back to board' }).click()
  await nav(page, 'Activity')
  const activity = page.getByRole('list', { name: 'Recent activity' })
  await expect(activity).toContainText('created “Invoice fdp.exe”')
  expect(await activity.textContent()).not.toContain(RLO)
})
