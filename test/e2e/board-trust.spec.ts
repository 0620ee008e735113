import type { Page } from '@playwright/test'
import { workspaceDocName } from '../../shared/docnames.ts'
import { client, synced, waitFor } from '../integration/relay/helpers.ts'
import { expect, test } from './fixtures/app.ts'
import { rewriteApproval } from './fixtures/mallory.ts'
import { action, checklistItem, newOutput, workspaceOnRelay } from './fixtures/screens.ts'

/**
 * The board shows what the trail says, never what a row claims. Someone with a write token (a
 * stock y-websocket client, as any script could be) forges a board row to say "approved" for an
 * output in review, and rewrites an approval inside another output's trail. Through the real
 * relay, Ada's board moves both cards out of Approved and says the row was corrected, after a
 * reload too; the intake status would read the same.
 */

test.setTimeout(120_000)

const column = (page: Page, id: string) => page.locator(`section[data-column="${id}"]`)
const cardIn = (page: Page, id: string, title: string) =>
  column(page, id).locator('article.card', { hasText: title })

async function submit(page: Page, title: string, approve: boolean) {
  await page.getByRole('button', { name: title, exact: true }).click()
  await action(page, 'Submit for review').click()
  if (approve) {
    const item = checklistItem(page, 'Matches the source')
    await item.getByRole('radio', { name: 'Pass' }).check()
    await item.getByRole('button', { name: 'Save judgement on Matches the source' }).click()
    await action(page, 'Approve').click()
    await expect(page.getByText('Approved', { exact: true })).toBeVisible()
  } else await expect(page.getByText('In review', { exact: true })).toBeVisible()
  await page.getByRole('button', { name: '← Back to board' }).click()
}

test('a forged row and a rewritten approval leave Approved on the board, through a real relay', async ({
  relay,
  openApp,
}) => {
  const ada = await openApp()
  const { workspaceId, token } = await workspaceOnRelay(ada, relay)
  await ada.getByRole('button', { name: 'Board', exact: true }).click()

  await newOutput(ada, { title: 'Weekly notes', content: 'Decisions: ship on Friday.' })
  await newOutput(ada, { title: 'Pricing draft', content: 'Decisions: hold prices.' })
  await submit(ada, 'Weekly notes', true)
  await submit(ada, 'Pricing draft', false)
  await expect(cardIn(ada, 'approved', 'Weekly notes')).toBeVisible()
  await expect(cardIn(ada, 'in_review', 'Pricing draft')).toBeVisible()

  // Start from a fresh window: no output open, every output synced in the background.
  await ada.reload()
  await expect(ada.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 20_000 })
  await expect(cardIn(ada, 'approved', 'Weekly notes')).toBeVisible()

  // Mallory, with a write token, forges Pricing draft's row to say approved.
  const wsClient = client(relay.url, workspaceDocName(workspaceId), token('mallory'))
  await synced(wsClient)
  // Rows are JSON text (schema 3); a forger writes what the app writes.
  const rows = wsClient.doc.getMap<string>('outputs')
  const row = (id: string) => JSON.parse(rows.get(id) ?? 'null') as Record<string, unknown> | null
  await waitFor(() => rows.size === 2, 'both rows')
  const idOf = (title: string) => [...rows.keys()].find((id) => row(id)?.title === title)!
  const pricing = idOf('Pricing draft')
  rows.set(
    pricing,
    JSON.stringify({ ...row(pricing), state: 'approved', approvals: 1, approvalsRequired: 1 }),
  )

  // Ada's board never keeps believing it: the card is back in review within seconds, marked.
  await expect(cardIn(ada, 'in_review', 'Pricing draft')).toBeVisible({ timeout: 10_000 })
  await expect(cardIn(ada, 'approved', 'Pricing draft')).toHaveCount(0)
  await expect(cardIn(ada, 'in_review', 'Pricing draft').getByTestId('card-corrected')).toContainText(
    'Corrected from its trail: the board said Approved.',
  )
  // The corrected row went back to the relay: Mallory's copy says so too.
  await waitFor(() => row(pricing)?.state === 'in_review', 'the corrected row at the relay')

  // Mallory rewrites the approval inside Weekly notes' trail (its row untouched).
  const weekly = idOf('Weekly notes')
  const outClient = await rewriteApproval(relay.url, workspaceId, weekly, token('mallory'))

  // Opening it shows In review; back on the board the card has left Approved, and stays out after a reload.
  await ada.getByRole('button', { name: 'Weekly notes', exact: true }).click()
  await expect(ada.getByText('In review', { exact: true })).toBeVisible({ timeout: 10_000 })
  await ada.getByRole('button', { name: '← Back to board' }).click()
  await expect(cardIn(ada, 'in_review', 'Weekly notes')).toBeVisible({ timeout: 10_000 })
  await expect(cardIn(ada, 'approved', 'Weekly notes')).toHaveCount(0)
  await ada.screenshot({ path: 'test-results/board-corrected.png', fullPage: true })
  await ada.reload()
  await expect(ada.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 20_000 })
  await expect(cardIn(ada, 'in_review', 'Weekly notes')).toBeVisible()
  await expect(cardIn(ada, 'in_review', 'Pricing draft')).toBeVisible()
  await expect(column(ada, 'approved').locator('article.card')).toHaveCount(0)
  wsClient.destroy()
  outClient.destroy()
})
