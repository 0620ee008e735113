import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { action, checklistItem, editor, sourceText } from './fixtures/screens.ts'
import { twoMemberTest } from './fixtures/two-members.ts'

/**
 * Approvals that mean something, two members through a real relay: Bea approves while offline and
 * Ada, offline too and not knowing, fixes a typo. Once both are back the approval still counts
 * (no silent voiding): both see the change flagged as unapproved, who made it, and the two ways
 * out. Restoring the approved version discards it; "Start a new version" keeps it and voids.
 */

const TITLE = 'Launch note'
const CONTENT = 'We launch on Monday. The price is 29 EUR.'
const syncStatus = (page: Page) => page.getByRole('status', { name: 'Sync status' })
const locked = (page: Page) => page.getByRole('region', { name: 'Locked' })

twoMemberTest(
  'an offline edit to approved content is flagged, not a silent void; restore or start a new version',
  { roles: ['Reviewer', 'Approver'], output: { title: TITLE, content: CONTENT }, words: '29 EUR' },
  async ({ ada, bea }) => {
    // Two members on one computer: the host holds a replica for each, and each header says the
    // changes are saved (or, while the host has no replica yet, kept on the relay), never a
    // "Not saved" that does not clear.
    for (const page of [ada, bea])
      await expect(page.getByRole('status', { name: 'Saved state' })).toHaveText(/Kept on the relay|Saved/, {
        timeout: 20_000,
      })

    for (const page of [ada, bea]) {
      await page.getByRole('checkbox', { name: 'Work offline' }).check()
      await expect(syncStatus(page)).toContainText('Offline')
    }
    // Bea approves offline.
    const item = checklistItem(bea, 'Matches the source')
    await item.getByRole('radio', { name: 'Pass' }).check()
    await item.getByRole('button', { name: 'Save judgement on Matches the source' }).click()
    await action(bea, 'Approve').click()
    await expect(bea.getByText('Approved', { exact: true })).toBeVisible()
    // Ada, who has not seen the approval, fixes the price (her editor is not locked).
    await editor(ada).click()
    await ada.keyboard.press('Control+End')
    await ada.keyboard.type(' Per month.')
    await expect(editor(ada)).toContainText('29 EUR. Per month.')
    // Let the edit settle into the trail before going back online.
    await ada.getByRole('button', { name: 'History', exact: true }).click()
    await ada.keyboard.press('Escape')

    for (const page of [ada, bea]) await page.getByRole('checkbox', { name: 'Work offline' }).uncheck()
    for (const page of [ada, bea]) {
      await expect(locked(page)).toContainText('changed after approval without “Start a new version”', {
        timeout: 20_000,
      })
      await expect(locked(page)).toContainText('(by Ada Author)')
      // Still approved: the approval was not silently voided by the merge.
      await expect(page.getByText('Approved', { exact: true })).toBeVisible()
      await expect(page.getByText('Approved, stale', { exact: true })).toHaveCount(0)
      await expect(editor(page)).toContainText('29 EUR. Per month.')
    }
    await bea.screenshot({ path: test.info().outputPath('locks-unapproved-change.png'), fullPage: true })

    // The locked editor refuses typing.
    await editor(ada).click()
    await ada.keyboard.type('X')
    expect(await sourceText(ada)).not.toContain('X')

    // Ada goes back to the approved bytes: the change is gone everywhere, the approval holds.
    await locked(ada).getByRole('button', { name: 'Restore the approved version' }).click()
    for (const page of [ada, bea]) {
      await expect(editor(page)).not.toContainText('Per month.', { timeout: 20_000 })
      await expect(locked(page)).not.toContainText('changed after approval')
    }

    // Now on purpose: "Start a new version" records who voided what, and then the edit counts.
    await locked(ada).getByRole('button', { name: 'Start a new version' }).click()
    const dialog = ada.getByRole('dialog', { name: 'Start a new version?' })
    await expect(dialog).toContainText('the approval of Bea Reviewer will no longer count')
    await dialog.getByRole('button', { name: 'Start a new version and edit' }).click()
    await expect(locked(ada)).toHaveCount(0)
    await editor(ada).click()
    await ada.keyboard.press('Control+End')
    await ada.keyboard.type(' Per month.')
    for (const page of [ada, bea])
      await expect(page.getByText('Approved, stale', { exact: true })).toBeVisible({ timeout: 20_000 })
  },
)
