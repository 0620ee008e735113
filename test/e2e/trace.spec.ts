import { readFile } from 'node:fs/promises'
import { contentHash } from '../../shared/domain/hash.ts'
import { expect, test } from './fixtures/app.ts'
import {
  approve,
  destination,
  firstRun,
  firstRunWithSharedDrive,
  nav,
  newOutput,
  startNewVersion,
} from './fixtures/screens.ts'
import { soloTest } from './fixtures/solo.ts'

/**
 * The version trace through the screens: one person creates, approves and publishes an output to
 * a folder, edits it, opens its History, compares the approved version with the editor (the new
 * word marked as added), restores the approved version (back to Published: the bytes match), sees
 * the restore in the timeline, then finds the publish under Shipped and exports it as CSV.
 */

test('history: compare approved vs now, restore the approved version; Shipped lists and exports the publish', async ({
  openApp,
  folder,
}) => {
  test.setTimeout(90_000)
  const page = await openApp()
  await firstRunWithSharedDrive(page, folder)
  const content = '# Weekly team notes\n\nDecisions: ship on Friday.'
  const hash = contentHash(content)
  const short = hash.slice(0, 8)

  // Approve, then publish by dragging the card onto the folder destination.
  await newOutput(page, { title: 'Weekly team notes', content })
  await approve(page, 'Weekly team notes')
  const card = page.locator('article.card', { hasText: 'Weekly team notes' })
  await card.dragTo(destination(page, 'Shared drive'))
  await expect(card.getByTestId('card-publish')).toContainText('Published to Shared drive')

  // Edit after publishing: the approval is stale.
  await page.getByRole('button', { name: 'Weekly team notes', exact: true }).click()
  await startNewVersion(page)
  await page.getByRole('textbox', { name: /^Content of / }).click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(' Retro on Monday.')
  await expect(page.getByText('Approved, stale', { exact: true })).toBeVisible()

  // History: the timeline names the approval and the publish with its receipt. Escape closes the
  // dialog only; the output stays open.
  await page.getByRole('button', { name: 'History', exact: true }).click()
  const history = page.getByRole('dialog', { name: 'History of “Weekly team notes”' })
  await expect(history).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(history).toBeHidden()
  await expect(page.getByRole('textbox', { name: 'Title', exact: true })).toHaveValue('Weekly team notes')
  await page.getByRole('button', { name: 'History', exact: true }).click()
  const timeline = history.getByRole('list', { name: 'Timeline' })
  await expect(timeline).toContainText(`Ada Lovelace approved version ${short}`)
  await expect(timeline).toContainText(`Ada Lovelace published version ${short} to Shared drive (receipt:`)
  await expect(timeline).toContainText('Ada Lovelace passed “Matches the source”')

  // Approved vs shipped: the same bytes. Approved vs now: the new words marked as added.
  await history.getByRole('button', { name: 'Approved vs shipped' }).click()
  await expect(history.getByRole('status')).toContainText('Identical')
  await history.getByRole('button', { name: 'Approved vs now' }).click()
  await expect(history.getByRole('status')).toContainText('Different: 0 words removed, 4 added')
  const after = history.getByRole('region', { name: /^After: now/ })
  await expect(after.locator('ins', { hasText: 'Monday' })).toBeVisible()
  await expect(after.locator('ins')).toContainText('[added:')
  await page.screenshot({ path: 'test-results/trace-compare.png' })

  // Restore the approved version: a new edit, and the output is Published again (same bytes).
  await history.getByRole('button', { name: 'Back to the timeline' }).click()
  await history
    .getByRole('button', { name: `View version ${short}` })
    .first()
    .click()
  await expect(history.getByRole('region', { name: `Version ${short}` })).toContainText('ship on Friday.')
  await history.getByRole('button', { name: 'Restore this version…' }).click()
  await history.getByRole('button', { name: `Yes, restore version ${short}` }).click()
  await expect(timeline).toContainText(`Ada Lovelace restored version ${short}`)
  await expect(timeline.getByRole('listitem').first()).toContainText(`restored version ${short}`)
  // The edit before the restore is in the trail too: history is never rewritten.
  await expect(timeline).toContainText('Ada Lovelace edited it to version')
  await history.getByRole('button', { name: 'Close', exact: true }).click()
  await expect(page.getByText('Published', { exact: true })).toBeVisible()
  await expect(page.getByRole('textbox', { name: /^Content of / })).not.toContainText('Monday')

  // Shipped: the publish with its hash, approver and destination; the CSV names the hash.
  await page.getByRole('button', { name: '← Back to board' }).click()
  await nav(page, 'Shipped')
  const table = page.getByRole('table', { name: 'Publishes' })
  const row = table.getByRole('row').filter({ hasText: 'Weekly team notes' })
  await expect(row).toContainText(short)
  await expect(row).toContainText('Ada Lovelace')
  await expect(row).toContainText('Shared drive')
  // The type's second item was left open: the row says so instead of counting verdicts only.
  await expect(row).toContainText('1 passed, 0 failed, 0 n/a; 1 not judged')
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ])
  const text = await readFile((await csv.path())!, 'utf8')
  expect(text.split('\r\n')[0]).toContain('Version hash')
  expect(text).toContain(hash)
  const [receipt] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Approval receipt for Weekly team notes' }).click(),
  ])
  const json = JSON.parse(await readFile((await receipt.path())!, 'utf8')) as {
    versionHash: string
    content: string
  }
  expect(json.versionHash).toBe(hash)
  expect(contentHash(json.content)).toBe(hash)
  await page.getByRole('button', { name: 'Printable receipt for Weekly team notes' }).click()
  const printable = page.getByRole('article', { name: 'Printable approval receipt' })
  await expect(printable).toContainText(hash)
  // For a person on paper: the open item is listed, and the folder's receipt is one field a line.
  await expect(printable).toContainText(/: not judged/)
  await expect(printable).toContainText(`Content sha256: ${json.versionHash} (the version above)`)
  await expect(printable).toContainText(/File sha256: [0-9a-f]{64}/)
  await expect(printable).not.toContainText('{"kind"')
  // It takes the focus as it opens below the table, and Close gives it back to the row's button.
  await expect(printable).toBeFocused()
  await printable.getByRole('button', { name: 'Close' }).press('Enter')
  await expect(page.getByRole('button', { name: 'Printable receipt for Weekly team notes' })).toBeFocused()

  // Dates the wrong way round are said to be, not shown as an empty period.
  await page.getByLabel('From', { exact: true }).fill('2026-12-05')
  await page.getByLabel('To', { exact: true }).fill('2026-12-01')
  await expect(page.getByRole('status').filter({ hasText: '“From” is after “To”' })).toBeVisible()
  await page.getByLabel('From', { exact: true }).fill('')
  await expect(
    page.getByRole('status').filter({ hasText: 'Nothing was published in this period.' }),
  ).toBeVisible()
  await page.getByLabel('To', { exact: true }).fill('')
  await expect(row).toBeVisible()

  // Activity: who did what, across the workspace.
  await nav(page, 'Activity')
  const activity = page.getByRole('list', { name: 'Recent activity' })
  await expect(activity).toContainText(`Ada Lovelace restored version ${short}`)
  await expect(activity).toContainText('Ada Lovelace published version')
})

