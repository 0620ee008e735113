import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import {
  adaWithBea,
  addMember,
  beaOpens,
  connectRelay,
  firstRun,
  firstWorkspace,
  holdFirstAnswer,
  joinWorkspace,
  newOutput,
  profile,
  startNewVersion,
} from './fixtures/screens.ts'

/**
 * The whole review flow between people in separate browsers, synced through a real relay on
 * port 0: author Ada, approvers Bea and Cy. Pricing updates are critical: two approvals from
 * approvers, never the author's own.
 */

const ITEMS = [
  'Numbers match the price book',
  'Dates and grandfathering',
  'Terms and legal',
  'Consistent everywhere',
  'No AI leftovers',
]
const TITLE = 'Pricing update'

test.setTimeout(180_000)

const editor = (page: Page) => page.getByRole('textbox', { name: /^Content of / })
const item = (page: Page, title: string) => page.getByRole('group', { name: title })
const action = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const card = (page: Page, column: string) =>
  page.getByRole('region', { name: column, exact: true }).locator('article', { hasText: TITLE })

async function openCard(page: Page) {
  await page.getByRole('button', { name: TITLE, exact: true }).click()
  await expect(editor(page)).toBeVisible()
}

async function backToBoard(page: Page) {
  await page.getByRole('button', { name: 'Board', exact: true }).click()
  await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible()
}

async function judge(page: Page, title: string, verdict: 'Pass' | 'Fail', note = '') {
  const row = item(page, title)
  await row.getByRole('radio', { name: verdict }).check()
  if (note) await row.getByRole('textbox', { name: `Note on ${title}` }).fill(note)
  await row.getByRole('button', { name: `Save judgement on ${title}` }).click()
  await expect(row).toContainText(`${verdict} by`)
}

async function type(page: Page, text: string) {
  await editor(page).click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(text)
  await expect(editor(page)).toContainText(text)
}

