import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import {
  action,
  adaWithBea,
  beaOpens,
  checklistItem,
  newOutput,
  openSettings,
  resubmitAndReopen,
} from './fixtures/screens.ts'

/**
 * Verdicts that carry over, two members through a real relay: Ada (admin) sets Internal summary
 * to carry passes on unchanged checklist items into the next round, and the version history says
 * so; Bea passes one item, fails the other and sends the output back; Ada fixes and resubmits;
 * round two shows Bea's pass as "Carried over from round 1", the failed item judged again, and
 * Bea approves with the carried verdict standing.
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
}) => {
  test.setTimeout(150_000)
  const { ada, token, beaId } = await adaWithBea(openApp, relay, ['Reviewer'])

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
})
