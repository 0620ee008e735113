import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures/app.ts'
import { editor, selectInSource, sourceText } from './fixtures/screens.ts'
import { twoMemberTest } from './fixtures/two-members.ts'

/**
 * Comments anchored to the words, two members through a real relay: Bea comments on a phrase in
 * the source, Ada edits before and inside it (online, then offline) and the comment stays on the
 * same words in both members' source and preview; a reply with an @mention; resolve and reopen;
 * the open count on the board card; the words deleted → "on removed text"; and the open threads
 * as "request changes" reasons.
 */

const TITLE = 'Price note'
const CONTENT = 'We launch on Monday. The price is 29 EUR per month. Support is included.'
const comments = (page: Page) => page.getByRole('region', { name: 'Comments' })
const marks = (page: Page) => page.locator('.cm-content [data-comment-id]')
const syncStatus = (page: Page) => page.getByRole('status', { name: 'Sync status' })

/** Select `words` inside the rendered preview, as a mouse drag over them would. */
async function selectInPreview(page: Page, words: string) {
  // A string expression: the node type-check has no DOM.
  await page.evaluate(`(() => {
    const w = ${JSON.stringify(words)}
    const root = document.querySelector('.ov-preview')
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.data.indexOf(w)
      if (at < 0) continue
      const range = document.createRange()
      range.setStart(n, at)
      range.setEnd(n, at + w.length)
      document.getSelection().removeAllRanges()
      document.getSelection().addRange(range)
      return
    }
    throw new Error('not in the preview: ' + w)
  })()`)
}

/** Put the caret right after the first `after` in the source and type. */
async function typeAfter(page: Page, after: string, typed: string) {
  const text = await sourceText(page)
  const at = text.indexOf(after)
  if (at < 0) throw new Error(`"${after}" is not in the editor`)
  await editor(page).click()
  await page.keyboard.press('Control+Home')
  for (let i = 0; i < at + after.length; i++) await page.keyboard.press('ArrowRight')
  await page.keyboard.type(typed)
}

/** The words under the comment's highlight in the source (a mark may be split by other marks). */
const markedWords = (page: Page) =>
  expect.poll(
    () =>
      page.evaluate(`[...document.querySelectorAll('.cm-content [data-comment-id]')]
        .map((m) => { const c = m.cloneNode(true); for (const x of c.querySelectorAll('.cm-ySelectionCaret')) x.remove(); return c.textContent })
        .join('').replace(/\u2060/g, '').trim()`),
    { timeout: 15_000 },
  )

/** Bea comments on the words while the host signing it is held back; returns her thread. */
async function commentWhileTheHostSigns(bea: Page) {
  await selectInSource(bea, '29 EUR per month')
  await bea.getByRole('button', { name: 'Comment', exact: true }).click()
  await bea.getByLabel(/Your comment/).fill('Is this with VAT? @Ada Author please check.')
  // The comment shows at once, marked as being saved, while the host signs it: held back here
  // until the page shows it.
  let release: () => void = () => {}
  const held = new Promise<void>((r) => {
    release = r
  })
  await bea.route('**/host/perform', async (route) => {
    await held
    await route.continue()
  })
  await bea.getByRole('button', { name: 'Add comment', exact: true }).click()
  const sending = comments(bea).getByRole('article', { name: 'Your comment, being saved' })
  await expect(sending).toContainText('Is this with VAT?')
  await expect(sending).toContainText('Saving…')
  await expect(sending).toContainText('29 EUR per month')
  await comments(bea).screenshot({ path: 'test-results/comment-saving.png' })
  release()
  const thread = comments(bea).getByRole('article', { name: /Comment by Bea Reviewer on “29 EUR/ })
  await expect(thread).toContainText('Is this with VAT?')
  await bea.unroute('**/host/perform')
  await expect(comments(bea)).toContainText('1 open')
  // Signed and in place: the one shown while saving is gone.
  await expect(sending).toHaveCount(0)
  await expect(comments(bea).locator('[data-thread-id]')).toHaveCount(1)
  await markedWords(bea).toBe('29 EUR per month')
  return thread
}