test('author and reviewers through a real relay: send back, resubmit, refuse self-approval, approve, offline edits merge, reload keeps all, edit after approval is stale', async ({
  relay,
  openApp,
  newMember,
}) => {
  // Ada creates the workspace from the starter template and adds her two approvers.
  const ada = await openApp()
  await profile(ada, 'Ada Author')
  await ada.getByLabel('Workspace name').fill('Acme')
  await ada.getByRole('button', { name: 'Create workspace' }).click()
  const beaId = await addMember(ada, 'Bea Reviewer', ['Reviewer', 'Approver'])
  const cyId = await addMember(ada, 'Cy Approver', ['Reviewer', 'Approver'])
  const { workspaceId, memberId: adaId } = await firstWorkspace(ada)
  const token = (memberId: string) => relay.createToken({ workspaceId, memberId, access: 'write' }).token

  // She connects the workspace to the relay in Settings → Sync & hosting.
  await connectRelay(ada, relay.url, token(adaId))

  // A wrong token is refused with a clear message, and nothing is joined.
  const bea = await newMember()
  await profile(bea, 'Bea Reviewer')
  await bea.getByLabel('Relay address').fill(relay.url)
  await bea.getByLabel('Invite token').fill('not-a-token')
  await bea.getByRole('button', { name: 'Join workspace' }).click()
  await expect(bea.getByRole('alert')).toContainText('refused this invite token')
  await joinWorkspace(bea, relay.url, token(beaId))

  // Ada writes the pricing update and submits it from the board's Move menu.
  await backToBoard(ada)
  await ada.getByRole('button', { name: 'New output', exact: true }).click()
  const dialog = ada.getByRole('dialog', { name: 'New output' })
  await dialog.getByLabel('Title').fill(TITLE)
  await dialog.getByLabel('Type').selectOption('pricing-update')
  await dialog.getByLabel('Content', { exact: true }).fill('Pro goes from $10 to $12 per seat on 1 July.')
  await dialog.getByLabel('Model').fill('gpt-test')
  await dialog.getByRole('button', { name: 'Create draft' }).click()
  await expect(card(ada, 'Draft')).toContainText('Critical')
  await ada.getByRole('button', { name: `Move ${TITLE}…` }).click()
  await ada.getByRole('menuitem', { name: /Submit for review/ }).click()
  await expect(card(ada, 'In review')).toBeVisible()

  // Bea sees it in review, fails a send-back item and requests changes.
  await expect(card(bea, 'In review')).toBeVisible({ timeout: 20_000 })
  await openCard(bea)
  await expect(editor(bea)).toContainText('$12 per seat')
  await judge(bea, ITEMS[0]!, 'Fail', 'The price book says $11')
  await action(bea, 'Request changes').click()
  await backToBoard(bea)
  await expect(card(bea, 'Changes requested')).toBeVisible()

  // Ada sees the reason on her card, edits and resubmits.
  await expect(card(ada, 'Changes requested')).toContainText('The price book says $11', { timeout: 20_000 })
  await openCard(ada)
  await editor(ada).click()
  await ada.keyboard.press('Control+a')
  await ada.keyboard.type('Pro goes from $10 to $11 per seat on 1 July.')
  await expect(editor(ada)).toContainText('$11 per seat')
  await action(ada, 'Submit for review').click()
  await backToBoard(ada)
  await expect(card(ada, 'In review')).toBeVisible()

  // Bea passes every item on the new version and approves: 1 of 2.
  await expect(card(bea, 'In review')).toBeVisible({ timeout: 20_000 })
  await openCard(bea)
  await expect(editor(bea)).toContainText('$11 per seat', { timeout: 20_000 })
  for (const title of ITEMS) await judge(bea, title, 'Pass')
  await action(bea, 'Approve').click()
  await backToBoard(bea)
  await expect(card(bea, 'In review')).toContainText('1 of 2 approvals')

  // Ada may not approve her own: the Move menu says why, and a drag snaps back with the reason.
  await expect(card(ada, 'In review')).toContainText('1 of 2 approvals', { timeout: 20_000 })
  await ada.getByRole('button', { name: `Move ${TITLE}…` }).click()
  const approve = ada.getByRole('menuitem', { name: /Approve/ })
  await expect(approve).toHaveAttribute('aria-disabled', 'true')
  await expect(ada.getByRole('dialog')).toContainText('the author cannot approve their own output')
  await ada.keyboard.press('Escape')
  await card(ada, 'In review').dragTo(ada.locator('[data-column="approved"] .column-scroll'))
  await expect(card(ada, 'In review')).toContainText('Not moved:')
  await expect(card(ada, 'In review')).toContainText('the author cannot approve their own output')
  await expect(ada.getByLabel('Notices')).toContainText('the author cannot approve their own output')

  // Cy joins and drags the card to Approved: a critical output is approved only by someone who
  // has read it, so the drag opens it; Cy approves there. Both boards show it approved.
  const cy = await newMember()
  await profile(cy, 'Cy Approver')
  await joinWorkspace(cy, relay.url, token(cyId))
  await expect(card(cy, 'In review')).toBeVisible({ timeout: 20_000 })
  await card(cy, 'In review').dragTo(cy.locator('[data-column="approved"] .column-scroll'))
  await expect(editor(cy)).toBeVisible()
  await action(cy, 'Approve').click()
  await expect(cy.getByText('Approved.', { exact: true })).toBeVisible()
  await backToBoard(cy)
  await expect(card(cy, 'Approved')).toContainText('2 of 2 approvals')
  await expect(card(ada, 'Approved')).toBeVisible({ timeout: 20_000 })
  await expect(card(bea, 'Approved')).toBeVisible({ timeout: 20_000 })

  // Both go offline and edit; the edits merge when they come back.
  for (const page of [ada, bea]) {
    await page.getByRole('checkbox', { name: 'Work offline' }).check()
    await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Offline')
  }
  // Approved content is locked: each starts a new version to edit it.
  await openCard(ada)
  await startNewVersion(ada)
  await type(ada, ' Ada offline.')
  await openCard(bea)
  await startNewVersion(bea)
  await type(bea, ' Bea offline.')
  for (const page of [ada, bea]) {
    await backToBoard(page)
    await page.getByRole('checkbox', { name: 'Work offline' }).uncheck()
    await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', {
      timeout: 20_000,
    })
  }
  for (const page of [ada, bea]) {
    await openCard(page)
    await expect(editor(page)).toContainText('Ada offline.', { timeout: 20_000 })
    await expect(editor(page)).toContainText('Bea offline.', { timeout: 20_000 })
    await backToBoard(page)
  }

  // The edit after approval makes the approval stale, on every board.
  await expect(card(ada, 'Approved')).toContainText('Approved, stale', { timeout: 20_000 })
  await expect(card(cy, 'Approved')).toContainText('Approved, stale', { timeout: 20_000 })

  // A reload keeps everything (IndexedDB), even before the relay answers.
  await ada.reload()
  await expect(card(ada, 'Approved')).toContainText('Approved, stale')
  await openCard(ada)
  await expect(editor(ada)).toContainText('Bea offline.')
})

