import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { firstRun, newOutput } from './fixtures/screens.ts'
import { soloTest } from './fixtures/solo.ts'

/**
 * Automatic pre-checks through the screens: they show above the checklist, a detected price
 * escalates a blog article to a pricing update's approvals, and a low-risk type set to approve
 * automatically is approved on submit.
 */

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click()

soloTest(
  'automatic checks show above the checklist; a price escalates a blog article',
  {
    title: 'Pricing blog',
    typeId: 'blog-article',
    content: 'Our Pro plan costs €29 a month. TODO: link http://example.com',
  },
  async (page) => {
    const panel = page.getByRole('complementary', { name: 'Review' })
    const checks = panel.getByRole('region', { name: 'Automatic checks' })
    await expect(checks).toBeVisible()
    await expect(checks).toContainText('failed')
    await expect(
      checks.getByRole('listitem').filter({ hasText: 'No placeholders or AI leftovers' }),
    ).toContainText('Failed')
    await expect(
      checks.getByRole('list', { name: 'Matches for Links are well-formed and https' }),
    ).toContainText('http://example.com')
    await expect(checks.getByRole('note')).toHaveText(
      'Escalated. Mentions a price (€29): this needs the approvals of a Pricing update: 2 approvals from approver or admin.',
    )
    await expect(panel).toContainText('0 of 2 approvals')
    // The automatic checks come before the human checklist.
    const order = await panel.locator('h3').allTextContents()
    expect(order.indexOf('Automatic checks')).toBeLessThan(order.indexOf('Checklist'))

    // Take the price and the leftovers out: the escalation and the failures go.
    const editor = page.getByRole('textbox', { name: /^Content of / })
    await editor.click()
    await page.keyboard.press('Control+a')
    await page.keyboard.type('Our Pro plan got faster.')
    await expect(checks.getByRole('note')).toHaveCount(0)
    await expect(checks).not.toContainText('failed')
    await expect(panel).toContainText('0 of 1 approval')
  },
)

test('a low-risk type set to approve automatically is approved on submit', async ({ openApp }) => {
  const page = await openApp()
  await firstRun(page)
  await nav(page, 'Settings')
  const types = page.getByRole('tabpanel', { name: 'Output types' })
  await types.getByRole('button', { name: /Blog article/ }).click()
  const auto = page.getByRole('checkbox', { name: 'Approve automatically when every check passes' })
  await expect(auto).toBeDisabled()
  await expect(
    page.getByText('Only low-risk types may approve automatically; this one is medium risk.'),
  ).toBeVisible()

  await types.getByRole('button', { name: /Internal summary/ }).click()
  await expect(auto).toBeEnabled()
  await auto.check()
  await page.getByRole('button', { name: 'Save type' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Internal summary”.' })).toBeVisible()

  await nav(page, 'Board')
  await newOutput(page, {
    title: 'Weekly notes',
    typeId: 'internal-summary',
    content: 'Decisions: ship on Friday.',
    open: true,
  })
  const panel = page.getByRole('complementary', { name: 'Review' })
  await expect(panel).toContainText(
    'This type approves automatically when it is submitted and every check passes.',
  )
  await page.getByRole('button', { name: 'Submit for review', exact: true }).click()
  await expect(page.getByText('Approved', { exact: true })).toBeVisible()
  await expect(panel).toContainText('Approved automatically: every check passed on this version')
  await expect(panel).toContainText('1 of 1 approval: Automatic checks')
})
