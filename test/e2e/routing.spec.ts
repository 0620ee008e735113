import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { addMember, connectRelay, firstRun, firstWorkspace, newOutput, profile } from './fixtures/screens.ts'

/**
 * Routing between two people in separate browsers, synced through a relay on port 0: the admin
 * routes every blog article to Bea, submits one, and Bea finds it waiting for her.
 */

const TITLE = 'Launch post'

test.setTimeout(120_000)

const card = (page: Page, column: string) =>
  page.getByRole('region', { name: column, exact: true }).locator('article', { hasText: TITLE })

test('a type routed to a fixed reviewer: submitting assigns it, the card names the reviewer, and it waits for them', async ({
  relay,
  openApp,
  newMember,
}) => {
  const ada = await openApp()
  await firstRun(ada, { name: 'Ada Admin' })
  const beaId = await addMember(ada, 'Bea Reviewer', ['Reviewer'])
  await addMember(ada, 'Cy Approver', ['Approver'])
  const { workspaceId, memberId: adaId } = await firstWorkspace(ada)
  const token = (memberId: string) => relay.createToken({ workspaceId, memberId, access: 'write' }).token

  // Settings → Output types → Blog article → Routing: always Bea.
  await ada.getByRole('tab', { name: 'Output types' }).click()
  const types = ada.getByRole('tabpanel', { name: 'Output types' })
  await types.getByRole('button', { name: /Blog article/ }).click()
  const routing = ada.getByRole('group', { name: 'Routing' })
  await routing.getByLabel('Assign reviews').selectOption('fixed')
  await ada.getByRole('button', { name: 'Save type' }).click()
  await expect(routing.getByText('Choose who reviews every output of this type.')).toBeVisible()
  await routing.getByRole('combobox', { name: /^Reviewer/ }).selectOption(beaId)
  await expect(routing.getByRole('button', { name: 'Turn on desktop notifications' })).toBeVisible()
  await ada.getByRole('button', { name: 'Save type' }).click()
  await expect(ada.getByRole('status').filter({ hasText: 'Saved “Blog article”.' })).toBeVisible()

  // Ada connects the workspace to the relay; Bea joins with her invite.
  await connectRelay(ada, relay.url, token(adaId))
  const bea = await newMember()
  await profile(bea, 'Bea Reviewer')
  await bea.getByLabel('Relay address').fill(relay.url)
  await bea.getByLabel('Invite token').fill(token(beaId))
  await bea.getByRole('button', { name: 'Join workspace' }).click()
  await expect(bea.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 20_000 })

  // Ada writes a blog article and submits it: it is assigned to Bea at once.
  await ada.getByRole('button', { name: 'Board', exact: true }).click()
  await newOutput(ada, {
    title: TITLE,
    typeId: 'blog-article',
    content: 'We launch on Monday. Read all about it.',
  })
  await expect(card(ada, 'Draft')).toBeVisible()
  await ada.getByRole('button', { name: `Move ${TITLE}…` }).click()
  await ada.getByRole('menuitem', { name: /Submit for review/ }).click()
  await expect(card(ada, 'In review').getByTestId('card-reviewer')).toHaveText('Reviewer: Bea Reviewer')

  // On Bea's board it waits for her, with her name on it, and she is told in the app.
  await bea.getByRole('checkbox', { name: 'Waiting for me' }).check()
  await expect(card(bea, 'In review').getByTestId('card-reviewer')).toHaveText('Reviewer: Bea Reviewer', {
    timeout: 20_000,
  })
  await expect(bea.getByLabel('Notices')).toContainText(
    `Review assigned to you: “${TITLE}” is waiting for your review.`,
  )

  // Ada is the author: it is not waiting for her.
  await ada.getByRole('checkbox', { name: 'Waiting for me' }).check()
  await expect(card(ada, 'In review')).toHaveCount(0)
  await ada.getByRole('checkbox', { name: 'Waiting for me' }).uncheck()

  // Bea is away next week: she hands the review to Cy by hand, and everyone's card follows.
  await bea.getByRole('checkbox', { name: 'Waiting for me' }).uncheck()
  await bea.getByRole('button', { name: TITLE, exact: true }).click()
  const reviewer = bea.getByRole('region', { name: 'Reviewer' })
  await expect(reviewer).toContainText('Bea Reviewer reviews this round.')
  await expect(reviewer.getByLabel('Hand it to').locator('option')).toHaveText(['Cy Approver'])
  await reviewer.getByRole('button', { name: 'Reassign' }).click()
  await expect(bea.getByRole('status').filter({ hasText: 'Cy Approver now reviews it.' })).toBeVisible()
  await expect(reviewer).toContainText('Cy Approver reviews this round.')
  await bea.screenshot({ path: 'test-results/reassign.png' })
  await expect(card(ada, 'In review').getByTestId('card-reviewer')).toHaveText('Reviewer: Cy Approver', {
    timeout: 20_000,
  })
})

test('switching routing on assigns the outputs already waiting in review', async ({ openApp }) => {
  const ada = await openApp()
  await firstRun(ada, { name: 'Ada Admin' })
  const beaId = await addMember(ada, 'Bea Reviewer', ['Reviewer'])

  // A blog article submitted while blog articles are not routed: nobody is assigned.
  await ada.getByRole('button', { name: 'Board', exact: true }).click()
  await newOutput(ada, {
    title: TITLE,
    typeId: 'blog-article',
    content: 'We launch on Monday. Read all about it.',
  })
  await ada.getByRole('button', { name: `Move ${TITLE}…` }).click()
  await ada.getByRole('menuitem', { name: /Submit for review/ }).click()
  await expect(card(ada, 'In review')).toBeVisible()
  await expect(card(ada, 'In review').getByTestId('card-reviewer')).toHaveCount(0)

  // Now the admin routes blog articles to Bea: the waiting one is assigned to her.
  await ada.getByRole('button', { name: 'Settings', exact: true }).click()
  await ada.getByRole('tab', { name: 'Output types' }).click()
  await ada
    .getByRole('tabpanel', { name: 'Output types' })
    .getByRole('button', { name: /Blog article/ })
    .click()
  const routing = ada.getByRole('group', { name: 'Routing' })
  await routing.getByLabel('Assign reviews').selectOption('fixed')
  await ada.getByRole('button', { name: 'Save type' }).click()
  await routing.getByRole('combobox', { name: /^Reviewer/ }).selectOption(beaId)
  await ada.getByRole('button', { name: 'Save type' }).click()
  await expect(ada.getByRole('status').filter({ hasText: 'Saved “Blog article”.' })).toBeVisible()
  await ada.getByRole('button', { name: 'Board', exact: true }).click()
  await expect(card(ada, 'In review').getByTestId('card-reviewer')).toHaveText('Reviewer: Bea Reviewer')
})