test('Activity reads the ten most recently changed outputs, shows earlier ones on request, and keeps a long title to its button', async ({
  openApp,
}) => {
  const page = await openApp()
  await page.setViewportSize({ width: 1024, height: 700 })
  await firstRun(page)
  const long = 'Pricing update for enterprise customers in the EMEA region, first quarter'
  await newOutput(page, { title: long })
  for (let i = 1; i <= 11; i++) await newOutput(page, { title: `Note ${i}` })

  await nav(page, 'Activity')
  const activity = page.getByRole('list', { name: 'Recent activity' })
  await expect(page.getByText('across the 10 most recently changed of 12 outputs')).toBeVisible()
  await expect(activity).toContainText('Ada Lovelace created “Note 11”')
  await expect(activity).not.toContainText(`created “${long}”`)
  await expect(activity).not.toContainText('created “Note 1”')

  // By keyboard: the button that reads further is reachable and says what it did.
  const more = page.getByRole('button', { name: 'Show earlier activity' })
  await more.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByText('across all 12 outputs.')).toBeVisible()
  await expect(activity).toContainText(`created “${long}”`)
  await expect(activity).toContainText('created “Note 1”')
  await expect(more).toBeHidden()

  // The long title's button is cut to a third of the row at most; its name is the whole title.
  const row = activity.getByRole('listitem').filter({ hasText: `created “${long}”` })
  const link = row.getByRole('button', { name: long, exact: true })
  const [rowBox, linkBox] = [(await row.boundingBox())!, (await link.boundingBox())!]
  expect(linkBox.width).toBeLessThanOrEqual(rowBox.width / 3 + 1)
  await expect(link).toHaveAttribute('title', long)
  await page.screenshot({ path: 'test-results/activity-more.png' })
  await link.click()
  await expect(page.getByRole('textbox', { name: 'Title', exact: true })).toHaveValue(long)

  // After a restart no output is open yet: Activity opens the ten it reads and shows them (it
  // used to close the first ones while opening the last, and open them again, without end).
  await page.reload()
  await nav(page, 'Activity')
  await expect(activity).toContainText('created “Note 11”')
  await expect(activity).toContainText('created “Note 2”')
  await page.getByRole('button', { name: 'Show earlier activity' }).click()
  await expect(activity).toContainText(`created “${long}”`)
})

soloTest(
  'History opens with the edit just typed, not 3 s later when typing settles',
  { title: 'Release notes', typeId: 'internal-summary', content: '# 2.4\n\n- Faster sync.' },
  async (page) => {
    await page.getByRole('button', { name: 'Submit for review', exact: true }).click()
    await expect(page.getByText('In review', { exact: true })).toBeVisible()
    await page.getByRole('textbox', { name: /^Content of / }).click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' Dark mode.')
    // By keyboard: a click would wait for the notice over the button to fade, seconds later.
    await page.getByRole('button', { name: 'History', exact: true }).focus()
    await page.keyboard.press('Enter')
    const timeline = page.getByRole('dialog', { name: 'History of “Release notes”' }).getByRole('list', {
      name: 'Timeline',
    })
    // Opening it notes the edit; waiting for the 3 s pause would take longer than this timeout.
    const edited = contentHash('# 2.4\n\n- Faster sync. Dark mode.').slice(0, 8)
    await expect(timeline).toContainText(`Ada Lovelace edited it to version ${edited}`, { timeout: 2_000 })
  },
)
