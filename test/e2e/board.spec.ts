import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { firstRun, holdFirstAnswer } from './fixtures/screens.ts'

/** The board by keyboard, its filters, and files dropped on the window (good and bad). */

async function dropFile(page: Page, name: string, bytes: number[], mime: string) {
  const dt = await page.evaluateHandle(
    `(() => { const dt = new DataTransfer(); dt.items.add(new File([new Uint8Array(${JSON.stringify(bytes)})], ${JSON.stringify(name)}, { type: ${JSON.stringify(mime)} })); return dt })()`,
  )
  await page.dispatchEvent('main', 'dragover', { dataTransfer: dt })
  await page.dispatchEvent('main', 'drop', { dataTransfer: dt })
}

const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true })

test('keyboard moves, refusals with reasons, filters, and dropped files', async ({ openApp }) => {
  const page = await openApp()
  await firstRun(page)

  // A dropped Markdown file opens "New output" with its heading as the title.
  const md = [...new TextEncoder().encode('# Weekly digest\n\nAll on track.')]
  await dropFile(page, 'digest.md', md, 'text/markdown')
  const dialog = page.getByRole('dialog', { name: 'New output' })
  await expect(dialog.getByLabel('Title')).toHaveValue('Weekly digest')
  await dialog.getByLabel('Type').selectOption('internal-summary')
  await dialog.getByRole('button', { name: 'Create draft' }).click()
  await expect(column(page, 'Draft')).toContainText('Weekly digest')

  // A binary file is refused with a clear notice and nothing is created.
  await dropFile(page, 'photo.md', [0x89, 0x50, 0x4e, 0x47, 0x00, 0x01], 'text/markdown')
  await expect(page.getByLabel('Notices')).toContainText('binary file')
  await expect(dialog).toBeHidden()

  // Keyboard: Alt+→ submits; Alt+→ again asks for a reason (request changes) — cancel it.
  const open = page.getByRole('button', { name: 'Weekly digest', exact: true })
  await open.focus()
  await page.keyboard.press('Alt+ArrowRight')
  await expect(column(page, 'In review')).toContainText('Weekly digest')
  await expect(page.getByRole('status').filter({ hasText: 'is now in In review' })).toBeAttached()
  await page.getByRole('button', { name: 'Weekly digest', exact: true }).focus()
  await page.keyboard.press('Alt+ArrowRight')
  const why = page.getByRole('dialog', { name: 'Request changes to “Weekly digest”' })
  // Sent with no reason: said, and the focus goes back into the reason's field.
  await why.getByRole('button', { name: 'Request changes' }).focus()
  await page.keyboard.press('Enter')
  await expect(why.getByRole('alert')).toHaveText('Say what needs to change.')
  await expect(why.getByLabel('What needs to change? (one reason per line)')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(why).toBeHidden()
  await expect(column(page, 'In review')).toContainText('Weekly digest')

  // The Move menu (M) lists every move, disabled ones with the rules' reason.
  await page.getByRole('button', { name: 'Weekly digest', exact: true }).focus()
  await page.keyboard.press('m')
  const menu = page.getByRole('dialog', { name: 'Move “Weekly digest”' })
  await expect(menu.getByRole('menuitem', { name: /Approve/ })).toHaveAttribute('aria-disabled', 'true')
  await expect(menu).toContainText(
    '1 checklist item still needs a judgement on this version: “Matches the source”.',
  )
  await page.keyboard.press('d')
  await expect(column(page, 'Draft')).toContainText('Weekly digest')

  // Filters: by risk, and "waiting for me".
  await page.getByLabel('Filter by risk').selectOption('critical')
  await expect(column(page, 'Draft')).not.toContainText('Weekly digest')
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(column(page, 'Draft')).toContainText('Weekly digest')

  // Ctrl+N-like shortcut that browsers leave to the page: Alt+N.
  await page.keyboard.press('Alt+n')
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})

test('a dropped file brings its front matter, as the inbox reads it (issue 12 #6)', async ({ openApp }) => {
  const page = await openApp()
  await firstRun(page)
  const md = [
    '---',
    'title: Q3 launch post',
    'type: Social post',
    'source:',
    '  model: gpt-x',
    '  tool: drafter',
    'tags: [launch, q3]',
    'due: 2026-12-01',
    '---',
    '# Heading that is not the title',
    '',
    'We launch on Monday.',
  ].join('\n')
  await dropFile(page, 'launch.md', [...new TextEncoder().encode(md)], 'text/markdown')
  const dialog = page.getByRole('dialog', { name: 'New output' })
  await expect(dialog.getByLabel('Title')).toHaveValue('Q3 launch post')
  await expect(dialog.getByLabel('Type')).toHaveValue('social-post')
  await expect(dialog.getByLabel('Content', { exact: true })).toHaveValue(
    '# Heading that is not the title\n\nWe launch on Monday.',
  )
  await expect(dialog.getByLabel('Model')).toHaveValue('gpt-x')
  await expect(dialog.getByLabel('Tool')).toHaveValue('drafter')
  await expect(dialog.getByLabel('Tags')).toHaveValue('launch, q3')
  await expect(dialog.getByLabel('Due')).toHaveValue('2026-12-01')
  await dialog.getByRole('button', { name: 'Create draft' }).click()
  await expect(column(page, 'Draft')).toContainText('Q3 launch post')

  // A file with front matter and nothing to review is refused, as the inbox and the API refuse it.
  await dropFile(
    page,
    'empty.md',
    [...new TextEncoder().encode('---\ntitle: Empty\n---\n\n')],
    'text/markdown',
  )
  await expect(page.getByLabel('Notices')).toContainText('"empty.md": the file is empty')
  await expect(dialog).toBeHidden()
})

test('New output: long content and a long prompt are kept, too much is refused in words, Enter twice makes one draft', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page)
  const dialog = page.getByRole('dialog', { name: 'New output' })
  const open = async (title: string) => {
    await page.getByRole('button', { name: 'New output', exact: true }).click()
    await dialog.getByLabel('Title').fill(title)
  }
  const content = dialog.getByLabel('Content', { exact: true })
  const create = dialog.getByRole('button', { name: 'Create draft' })

  // Too much content is refused before anything is sent, saying how much is allowed.
  await open('Too long')
  await content.fill('x'.repeat(2_000_001))
  await create.click()
  await expect(dialog.getByRole('alert')).toHaveText(
    'The content is 2,000,001 characters: one output holds at most 2,000,000. Split it into parts, each its own output.',
  )
  // The refused field is marked, described by the message, and has the focus.
  await expect(content).toBeFocused()
  await expect(content).toHaveAttribute('aria-invalid', 'true')
  await expect(content).toHaveAccessibleDescription(/^The content is 2,000,001 characters/)
  await dialog.getByLabel('Prompt').fill('p'.repeat(20_001))
  await content.fill('Short.')
  await create.click()
  await expect(dialog.getByRole('alert')).toHaveText(
    'The prompt is 20,001 characters: an output keeps at most 20,000. Shorten it, or put it in the content.',
  )
  await expect(dialog.getByLabel('Prompt')).toBeFocused()
  await expect(content).not.toHaveAttribute('aria-invalid')
  // No title: Enter on Create draft puts the focus in the title.
  await dialog.getByLabel('Prompt').fill('')
  await dialog.getByLabel('Title').fill('')
  await create.focus()
  await page.keyboard.press('Enter')
  await expect(dialog.getByRole('alert')).toHaveText('Give the output a title.')
  await expect(dialog.getByLabel('Title')).toBeFocused()
  await page.keyboard.press('Escape')

  // A long draft (about 1.5 MB) and a long prompt, as AI tools produce them, are created whole.
  const long = `${'A generated paragraph of the report. '.repeat(40_000)}The end.`
  await open('Long report')
  await content.fill(long)
  await dialog.getByLabel('Prompt').fill('Write the report. '.repeat(1000))
  await create.click()
  await expect(dialog).toBeHidden({ timeout: 20_000 })
  await page.getByRole('button', { name: 'Long report', exact: true }).click()
  // The editor draws what is in view: its end, reached from the keyboard, is the draft's end.
  const editor = page.getByRole('textbox', { name: /^Content of / })
  await editor.click()
  await page.keyboard.press('Control+End')
  await expect(editor).toContainText('The end.', { timeout: 20_000 })
  await page.getByRole('button', { name: '← Back to board' }).click()

  // Enter pressed twice in a row creates one draft, not two. The host's answer to the first is
  // held until the second is pressed, so the second arrives while the draft is being made however
  // fast this machine is. (Once it is made its card has the focus, and Enter there opens it.)
  await open('Once')
  await content.fill('Only one of me.')
  const hold = await holdFirstAnswer(page, 'createOutput')
  await dialog.getByLabel('Title').focus()
  await page.keyboard.press('Enter')
  await expect(dialog.getByRole('button', { name: 'Creating…' })).toBeVisible()
  await page.keyboard.press('Enter')
  await hold.release()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('button', { name: 'Once', exact: true })).toBeFocused()
  // A second create would follow the first's answer at once: give it the time to show.
  await page.waitForTimeout(500)
  expect(hold.asked()).toBe(1)
  await hold.stop()
  await expect(column(page, 'Draft').locator('article.card')).toHaveCount(2)
  await expect(page.locator('article.card', { hasText: 'Once' })).toHaveCount(1)
})
