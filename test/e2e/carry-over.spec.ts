import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { type ApprovalReceipt, verifyReceipt } from '../../shared/trace/receipt.ts'
import { expect, test } from './fixtures/app.ts'
import {
  action,
  adaWithBea,
  addFolderDestination,
  beaOpens,
  checklistItem,
  destination,
  nav,
  newOutput,
  openSettings,
  resubmitAndReopen,
  setUpFolder,
} from './fixtures/screens.ts'

/**
 * Verdicts that carry over, two members through a real relay: Ada (admin) sets Internal summary
 * to carry passes on unchanged checklist items into the next round, and the version history says
 * so; Bea passes one item, fails the other and sends the output back; Ada fixes and resubmits;
 * round two shows Bea's pass as "Carried over from round 1", the failed item judged again, and
 * Bea approves with the carried verdict standing. Ada publishes it: the approval receipt lists
 * the carried pass, marked as carried with its round-one judgement, and an outsider's check of
 * the downloaded JSON passes; What shipped and the printable receipt say it carried over.
 */

const TITLE = 'Weekly notes'
const CARRY = 'Verdicts that carry over when an output comes back for another round'

async function judge(page: Page, item: string, verdict: 'Pass' | 'Fail', note = '') {
  const row = checklistItem(page, item)
  await row.getByRole('radio', { name: verdict }).check()
  if (note) await row.getByRole('textbox', { name: `Note on ${item}` }).fill(note)
  await row.getByRole('button', { name: `Save judgement on ${item}` }).click()
  await expect(row).toContainText(`${verdict} by Bea Reviewer`)
}

