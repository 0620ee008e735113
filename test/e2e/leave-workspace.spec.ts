import { expect, test } from './fixtures/app.ts'
import { firstRun, joinWorkspace, newOutput } from './fixtures/screens.ts'
import { joinedTest } from './fixtures/two-members.ts'

/**
 * Leaving a workspace on this device, from Settings → Sync & hosting, by keyboard. A workspace on
 * no relay asks for its name (this device holds its only copy); a teammate whose relay has every
 * change leaves with one confirmation, the app goes on to first run, the team keeps the work, and
 * the same invite brings it back.
 */

/** The header's workspace switcher (the first-run form also has a "Workspace name"). */
const switcher = (page: import('@playwright/test').Page) =>
  page.getByRole('combobox', { name: 'Workspace', exact: true })

const syncTab = async (page: import('@playwright/test').Page) => {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByRole('tab', { name: 'Sync & hosting' }).click()
  return page.getByRole('region', { name: 'Leave this workspace' })
}

test('a workspace on no relay is left only when its name is typed; the app goes on with the other one', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page, { workspace: 'Solo notes' })
  // A second workspace, so leaving the first has somewhere to go.
  await switcher(page).selectOption({ label: 'New or join workspace…' })
  await page.getByLabel('Workspace name').fill('Acme')
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible()
  await expect(page.locator('#workspace-switcher option:checked')).toHaveText('Acme')
  await switcher(page).selectOption({ label: 'Solo notes' })
  await newOutput(page, { title: 'Only copy', content: 'Kept here alone.' })

  const leave = await syncTab(page)
  await leave.getByRole('button', { name: 'Leave “Solo notes”…' }).click()
  await expect(leave.getByRole('alert').first()).toContainText('this device holds its only copy')
  const typed = leave.getByLabel('Type “Solo notes” to leave anyway')
  await expect(typed).toBeFocused()
  // A wrong name is refused in words, and nothing is left.
  await page.keyboard.type('Solo')
  await page.keyboard.press('Enter')
  await expect(leave.getByRole('alert').filter({ hasText: 'That is not the workspace’s name' })).toBeVisible()
  await expect(typed).toHaveAttribute('aria-invalid', 'true')
  await expect(switcher(page).getByRole('option', { name: 'Solo notes' })).toBeAttached()
  // Stay puts the focus back on the button that asked.
  await leave.getByRole('button', { name: 'Stay' }).click()
  await expect(leave.getByRole('button', { name: 'Leave “Solo notes”…' })).toBeFocused()
  await page.keyboard.press('Enter')
  await page.keyboard.type('Solo notes')
  await page.keyboard.press('Enter')

  await expect(page.getByText('You left “Solo notes” on this device.')).toBeVisible()
  await expect(switcher(page).getByRole('option', { name: 'Solo notes' })).toHaveCount(0)
  await expect(page.locator('#workspace-switcher option:checked')).toHaveText('Acme')
  // It stays gone after a reload.
  await page.reload()
  await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible()
  await expect(switcher(page).getByRole('option', { name: 'Solo notes' })).toHaveCount(0)
  await page.screenshot({ path: test.info().outputPath('left-solo.png'), fullPage: true })
})

joinedTest(
  'a teammate whose relay has every change leaves with one confirmation and can join again',
  ['Reviewer'],
  async ({ ada, bea, beaToken, relayUrl }) => {
    await newOutput(ada, { title: 'Team plan', content: 'Written by Ada.' })
    await expect(bea.getByRole('button', { name: 'Team plan', exact: true })).toBeVisible({ timeout: 20_000 })

    const leave = await syncTab(bea)
    await leave.getByRole('button', { name: 'Leave “Acme”…' }).click()
    await expect(leave).toContainText('The team keeps “Acme” on the relay and on their devices')
    await expect(leave.getByRole('textbox')).toHaveCount(0)
    const confirm = leave.getByRole('button', { name: 'Leave “Acme”', exact: true })
    await expect(confirm).toBeFocused()
    await bea.keyboard.press('Enter')
    // Her only workspace: the app goes on to first run, where she can join again.
    await expect(bea.getByLabel('Relay address')).toBeVisible()
    await expect(ada.getByRole('button', { name: 'Team plan', exact: true })).toBeVisible()
    await joinWorkspace(bea, relayUrl, beaToken)
    await expect(bea.getByRole('button', { name: 'Team plan', exact: true })).toBeVisible({ timeout: 20_000 })
  },
)