/** Ada edits before the words and inside them, online and then offline while Bea types before them: the comment follows. */
async function editAroundTheWords(ada: Page, bea: Page) {
  // Ada edits before the words and inside them: the comment follows.
  await typeAfter(ada, 'on Monday.', ' Finally.')
  await typeAfter(ada, '29 EUR', ' net')
  await markedWords(ada).toBe('29 EUR net per month')
  await markedWords(bea).toBe('29 EUR net per month')

  // Offline: Ada edits inside the words, Bea types before them; both merge on reconnect.
  for (const page of [ada, bea]) {
    await page.getByRole('checkbox', { name: 'Work offline' }).check()
    await expect(syncStatus(page)).toContainText('Offline')
  }
  await typeAfter(ada, 'per', ' calendar')
  await typeAfter(bea, 'The price', ' (list)')
  await markedWords(ada).toBe('29 EUR net per calendar month')
  for (const page of [ada, bea]) await page.getByRole('checkbox', { name: 'Work offline' }).uncheck()
  for (const page of [ada, bea]) {
    // The text without the other member's caret, which stays shown across the reconnect.
    await expect
      .poll(() => sourceText(page), { timeout: 20_000 })
      .toContain('The price (list) is 29 EUR net per calendar month')
    await markedWords(page).toBe('29 EUR net per calendar month')
  }
}

/** A comment on words selected in the preview, which the host refuses once. */
async function commentInThePreview(bea: Page) {
  // The preview highlights the same words.
  await bea.getByRole('button', { name: 'Side by side', exact: true }).click()
  const preview = bea.getByRole('article', { name: `Preview of ${TITLE}` })
  await expect(preview.locator('[data-comment-id]')).toHaveText('29 EUR net per calendar month')

  // A comment on words selected in the preview.
  await selectInPreview(bea, 'Support is included.')
  await bea.getByRole('button', { name: 'Comment', exact: true }).click()
  await bea.getByLabel(/Your comment/).fill('Which support?')
  // The host refuses once: the words stay in the composer with the reason, nothing shows as sent.
  await bea.route('**/host/perform', (route) =>
    route.fulfill({
      status: 503,
      json: { ok: false, error: { code: 'busy', message: 'The host is busy.' } },
    }),
  )
  await bea.getByRole('button', { name: 'Add comment', exact: true }).click()
  await expect(comments(bea).getByRole('alert')).toContainText(
    'The host could not record this: The host is busy.',
  )
  await expect(bea.getByLabel(/Your comment/)).toHaveValue('Which support?')
  await expect(comments(bea).getByRole('article', { name: 'Your comment, being saved' })).toHaveCount(0)
  await expect(comments(bea)).toContainText('1 open')
  await bea.unroute('**/host/perform')
  await bea.getByRole('button', { name: 'Add comment', exact: true }).click()
  await expect(comments(bea)).toContainText('2 open')
  await expect(bea.locator('.cm-content [data-comment-id]', { hasText: 'Support is included' })).toHaveCount(
    1,
  )
}

/**
 * Ada deletes the words: the thread stays, on removed text, for her (`adaThread`) and for Bea
 * (`thread`); the card counts it.
 */
async function deleteTheWords(ada: Page, adaThread: Locator, thread: Locator) {
  const text = await sourceText(ada)
  const at = text.indexOf(' is 29 EUR')
  await editor(ada).click()
  await ada.keyboard.press('Control+Home')
  for (let i = 0; i < at; i++) await ada.keyboard.press('ArrowRight')
  for (let i = 0; i < ' is 29 EUR net per calendar month'.length; i++)
    await ada.keyboard.press('Shift+ArrowRight')
  await ada.keyboard.press('Delete')
  await expect(adaThread).toContainText('On removed text', { timeout: 10_000 })
  await expect(thread).toContainText('On removed text', { timeout: 15_000 })
  await expect(marks(ada)).toHaveCount(0)
  await ada.getByRole('button', { name: '← Back to board' }).click()
  await expect(ada.locator('article', { hasText: TITLE })).toContainText('1 open comment')
}

