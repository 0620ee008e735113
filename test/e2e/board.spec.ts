import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { firstRun } from './fixtures/screens.ts'

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

  // The Move menu (M) lists every move, disabled ones with the rules' reason.
  await page.getByRole('button', { name: 'Weekly digest', exact: true }).focus()
  await page.keyboard.press('m')
  const menu = page.getByRole('dialog', { name: 'Move “Weekly digest”' })
  await expect(menu.getByRole('menuitem', { name: /Approve/ })).toHaveAttribute('aria-disabled', 'true')
  await expect(menu).toContainText(
    '1 checklist item still needs a judgement on this version: Matches the source.',
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
