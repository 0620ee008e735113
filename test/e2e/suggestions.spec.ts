import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { adaWithBea, beaOpens, newOutput, selectInSource, sourceText } from './fixtures/screens.ts'

/**
 * Suggestions through a real relay: Bea selects words and suggests replacements, shown inline in
 * the source; Ada declines one, accepts two at once, and the trail records the edit as hers.
 */

const TITLE = 'Price note'
const CONTENT = 'The price is 29 EUR per month from 1 March. Support is included.'
const comments = (page: Page) => page.getByRole('region', { name: 'Comments' })

async function suggest(page: Page, words: string, replacement: string) {
  await selectInSource(page, words)
  await page.getByRole('button', { name: 'Suggest change', exact: true }).click()
  const field = page.getByLabel('Replace with')
  await expect(field).toHaveValue(words)
  // By keyboard: the quoted words are selected, so typing replaces them, and Ctrl+Enter adds it.
  await expect(field).toBeFocused()
  await page.keyboard.type(replacement)
  await expect(field).toHaveValue(replacement)
  await page.keyboard.press('Control+Enter')
  await expect(
    comments(page).getByRole('article', { name: `Suggestion by Bea Reviewer on “${words}”` }),
  ).toBeVisible()
}

test('suggested changes are accepted together as the accepting member’s edit', async ({
  relay,
  openApp,
  newMember,
}) => {
  test.setTimeout(120_000)
  const { ada, token, beaId } = await adaWithBea(openApp, relay, ['Reviewer'])
  await newOutput(ada, { title: TITLE, content: CONTENT, open: true })

  const bea = await beaOpens(newMember, relay.url, token(beaId), TITLE, '29 EUR')
  // Too much text is refused in words before anything is sent, and what was typed stays.
  await selectInSource(bea, 'Support')
  await bea.getByRole('button', { name: 'Suggest change', exact: true }).click()
  await bea.getByLabel('Replace with').fill('s'.repeat(100_001))
  await bea.getByRole('button', { name: 'Add suggestion', exact: true }).click()
  await expect(bea.getByRole('alert')).toHaveText(
    'The suggested text is 100,001 characters: at most 100,000 fit. Shorten it.',
  )
  await expect(bea.getByLabel('Replace with')).toHaveValue('s'.repeat(100_001))
  await bea.getByRole('button', { name: 'Cancel', exact: true }).click()
  await selectInSource(bea, 'Support')
  await bea.getByRole('button', { name: 'Comment', exact: true }).click()
  await bea.getByLabel(/Your comment/).fill('c'.repeat(10_001))
  await bea.getByRole('button', { name: 'Add comment', exact: true }).click()
  await expect(bea.getByRole('alert')).toHaveText(
    'The comment is 10,001 characters: at most 10,000 fit. Shorten it.',
  )
  await expect(bea.getByLabel(/Your comment/)).toHaveValue('c'.repeat(10_001))
  await bea.getByRole('button', { name: 'Cancel', exact: true }).click()
  await expect(comments(bea).getByRole('article')).toHaveCount(0)
  await suggest(bea, '29 EUR', '31 EUR')
  await suggest(bea, '1 March', '1 April')
  await suggest(bea, 'Support', 'Email support')

  // Ada sees them inline: the words struck through, the replacement beside them.
  const first = comments(ada).getByRole('article', { name: 'Suggestion by Bea Reviewer on “29 EUR”' })
  await expect(first).toBeVisible({ timeout: 15_000 })
  await expect(ada.locator('.cm-content .cm-suggestion-insert')).toHaveText([
    '31 EUR',
    '1 April',
    'Email support',
  ])
  // The preview shows them too: the words struck through, the replacement right after them.
  await ada.getByRole('button', { name: 'Side by side', exact: true }).click()
  const preview = ada.getByRole('article', { name: `Preview of ${TITLE}` })
  await expect(preview.locator('mark.ov-mark-suggestion')).toHaveText(['29 EUR', '1 March', 'Support'])
  await expect(preview.locator('ins.ov-suggest-insert')).toHaveText(['31 EUR', '1 April', 'Email support'])
  await expect(preview).toContainText('29 EUR31 EUR per month')
  await ada.screenshot({ path: 'test-results/suggestions.png', fullPage: true })
  await ada.getByRole('button', { name: 'Source', exact: true }).click()

  // Decline one; accept the other two at once.
  const third = comments(ada).getByRole('article', { name: 'Suggestion by Bea Reviewer on “Support”' })
  await third.getByRole('button', { name: 'Decline', exact: true }).click()
  await expect(third).toContainText('Declined by Ada Author')
  await first.getByRole('checkbox', { name: 'Select' }).check()
  await comments(ada)
    .getByRole('article', { name: 'Suggestion by Bea Reviewer on “1 March”' })
    .getByRole('checkbox', { name: 'Select' })
    .check()
  await comments(ada).getByRole('button', { name: 'Accept selected (2)' }).click()
  await expect
    .poll(() => sourceText(ada), { timeout: 15_000 })
    .toBe('The price is 31 EUR per month from 1 April. Support is included.')
  await expect
    .poll(() => sourceText(bea), { timeout: 15_000 })
    .toBe('The price is 31 EUR per month from 1 April. Support is included.')
  await expect(first).toContainText('Accepted by Ada Author')
  // Its words are gone because they were replaced, not because someone deleted them.
  await expect(first).toContainText('Its words were replaced as suggested.')
  await expect(first).not.toContainText('On removed text')
  await expect(ada.locator('.cm-content .cm-suggestion-insert')).toHaveCount(0)

  // The trail: Ada edited it, by accepting Bea's suggestions.
  await bea.getByRole('button', { name: 'History', exact: true }).click()
  await expect(bea.getByRole('dialog')).toContainText('Ada Author edited it to version', { timeout: 15_000 })
  await expect(bea.getByRole('dialog')).toContainText('Accepted 2 suggestions by Bea Reviewer')
})