twoMemberTest(
  'a comment stays on its words through the other member’s edits, online and offline',
  { roles: ['Reviewer', 'Approver'], output: { title: TITLE, content: CONTENT }, words: '29 EUR per month' },
  async ({ ada, bea }) => {
    // Nothing selected yet: the button is there but disabled.
    await expect(bea.getByRole('button', { name: 'Comment', exact: true })).toHaveAttribute(
      'aria-disabled',
      'true',
    )

    const thread = await commentWhileTheHostSigns(bea)

    // Ada sees it, highlighted on the same words.
    await expect(comments(ada).getByRole('article', { name: /Comment by Bea Reviewer/ })).toBeVisible({
      timeout: 15_000,
    })
    await markedWords(ada).toBe('29 EUR per month')

    await editAroundTheWords(ada, bea)
    await commentInThePreview(bea)

    // Ada replies with a mention, resolves the second thread; Bea sees both.
    const adaThread = comments(ada).getByRole('article', { name: /on “29 EUR/ })
    await adaThread.getByLabel('Reply to Bea Reviewer').fill('Net of VAT. @Bea Reviewer ok?')
    await adaThread.getByRole('button', { name: 'Reply', exact: true }).click()
    const second = comments(ada).getByRole('article', { name: /on “Support is included/ })
    await second.getByRole('button', { name: 'Resolve', exact: true }).click({ timeout: 15_000 })
    await expect(second).toContainText('Resolved by Ada Author')
    await expect(thread).toContainText('Net of VAT.', { timeout: 15_000 })
    await expect(comments(bea)).toContainText('1 open', { timeout: 15_000 })

    // The mention reaches Bea's "For me" inbox (with the review waiting for her), counted in the header.
    const forMe = (page: Page) =>
      page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^For me/ })
    await expect(forMe(bea)).toHaveText('For me (2)', { timeout: 15_000 })
    await forMe(bea).click()
    const inbox = bea.getByRole('list', { name: 'Waiting for me' })
    await expect(inbox.getByRole('listitem').first()).toContainText('Mention from Ada Author')
    await expect(inbox.getByRole('listitem').first()).toContainText('Net of VAT. @Bea Reviewer ok?')
    await expect(inbox).toContainText('Review')
    await bea.screenshot({ path: 'test-results/inbox.png' })
    await inbox.getByRole('button', { name: TITLE }).first().click()
    await expect(comments(bea)).toContainText('1 open')

    // Bea sends it back with the open thread as the reason.
    await bea.getByRole('button', { name: /Add the open comments as reasons/ }).click()
    await bea.getByRole('button', { name: 'Request changes', exact: true }).click()
    await expect(bea.getByRole('status').filter({ hasText: 'Sent back' })).toBeVisible()
    await expect(ada.getByRole('status').filter({ hasText: 'Changes requested' })).toContainText(
      '“29 EUR net per calendar month”: Is this with VAT? @Ada Author please check.',
      { timeout: 15_000 },
    )
    // Bea decided: the review leaves her inbox, the mention stays until she answers it; Ada's holds
    // the changes requested on her output.
    await expect(
      bea.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^For me/ }),
    ).toHaveText('For me (1)')
    await expect(
      ada.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^For me/ }),
    ).toHaveText('For me (1)', { timeout: 15_000 })

    // Ada deletes the words: the thread stays, on removed text; the card counts it.
    await ada.screenshot({ path: 'test-results/comments.png', fullPage: true })
    await deleteTheWords(ada, adaThread, thread)
  },
)
