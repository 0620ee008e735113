import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { firstRun, newOutput } from './fixtures/screens.ts'

/**
 * Insight, through the screens a person uses: outputs of two types created on the board, one
 * approved and one sent back through the review panel, then the dashboard's charts, read
 * through their data tables.
 */

const action = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })

async function judge(page: Page, itemTitle: string, verdict: 'Pass' | 'Fail', note = '') {
  const item = page.getByRole('group', { name: itemTitle })
  await item.getByRole('radio', { name: verdict }).check()
  if (note) await item.getByRole('textbox', { name: `Note on ${itemTitle}` }).fill(note)
  await item.getByRole('button', { name: `Save judgement on ${itemTitle}` }).click()
  await expect(item).toContainText(`${verdict} by Ada Lovelace`)
}

/**
 * An internal summary by `model`, submitted, its send-back item judged, then decided: the output
 * shows `state`; back to the board.
 */
async function reviewOnce(
  page: Page,
  title: string,
  model: string,
  [verdict, note]: ['Pass' | 'Fail', string?],
  decision: string,
  state: string,
) {
  await newOutput(page, { title, typeId: 'internal-summary', model, open: true })
  await action(page, 'Submit for review').click()
  await judge(page, 'Matches the source', verdict, note)
  await action(page, decision).click()
  await expect(page.getByText(state, { exact: true })).toBeVisible()
  await nav(page, 'Board').click()
}

/** The data cells of one row of a chart's table, by its row header. */
const cells = (table: Locator, row: string) =>
  table
    .getByRole('row')
    .filter({ has: table.page().getByRole('rowheader', { name: row, exact: true }) })
    .getByRole('cell')

test('Insight charts the workspace: states per type, first-pass rates per type and model, failing items', async ({
  openApp,
}) => {
  const page = await openApp()
  const errors: string[] = []
  page.on('console', (m) => {
    // The web shell serves no favicon; the browser's request for one is not the app's.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
      errors.push(`${m.text()} ${m.location().url}`)
  })
  page.on('pageerror', (e) => errors.push(e.message))
  await firstRun(page)

  // Approved first time.
  await reviewOnce(page, 'Weekly notes', 'claude-test', ['Pass'], 'Approve', 'Approved')
  // Sent back: a failed send-back item, then "Request changes".
  await reviewOnce(
    page,
    'Standup digest',
    'gpt-test',
    ['Fail', 'Bea is blocked'],
    'Request changes',
    'Changes requested',
  )

  // A second type: one draft, one in review.
  await newOutput(page, { title: 'Launch post', typeId: 'social-post', model: 'gpt-test', open: false })
  await newOutput(page, { title: 'Pricing teaser', typeId: 'social-post', model: 'gpt-test', open: true })
  await action(page, 'Submit for review').click()
  await expect(page.getByText('In review', { exact: true })).toBeVisible()

  await nav(page, 'Insight').click()
  await expect(nav(page, 'Insight')).toHaveAttribute('aria-current', 'page')
  await expect(page.getByRole('heading', { name: 'Insight', level: 1 })).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: 'Based on' })).toHaveText(
    'Based on 4 of 4 outputs.',
  )

  // Outputs per state and type: a stacked bar chart with a summary, and its table.
  const states = page.getByRole('table', { name: 'Outputs per state and type' })
  const columns = await states.getByRole('columnheader').allTextContents()
  expect(columns).toEqual([
    'Type',
    'Draft',
    'In review',
    'Changes requested',
    'Approved',
    'Approved, stale',
    'Published',
    'Rejected',
    'Archived',
    'Total',
  ])
  await expect(cells(states, 'Internal summary')).toHaveText(['0', '0', '1', '1', '0', '0', '0', '0', '2'])
  await expect(cells(states, 'Social post')).toHaveText(['1', '1', '0', '0', '0', '0', '0', '0', '2'])
  await expect(page.getByRole('img', { name: /^Outputs per state and type: 4 outputs\./ })).toBeVisible()

  // The table is there for screen readers, and on screen with "Show data".
  const card = page.getByRole('region', { name: 'Outputs per state and type' })
  await expect(states).not.toBeInViewport()
  await card.getByRole('button', { name: 'Show data' }).click()
  await expect(card.getByRole('button', { name: 'Hide data' })).toHaveAttribute('aria-expanded', 'true')
  await expect(states).toBeVisible()

  // First-pass approval: per type (only decided first rounds count) and per source model.
  const perType = page.getByRole('table', { name: 'First-pass approval rate per type' })
  await expect(cells(perType, 'Internal summary')).toHaveText(['1', '2', '50%'])
  await expect(perType.getByRole('rowheader')).toHaveText(['Internal summary'])
  const perModel = page.getByRole('table', { name: 'First-pass approval rate per source model' })
  await expect(cells(perModel, 'claude-test')).toHaveText(['1', '1', '100%'])
  await expect(cells(perModel, 'gpt-test')).toHaveText(['0', '1', '0%'])
  await expect(
    page.getByRole('img', { name: /First-pass approval rate per source model: .*gpt-test: 0% \(0 of 1\)/ }),
  ).toBeVisible()

  // Each chart's note counts what its figure is made of, not the outputs read.
  await expect(page.getByRole('region', { name: 'First-pass approval rate per type' })).toContainText(
    'Approved in the first review round without changes requested. 2 first rounds decided.',
  )
  await expect(page.getByRole('region', { name: 'Time waiting in review' })).toContainText(
    'Submission to approval, changes requested or rejection, per round. 2 decided rounds.',
  )
  await expect(page.getByRole('region', { name: 'Cycle time, creation to first publish' })).toContainText(
    '0 published outputs.',
  )

  // Time in review: two decided rounds, both Internal summary.
  const review = page.getByRole('table', { name: 'Time waiting in review' })
  await expect(review.getByRole('rowheader')).toHaveText(['Internal summary'])
  await expect(cells(review, 'Internal summary').first()).toHaveText('2')

  // Nothing published yet, nothing overdue.
  await expect(page.getByRole('region', { name: 'Cycle time, creation to first publish' })).toContainText(
    'Nothing to show yet.',
  )
  await expect(page.getByRole('region', { name: 'Overdue reviews' })).toContainText('No review is overdue.')

  // The checklist item that failed.
  const failing = page.getByRole('table', { name: 'Checklist items that fail most often' })
  await expect(cells(failing, 'Internal summary: Matches the source')).toHaveText(['1', '1'])

  await page.screenshot({ path: '/tmp/pw-insight/insight.png', fullPage: true })
  expect(errors).toEqual([])
})