test('a pass on an unchanged item carries into round two, is marked, and the output can be approved with it', async ({
  relay,
  openApp,
  newMember,
  folder,
}) => {
  test.setTimeout(180_000)
  const { ada, token, beaId } = await adaWithBea(openApp, relay, ['Reviewer'])
  await addFolderDestination(ada, 'Shared drive')
  await setUpFolder(ada, 'Shared drive', folder)

  // The rule is the type's: Settings → Output types, by its label, and a new version of the rules.
  await openSettings(ada)
  await ada.getByRole('tab', { name: 'Output types' }).click()
  await ada
    .getByRole('tabpanel', { name: 'Output types' })
    .getByRole('button', { name: /^Internal summary/ })
    .click()
  const form = ada.getByRole('form', { name: 'Edit “Internal summary”' })
  const carry = form.getByLabel(CARRY)
  await expect(carry).toHaveValue('never')
  await carry.focus()
  await expect(carry).toBeFocused()
  await carry.selectOption({ label: 'Passed items whose wording did not change' })
  await form.getByRole('button', { name: 'Save type' }).click()
  await expect(ada.getByRole('status').filter({ hasText: 'Saved “Internal summary”.' })).toBeVisible()
  await carry.screenshot({ path: 'test-results/carry-over-setting.png' })
  await expect(ada.getByRole('region', { name: 'Version history of the rules' })).toContainText(
    'Verdicts carried into the next round: none → passes on unchanged items.',
  )
  await ada.getByRole('button', { name: 'Board', exact: true }).click()

  await newOutput(ada, { title: TITLE, content: 'Decisions: ship on Friday.', open: true })
  await action(ada, 'Submit for review').click()
  await expect(ada.getByText('Submitted for review.')).toBeVisible()

  // Round one: Bea passes the send-back item, fails the warning one, and sends it back.
  const bea = await beaOpens(newMember, relay.url, token(beaId), TITLE, 'ship on Friday')
  await judge(bea, 'Matches the source', 'Pass')
  await judge(bea, 'Actions are clear', 'Fail', 'No owner named')
  await bea.getByLabel('What needs to change (one reason per line)').fill('Name an owner')
  await action(bea, 'Request changes').click()
  await expect(bea.getByRole('status').filter({ hasText: 'Sent back' })).toBeVisible()

  // Ada fixes it and resubmits; Bea opens it again.
  // Round two: the pass carried over and says so; the failed item is to judge again.
  const since = await resubmitAndReopen(ada, bea, TITLE, 'Name an owner')
  await expect(since).toContainText('the verdict on “Matches the source” carried into round 2')
  const matches = checklistItem(bea, 'Matches the source')
  await expect(matches).toContainText('Carried over from round 1')
  await expect(matches).toContainText('Pass by Bea Reviewer')
  await expect(matches.getByRole('radio', { name: 'Pass' })).toBeChecked()
  const actions = checklistItem(bea, 'Actions are clear')
  await expect(actions).toContainText('Round 1: failed — No owner named')
  await expect(actions).toContainText('Not carried over: it failed.')
  await expect(actions).toContainText('Not judged on this version yet.')
  await expect(bea.locator('.ov-progress')).toHaveText('1 of 2 judged')
  await bea.screenshot({ path: 'test-results/carry-over.png', fullPage: true })

  // The carried pass stands for the approval gate: Bea approves without judging it again.
  await expect(action(bea, 'Approve')).not.toHaveAttribute('aria-disabled', 'true')
  await action(bea, 'Approve').click()
  await expect(bea.getByText('Approved.', { exact: true })).toBeVisible()
  // And Ada's app derives the same through the relay.
  await expect(ada.locator('.ov-badge')).toHaveText('Approved', { timeout: 15_000 })

  // The approval receipt lists the carried pass as carried, and an outsider's check passes.
  await ada.getByRole('button', { name: 'History', exact: true }).click()
  const history = ada.getByRole('dialog', { name: `History of “${TITLE}”` })
  const [download] = await Promise.all([
    ada.waitForEvent('download'),
    history.getByRole('button', { name: 'Approval receipt (JSON)' }).click(),
  ])
  const receipt = JSON.parse(await readFile((await download.path())!, 'utf8')) as ApprovalReceipt
  expect(receipt.format).toBe('signoff-approval-receipt/3')
  expect(receipt.checklist).toEqual([
    expect.objectContaining({
      item: 'Matches the source',
      verdict: 'pass',
      who: 'Bea Reviewer',
      carried: expect.objectContaining({ round: 1, rule: 'passed' }),
      event: expect.objectContaining({ kind: 'judged', actor: beaId }),
    }),
  ])
  // Judged on round one's version, not the approved one.
  expect(receipt.checklist[0]!.contentHash).not.toBe(receipt.versionHash)
  expect(receipt.earlierRounds?.map((r) => r.round)).toEqual([1])
  expect(verifyReceipt(receipt)).toEqual({ ok: true, problems: [] })
  await history.getByRole('button', { name: 'Close', exact: true }).click()

  // Ada publishes it; What shipped counts the carried pass, and the printable receipt marks it.
  await ada.getByRole('button', { name: '← Back to board' }).click()
  const card = ada.locator('article.card', { hasText: TITLE })
  await card.dragTo(destination(ada, 'Shared drive'))
  await expect(card.getByTestId('card-publish')).toContainText('Published to Shared drive')
  // The published file's front matter marks the pass as carried, with the version it was judged on.
  const [file] = await readdir(folder)
  const published = await readFile(join(folder, file!), 'utf8')
  expect(published).toContain('      carriedFromRound: "1"')
  expect(published).toContain(`      judgedOnHash: "${receipt.checklist[0]!.contentHash}"`)
  await nav(ada, 'Shipped')
  const row = ada.getByRole('table', { name: 'Publishes' }).getByRole('row').filter({ hasText: TITLE })
  await expect(row).toContainText('1 passed, 0 failed, 0 n/a (1 carried over)')
  await ada.getByRole('button', { name: `Printable receipt for ${TITLE}` }).click()
  const printable = ada.getByRole('article', { name: 'Printable approval receipt' })
  const carried = printable.getByRole('listitem').filter({ hasText: 'Matches the source: pass' })
  await expect(carried).toContainText('by Bea Reviewer')
  await expect(carried).toContainText(
    `Carried over from round 1 (judged on version ${receipt.checklist[0]!.contentHash.slice(0, 8)}; the rules carry passes on unchanged items)`,
  )
  await expect(printable).toContainText(`Round 1: ${receipt.earlierRounds![0]!.version.slice(0, 8)}`)
  await printable.screenshot({ path: 'test-results/carry-over-receipt.png' })
})
