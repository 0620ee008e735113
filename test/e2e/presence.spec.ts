import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { connectRelay, firstWorkspace, profile } from './fixtures/screens.ts'

/**
 * Presence through a real relay: who is looking at which output (board card and header), the
 * other member's named cursor in the editor, and typing that appears live for the other.
 */

const TITLE = 'Launch note'
const editor = (page: Page) => page.getByRole('textbox', { name: /^Content of / })
const syncStatus = (page: Page) => page.getByRole('status', { name: 'Sync status' })
/** The editor's text without the remote carets' name labels (widgets inside the content). */
const text = (page: Page) =>
  expect.poll(
    () =>
      page.evaluate(`(() => {
        const content = document.querySelector('.cm-content')?.cloneNode(true)
        if (!content) return ''
        for (const caret of content.querySelectorAll('.cm-ySelectionCaret')) caret.remove()
        return [...content.querySelectorAll('.cm-line')].map((l) => l.textContent.replace(/\u2060/g, '')).join('\\n')
      })()`),
    { timeout: 10_000 },
  )
const card = (page: Page) => page.locator('article', { hasText: TITLE })

async function openCard(page: Page) {
  await page.getByRole('button', { name: TITLE, exact: true }).click()
  await expect(editor(page)).toBeVisible()
}

test('two members on the same output: avatars on the card and header, named remote cursors, live typing', async ({
  relay,
  openApp,
  newMember,
}, testInfo) => {
  test.setTimeout(60_000)
  const ada = await openApp()
  await profile(ada, 'Ada Author')
  await ada.getByLabel('Workspace name').fill('Acme')
  await ada.getByRole('button', { name: 'Create workspace' }).click()

  // Bea as a member, then Ada on the relay.
  await ada.getByRole('button', { name: 'Settings', exact: true }).click()
  await ada.getByRole('tab', { name: 'Members' }).click()
  const panel = ada.getByRole('tabpanel', { name: 'Members' })
  await panel.getByLabel('Name').fill('Bea Reviewer')
  await panel.getByRole('button', { name: 'Add member' }).click()
  const added = panel.getByRole('status').filter({ hasText: 'Added Bea Reviewer' })
  await expect(added).toContainText(/member id m\w{16}/)
  const beaId = /member id (m\w{16})/.exec((await added.textContent()) ?? '')?.[1]
  if (!beaId) throw new Error('no member id')
  const { workspaceId, memberId: adaId } = await firstWorkspace(ada)
  const token = (memberId: string) => relay.createToken({ workspaceId, memberId, access: 'write' }).token
  await connectRelay(ada, relay.url, token(adaId))

  await ada.getByRole('button', { name: 'Board', exact: true }).click()
  await ada.getByRole('button', { name: 'New output', exact: true }).click()
  const dialog = ada.getByRole('dialog', { name: 'New output' })
  await dialog.getByLabel('Title').fill(TITLE)
  await dialog.getByLabel('Type').selectOption('internal-summary')
  await dialog.getByLabel('Content', { exact: true }).fill('We launch on Monday.')
  await dialog.getByRole('button', { name: 'Create draft' }).click()
  await expect(card(ada)).toBeVisible()

  const bea = await newMember()
  await profile(bea, 'Bea Reviewer')
  await bea.getByLabel('Relay address').fill(relay.url)
  await bea.getByLabel('Invite token').fill(token(beaId))
  await bea.getByRole('button', { name: 'Join workspace' }).click()
  await expect(syncStatus(bea)).toContainText('Synced', { timeout: 20_000 })
  await expect(card(bea)).toBeVisible({ timeout: 20_000 })

  // On the board each sees the other in the header; once Ada opens the output, Bea sees her
  // avatar on its card and in the header with what she is looking at.
  await expect(
    bea.getByRole('list', { name: 'Also here' }).getByRole('img', { name: /^Ada Author/ }),
  ).toBeVisible({
    timeout: 15_000,
  })
  await expect(ada.getByRole('img', { name: 'Bea Reviewer, on the board' })).toBeVisible({ timeout: 15_000 })
  await openCard(ada)
  await expect(card(bea).getByRole('img', { name: 'Ada Author is looking at this' })).toBeVisible({
    timeout: 15_000,
  })
  await expect(bea.getByRole('img', { name: `Ada Author, looking at ${TITLE}` })).toBeVisible()

  // Bea opens it too: Ada's header says so.
  await openCard(bea)
  await expect(ada.getByRole('img', { name: `Bea Reviewer, looking at ${TITLE}` })).toBeVisible({
    timeout: 15_000,
  })

  // Ada types: Bea sees the text live and Ada's named cursor; and the other way round.
  await editor(ada).click()
  await ada.keyboard.press('Control+End')
  await ada.keyboard.type(' Ada was here.')
  await text(bea).toBe('We launch on Monday. Ada was here.')
  await expect(bea.locator('.cm-ySelectionCaret', { hasText: 'Ada Author' })).toBeAttached({
    timeout: 10_000,
  })

  await editor(bea).click()
  await bea.keyboard.press('Control+Home')
  await bea.keyboard.type('Draft: ')
  await text(ada).toBe('Draft: We launch on Monday. Ada was here.')
  await expect(ada.locator('.cm-ySelectionCaret', { hasText: 'Bea Reviewer' })).toBeAttached({
    timeout: 10_000,
  })

  // Bea leaves the output: her cursor goes away and the header says she is on the board.
  await bea.getByRole('button', { name: 'Board', exact: true }).click()
  await expect(ada.locator('.cm-ySelectionCaret', { hasText: 'Bea Reviewer' })).toHaveCount(0, {
    timeout: 10_000,
  })
  await expect(ada.getByRole('img', { name: 'Bea Reviewer, on the board' })).toBeVisible({ timeout: 10_000 })
  await expect(card(bea).getByRole('img', { name: 'Ada Author is looking at this' })).toBeVisible()

  await openCard(bea)
  await editor(bea).click()
  await bea.keyboard.press('Control+End')
  await expect(ada.locator('.cm-ySelectionCaret', { hasText: 'Bea Reviewer' })).toBeAttached({
    timeout: 10_000,
  })
  // Everything typed reached the relay: nothing is left "waiting" on either side.
  for (const page of [ada, bea]) {
    await expect(syncStatus(page)).toContainText('Synced', { timeout: 10_000 })
    await expect(syncStatus(page)).not.toContainText('waiting')
  }
  const shot = testInfo.outputPath('presence.png')
  await ada.screenshot({ path: shot })
  await testInfo.attach('presence', { path: shot, contentType: 'image/png' })
})
