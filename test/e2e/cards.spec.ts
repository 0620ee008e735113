import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { addMember, firstRun } from './fixtures/screens.ts'

/** Cards grow with their content, and the board's virtual list places them by it (issue 12 #4). */

const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true })

interface Box {
  top: number
  bottom: number
  lines: { cls: string; height: number; bottom: number; clipped: boolean; ellipsis: boolean }[]
}

/** Each card's box and its lines: nothing may stick out of the card or be squeezed to nothing. */
async function cardBoxes(page: Page, columnId: string): Promise<Box[]> {
  return (await page.evaluate(`[...document.querySelectorAll('[data-column="${columnId}"] article.card')].map((card) => {
    const r = card.getBoundingClientRect()
    const lines = [...card.children].map((c) => {
      const b = c.getBoundingClientRect()
      const s = getComputedStyle(c)
      return { cls: c.className, height: b.height, bottom: b.bottom, clipped: false, ellipsis: s.textOverflow === 'ellipsis' }
    })
    return { top: r.top, bottom: r.bottom, lines }
  })`)) as Box[]
}

test('cards with a reviewer, tags, a due date, a refusal and a long name keep every line whole (#4)', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page, { name: 'Augusta Ada King, Countess of Lovelace and Analytical Engine Enthusiast' })
  const add = async (title: string, extra = false) => {
    await page.getByRole('button', { name: 'New output', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'New output' })
    await dialog.getByLabel('Title').fill(title)
    await dialog.getByLabel('Type').selectOption('internal-summary')
    await dialog.getByLabel('Content', { exact: true }).fill('All on track.')
    if (extra) {
      await dialog.getByLabel('Tags').fill('launch, q3, internal, weekly')
      await dialog.getByLabel('Due').fill('2020-01-31')
    }
    await dialog.getByRole('button', { name: 'Create draft' }).click()
    await expect(dialog).toBeHidden()
  }
  await add('A plain one')
  await add('Weekly digest with a rather long title that cannot fit on one line of a card', true)
  await add('Another plain one')
  // Submit the long one, then drop it on Approved: refused, with the reason on the card.
  const long = page.getByRole('button', { name: /^Weekly digest with/ })
  await long.focus()
  await page.keyboard.press('Alt+ArrowRight')
  await expect(column(page, 'In review')).toContainText('Weekly digest with')
  const card = column(page, 'In review').locator('article').filter({ hasText: 'Weekly digest with' })
  await card.dragTo(column(page, 'Approved'))
  // With a second member the routing names this round's reviewer on the card.
  await addMember(page, 'Bea Reviewer', ['Reviewer'])
  await page.getByRole('button', { name: 'Board', exact: true }).click()
  await page.getByRole('button', { name: /^Weekly digest with/ }).click()
  await page.getByRole('button', { name: 'Reassign' }).click()
  await page.getByRole('button', { name: '← Back to board' }).click()
  await expect(card.getByTestId('card-reviewer')).toContainText('Reviewer: ')
  await card.dragTo(column(page, 'Approved'))
  await expect(card.getByRole('note')).toContainText('Not moved:')
  await card.screenshot({ path: 'test-results/card-full.png' })

  for (const id of ['draft', 'in_review']) {
    const boxes = await cardBoxes(page, id)
    for (const box of boxes) {
      for (const line of box.lines) {
        // No line squeezed to nothing, none sticking out of its card.
        expect(line.height, line.cls).toBeGreaterThan(8)
        expect(line.bottom, line.cls).toBeLessThanOrEqual(box.bottom + 0.5)
      }
    }
    // The virtual list places cards by their measured height: none overlaps the next.
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.top).toBeGreaterThanOrEqual(boxes[i - 1]!.bottom)
  }
  // A name too long for the card ends in an ellipsis, with the whole name in its title.
  const person = card.locator('.card-person')
  await expect(person).toHaveAttribute('title', /Analytical Engine Enthusiast$/)
  await expect(card.locator('.card-person-name')).toHaveCSS('text-overflow', 'ellipsis')
  await expect(card.getByTestId('card-reviewer')).toHaveCSS('text-overflow', 'ellipsis')
  await expect(card.getByTestId('card-reviewer')).toHaveAttribute('title', /.+/)
  await expect(card).toContainText('#launch')
  await expect(card.getByRole('button', { name: /^Move Weekly digest/ })).toBeVisible()
})