test('a double-click on Approve approves once and says so; too many reasons are refused in words', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page)
  await newOutput(page, { title: 'Team notes', content: 'Decisions: ship on Friday.', open: true })
  await action(page, 'Submit for review').click()
  // One reason per line, and more lines than a send-back takes: said, nothing sent.
  const reasons = page.getByLabel('What needs to change (one reason per line)')
  await reasons.fill(Array.from({ length: 51 }, (_, i) => `Reason ${i + 1}`).join('\n'))
  await action(page, 'Request changes').click()
  await expect(page.getByRole('alert')).toHaveText('There are 51 reasons: at most 50 fit. Put some together.')
  await expect(reasons).toHaveValue(/Reason 51$/)
  const check = item(page, 'Matches the source')
  await check.getByRole('radio', { name: 'Pass' }).check()
  await check.getByRole('button', { name: 'Save judgement on Matches the source' }).click()
  // The host's answer to the first click is held until the second is in, so the second lands
  // while the approval is being recorded, however fast this machine is.
  const hold = await holdFirstAnswer(page, 'approveOutput')
  await action(page, 'Approve').dblclick()
  await hold.release()
  await expect(page.getByText('Approved', { exact: true })).toBeVisible()
  // A second approval would be asked as soon as the first is answered: give it the time to show.
  await page.waitForTimeout(500)
  expect(hold.asked()).toBe(1)
  await hold.stop()
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: /approved/i })
      .first(),
  ).toBeVisible()
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('one approval of two, then the author edits: she is warned first, and the approver is told the approval no longer counts', async ({
  relay,
  openApp,
  newMember,
}) => {
  const { ada, token, beaId } = await adaWithBea(openApp, relay, ['Reviewer', 'Approver'])
  await newOutput(ada, {
    title: TITLE,
    typeId: 'pricing-update',
    content: 'The Pro plan costs $12 per seat from 1 May.',
    open: true,
  })
  await action(ada, 'Submit for review').click()
  // Two approvals, and only Bea may give one: both are told, with what would unblock it.
  const stuck =
    'It cannot be approved yet: it needs 2 approvals from an approver or admin, and only Bea Reviewer may give one (the author may not approve a Pricing update). An admin can give another member the role in Settings → Members.'
  await expect(ada.getByRole('note').filter({ hasText: 'It cannot be approved yet' })).toHaveText(stuck, {
    timeout: 20_000,
  })
  const bea = await beaOpens(newMember, relay.url, token(beaId), TITLE, '$12 per seat')
  await expect(bea.getByRole('note').filter({ hasText: 'It cannot be approved yet' })).toHaveText(stuck)
  for (const title of ITEMS) await judge(bea, title, 'Pass')
  await action(bea, 'Approve').click()
  const said = bea.getByRole('status').filter({ hasText: /^Your approval/ })
  await expect(said).toHaveText('Your approval is recorded: 1 of 2 approvals so far.')

  // Ada is told before she types that an edit now undoes Bea's approval.
  const voids = ada.getByRole('note').filter({ hasText: 'approved this version' })
  await expect(voids).toHaveText(
    'Bea Reviewer approved this version (1 of 2). An edit now makes that approval stale: it must be given again on the new words.',
    { timeout: 20_000 },
  )
  // She adds a line while Bea still has the output open: Bea's approval was of the old words.
  await type(ada, ' Taxes extra.')
  await expect(voids).toHaveCount(0)
  await expect(editor(bea)).toContainText('Taxes extra.', { timeout: 20_000 })
  await expect(said).toHaveText(
    'Your approval no longer counts: the content changed after it. 0 of 2 approvals on this version.',
  )
  await expect(bea.getByText('Bea Reviewer approved an earlier version (stale, not counted)')).toBeVisible()
})
