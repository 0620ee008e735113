import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import {
  adaWithBea,
  beaOpens,
  connectRelay,
  editor,
  firstRun,
  firstWorkspace,
  newOutput,
  profile,
} from './fixtures/screens.ts'

/**
 * Presence through a real relay: who is looking at which output (board card and header), the
 * other member's named cursor in the editor, and typing that appears live for the other.
 */

const TITLE = 'Launch note'
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

/** `writer` types `typed` after pressing `key`: `reader` sees `expected` and the writer's named caret. */
async function typesAndIsSeen(
  writer: Page,
  key: string,
  typed: string,
  reader: Page,
  expected: string,
  writerName: string,
) {
  await editor(writer).click()
  await writer.keyboard.press(key)
  await writer.keyboard.type(typed)
  await text(reader).toBe(expected)
  await expect(reader.locator('.cm-ySelectionCaret', { hasText: writerName })).toBeAttached({
    timeout: 10_000,
  })
}

test('two members on the same output: avatars on the card and header, named remote cursors, live typing', async ({
  relay,
  openApp,
  newMember,
}, testInfo) => {
  test.setTimeout(60_000)
  const ada = await openApp()
  await firstRun(ada, { name: 'Ada Author' })

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
  await typesAndIsSeen(
    ada,
    'Control+End',
    ' Ada was here.',
    bea,
    'We launch on Monday. Ada was here.',
    'Ada Author',
  )
  await typesAndIsSeen(
    bea,
    'Control+Home',
    'Draft: ',
    ada,
    'Draft: We launch on Monday. Ada was here.',
    'Bea Reviewer',
  )

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

test('Work offline means offline: chosen by keyboard, the teammate sees neither the edit nor the person until back online', async ({
  relay,
  openApp,
  newMember,
}) => {
  test.setTimeout(90_000)
  const { ada, token, beaId } = await adaWithBea(openApp, relay, ['Reviewer'])
  await newOutput(ada, { title: TITLE, content: 'We launch on Monday.', open: true })
  const bea = await beaOpens(newMember, relay.url, token(beaId), TITLE, 'We launch on Monday.')
  await expect(bea.getByRole('img', { name: /^Ada Author/ }).first()).toBeVisible({ timeout: 10_000 })

  // Ada goes offline from the keyboard: focus the switch, Space.
  const offline = ada.getByRole('checkbox', { name: 'Work offline' })
  await offline.focus()
  await ada.keyboard.press('Space')
  await expect(offline).toBeChecked()
  await expect(syncStatus(ada)).toContainText('Offline')
  await expect(syncStatus(ada)).toContainText('Working offline by choice.')
  // Her app (not only this window) is off the relay: Bea no longer sees her.
  await expect(bea.getByRole('img', { name: /^Ada Author/ })).toHaveCount(0, { timeout: 45_000 })

  await editor(ada).click()
  await ada.keyboard.press('Control+End')
  await ada.keyboard.type(' Offline words.')
  await expect(syncStatus(ada)).toContainText('waiting')
  await ada.screenshot({ path: 'test-results/work-offline.png' })
  // Nothing of it reaches Bea while Ada is offline.
  await bea.waitForTimeout(1500)
  await text(bea).toBe('We launch on Monday.')

  // Back online (keyboard again): the words arrive, and so does Ada.
  await offline.focus()
  await ada.keyboard.press('Space')
  await expect(offline).not.toBeChecked()
  await text(bea).toBe('We launch on Monday. Offline words.')
  await expect(bea.getByRole('img', { name: /^Ada Author/ }).first()).toBeVisible({ timeout: 10_000 })
  await expect(syncStatus(ada)).toContainText('Synced', { timeout: 10_000 })
  await expect(syncStatus(ada)).not.toContainText('waiting')
})
