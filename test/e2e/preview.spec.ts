import { expect } from './fixtures/app.ts'
import { soloTest } from './fixtures/solo.ts'

/**
 * The output view shows the content rendered, beside or instead of the source, through the same
 * sanitizing renderer as the published html: hostile HTML and javascript: links in the content
 * run nothing, and a link in the preview never navigates the app.
 */

const HOSTILE = [
  '# Launch notes',
  '',
  'We ship on **Friday**. See [the plan](https://example.com/plan).',
  '',
  '<img src=x onerror="window.__pwned = 1">',
  '<script>window.__pwned = 2</script>',
  '[click me](javascript:window.__pwned=3)',
  '<iframe src="https://example.com"></iframe>',
].join('\n')

soloTest(
  'preview renders the Markdown and runs nothing the content supplies',
  { title: 'Launch notes', content: HOSTILE },
  async (page) => {
    await page.getByRole('button', { name: 'Side by side', exact: true }).click()
    const preview = page.getByRole('article', { name: 'Preview of Launch notes' })
    await expect(preview.getByRole('heading', { name: 'Launch notes', level: 1 })).toBeVisible()
    await expect(preview.locator('strong')).toHaveText('Friday')
    // The editor is still there beside it.
    await expect(page.getByRole('textbox', { name: 'Content of Launch notes' })).toBeVisible()
    // Raw HTML is shown as text, never made into elements; the javascript: link is not a link.
    await expect(preview.locator('img, script, iframe')).toHaveCount(0)
    await expect(preview).toContainText('<img src=x onerror=')
    await expect(preview.getByRole('link')).toHaveCount(1)
    await expect(preview.getByRole('link', { name: 'the plan' })).toHaveAttribute(
      'href',
      'https://example.com/plan',
    )
    // Clicking a link in the preview does not take the app away.
    const url = page.url()
    await preview.getByRole('link', { name: 'the plan' }).click()
    await preview.getByText('click me').click()
    expect(page.url()).toBe(url)
    expect(await page.evaluate('window.__pwned')).toBeUndefined()

    // Preview only: the editor is hidden but keeps its state; Source brings it back.
    await page.getByRole('button', { name: 'Preview', exact: true }).click()
    await expect(page.getByRole('textbox', { name: 'Content of Launch notes' })).toBeHidden()
    await expect(page.getByRole('button', { name: 'Preview', exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    await page.screenshot({ path: 'test-results/preview.png', fullPage: true })
    await page.getByRole('button', { name: 'Source', exact: true }).click()
    await expect(page.getByRole('textbox', { name: 'Content of Launch notes' })).toBeVisible()
    await expect(preview).toHaveCount(0)
  },
)

/** A long text: the first screen, then the rest, highlights and all. */
const LONG = Array.from(
  { length: 30 },
  (_, i) =>
    `## Part ${i + 1}\n\nThis part of the launch plan says what happens in week ${i + 1}: who writes, who reviews, which numbers are checked against the price book, and when the page goes out to the customers who asked for it.`,
).join('\n\n')

soloTest(
  'a long preview opens on its first screen and then holds all of the text, highlights included',
  // Hostile HTML far down, in the part that arrives after the first screen.
  {
    title: 'Launch plan',
    content: `${LONG}\n\nSee <img src=x onerror="window.__pwned = 1"> there. The closing words.`,
  },
  async (page) => {
    // A comment on the last words, far below the first screen.
    await page.getByRole('textbox', { name: 'Content of Launch plan' }).click()
    await page.keyboard.press('Control+End')
    await page.keyboard.press('Control+Shift+ArrowLeft')
    await page.keyboard.press('Control+Shift+ArrowLeft')
    await page.getByRole('button', { name: 'Comment', exact: true }).click()
    await page.getByLabel(/Your comment/).fill('Say what closes.')
    await page.getByRole('button', { name: 'Add comment', exact: true }).click()
    await expect(page.getByRole('region', { name: 'Comments' })).toContainText('Say what closes.')

    // By keyboard: the view switch is a button like any other.
    await page.getByRole('button', { name: 'Preview', exact: true }).focus()
    await page.keyboard.press('Enter')
    const preview = page.getByRole('article', { name: 'Preview of Launch plan' })
    await expect(preview.getByRole('heading', { name: 'Part 1', exact: true })).toBeVisible()
    // The rest follows: every part, the closing words highlighted, and the region no longer busy.
    await expect(preview).not.toHaveAttribute('aria-busy', 'true')
    await expect(preview.getByRole('heading', { level: 2 })).toHaveCount(30)
    await expect(preview.locator('[data-comment-id]')).toContainText('words')
    // The hostile HTML came in as text, and ran nothing.
    await expect(preview).toContainText('<img src=x onerror=')
    await expect(preview.locator('img')).toHaveCount(0)
    expect(await page.evaluate('window.__pwned')).toBeUndefined()
    await preview.getByRole('heading', { name: 'Part 30', exact: true }).scrollIntoViewIfNeeded()
    await expect(preview.getByRole('heading', { name: 'Part 30', exact: true })).toBeVisible()
    await page.screenshot({ path: 'test-results/preview-long.png' })
  },
)
