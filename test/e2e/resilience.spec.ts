import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { type Relay, startRelay } from '../../sync-server/index.ts'
import { expect, test } from './fixtures/app.ts'
import { addMember, editor, profile } from './fixtures/screens.ts'

/**
 * Bad input (issue 4): a corrupted local database, a relay that goes down or refuses the token,
 * dropped files that are too big or not text. The person sees a clear message, the app keeps
 * working locally, and nothing already written is lost.
 */

const syncStatus = (page: Page) => page.getByRole('status', { name: 'Sync status' })
const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true })

async function createWorkspace(page: Page, name: string) {
  await page.getByLabel('Workspace name').fill(name)
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible()
}

/** Ada's first run: her profile, then the workspace "Acme". */
async function adaInAcme(openApp: () => Promise<Page>): Promise<Page> {
  const page = await openApp()
  await profile(page, 'Ada Lovelace')
  await createWorkspace(page, 'Acme')
  return page
}

async function newOutput(page: Page, title: string, content: string) {
  await page.getByRole('button', { name: 'New output', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'New output' })
  await dialog.getByLabel('Title').fill(title)
  await dialog.getByLabel('Type').selectOption('internal-summary')
  await dialog.getByLabel('Content', { exact: true }).fill(content)
  await dialog.getByRole('button', { name: 'Create draft' }).click()
  await expect(column(page, 'Draft')).toContainText(title)
}

async function openCard(page: Page, title: string) {
  await page.getByRole('button', { name: title, exact: true }).click()
  await expect(editor(page)).toBeVisible()
}

async function backToBoard(page: Page) {
  await page.getByRole('button', { name: 'Board', exact: true }).click()
  await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible()
}

async function workspaceIds(page: Page): Promise<{ id: string; memberId: string }[]> {
  return (await page.evaluate(
    `JSON.parse(localStorage.getItem('signoff.workspaces') || '[]').map((e) => ({ id: e.id, memberId: e.memberId }))`,
  )) as { id: string; memberId: string }[]
}

/** Wait until IndexedDB has written what the app wrote (y-indexeddb writes asynchronously). */
async function settle(page: Page) {
  await page.waitForTimeout(500)
}

test('a corrupted workspace database: the person is told, the app works in memory, intact data survives and the broken store is kept', async ({
  openApp,
}) => {
  const page = await adaInAcme(openApp)
  await newOutput(page, 'Kept note', 'Written before the damage.')
  await openCard(page, 'Kept note')
  await backToBoard(page)
  // A second workspace whose database stays intact.
  await page.getByLabel('Workspace', { exact: true }).selectOption({ label: 'New or join workspace…' })
  await createWorkspace(page, 'Beta')
  await newOutput(page, 'Beta plan', 'Untouched workspace.')
  await settle(page)
  const [acme, beta] = await workspaceIds(page)
  if (!acme || !beta) throw new Error('expected two workspaces')

  // Damage Acme's workspace store: garbage after the good updates (a non-Uint8Array and bytes
  // that are not a Yjs update).
  const damage = `new Promise((resolve, reject) => {
    const req = indexedDB.open(${JSON.stringify(`signoff:${acme.id}`)})
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const db = req.result
      const tx = db.transaction(['updates'], 'readwrite')
      const store = tx.objectStore('updates')
      store.add('not an update at all')
      store.add(new Uint8Array([255, 254, 253, 252, 251, 250, 1, 2, 3]))
      tx.oncomplete = () => { db.close(); resolve(true) }
      tx.onerror = () => reject(tx.error)
    }
  })`
  await page.evaluate(damage)
  await page.reload()

  // A clear message, and the app opens.
  const banner = page.getByRole('alert').filter({ hasText: 'damaged' })
  await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible({ timeout: 15_000 })
  await page.getByLabel('Workspace', { exact: true }).selectOption({ label: 'Acme' })
  await expect(banner).toBeVisible({ timeout: 10_000 })
  await expect(banner).toContainText('kept')
  // What was readable is still there: the output and its document.
  await expect(column(page, 'Draft')).toContainText('Kept note')
  await openCard(page, 'Kept note')
  await expect(editor(page)).toContainText('Written before the damage.')
  await backToBoard(page)
  // It keeps working locally.
  await newOutput(page, 'After the damage', 'Still working.')

  // The other workspace is intact.
  await page.getByLabel('Workspace', { exact: true }).selectOption({ label: 'Beta' })
  await expect(column(page, 'Draft')).toContainText('Beta plan')
  await expect(page.getByRole('alert').filter({ hasText: 'damaged' })).toHaveCount(0)

  // The broken store was kept for recovery, not wiped or appended to.
  const kept = (await page.evaluate(`new Promise((resolve) => {
    const req = indexedDB.open(${JSON.stringify(`signoff:${acme.id}`)})
    req.onsuccess = () => {
      const db = req.result
      const get = db.transaction(['updates']).objectStore('updates').getAll()
      get.onsuccess = () => { db.close(); resolve(get.result.map((v) => typeof v === 'string' ? v : 'bytes')) }
    }
  })`)) as string[]
  expect(kept).toContain('not an update at all')
})

test('deleted object stores (a database from elsewhere) are reported, not fatal', async ({ openApp }) => {
  const page = await adaInAcme(openApp)
  await newOutput(page, 'Kept note', 'Output documents live in their own databases.')
  await settle(page)
  const [acme] = await workspaceIds(page)
  if (!acme) throw new Error('no workspace')
  await page.evaluate(`new Promise((resolve, reject) => {
    const first = indexedDB.open(${JSON.stringify(`signoff:${acme.id}`)})
    first.onsuccess = () => {
      const version = first.result.version
      first.result.close()
      const req = indexedDB.open(${JSON.stringify(`signoff:${acme.id}`)}, version + 1)
      req.onupgradeneeded = () => { for (const n of [...req.result.objectStoreNames]) req.result.deleteObjectStore(n) }
      req.onsuccess = () => { req.result.close(); resolve(true) }
      req.onerror = () => reject(req.error)
    }
  })`)
  await page.reload()
  await expect(page.getByRole('alert').filter({ hasText: 'damaged' })).toBeVisible({ timeout: 10_000 })
  // The workspace document is gone from this device, but the app works: a new workspace can be
  // created and used.
  await page.getByLabel('Workspace', { exact: true }).selectOption({ label: 'New or join workspace…' })
  await createWorkspace(page, 'Fresh')
  await newOutput(page, 'Fresh note', 'Works.')
})

test.describe('through a relay', () => {
  let relay: Relay
  let relayDir: string
  test.beforeEach(async () => {
    relayDir = await mkdtemp(join(tmpdir(), 'signoff-resilience-'))
    relay = await startRelay({ port: 0, dataDir: relayDir })
  })
  test.afterEach(async () => {
    await relay.close()
    await rm(relayDir, { recursive: true, force: true })
  })

  async function joinForm(page: Page, url: string, token: string) {
    await page.getByLabel('Relay address').fill(url)
    await page.getByLabel('Invite token').fill(token)
    await page.getByRole('button', { name: 'Join workspace' }).click()
  }

  test('relay goes down: offline with changes waiting, editing continues, restart reconnects and the other member gets the edits', async ({
    openApp,
    newMember,
  }) => {
    test.setTimeout(90_000)
    const ada = await openApp()
    await profile(ada, 'Ada Author')
    await createWorkspace(ada, 'Acme')
    const beaId = await addMember(ada, 'Bea Reviewer', ['Author', 'Reviewer'])
    const [acme] = await workspaceIds(ada)
    if (!acme) throw new Error('no workspace')
    const token = (memberId: string) =>
      relay.createToken({ workspaceId: acme.id, memberId, access: 'write' }).token
    await ada.getByRole('tab', { name: 'Sync & hosting' }).click()
    await ada.getByLabel('Relay address').fill(relay.url)
    await ada.getByLabel('Your token on that relay').fill(token(acme.memberId))
    await ada.getByRole('button', { name: 'Connect', exact: true }).click()
    await expect(syncStatus(ada)).toContainText('Synced', { timeout: 20_000 })
    await backToBoard(ada)
    await newOutput(ada, 'Launch note', 'Before the outage.')

    const bea = await newMember()
    await profile(bea, 'Bea Reviewer')
    await joinForm(bea, relay.url, token(beaId))
    await expect(syncStatus(bea)).toContainText('Synced', { timeout: 20_000 })
    await expect(column(bea, 'Draft')).toContainText('Launch note', { timeout: 20_000 })

    await openCard(ada, 'Launch note')
    await expect(editor(ada)).toContainText('Before the outage.')
    await expect(syncStatus(ada)).toContainText('Synced', { timeout: 20_000 })

    // The relay goes down.
    const { port } = relay
    await relay.close()
    await expect(syncStatus(ada)).toContainText('Offline', { timeout: 15_000 })
    await expect(ada.getByRole('alert').filter({ hasText: 'Cannot reach the relay' })).toContainText(
      'Your work is kept on this device',
      { timeout: 15_000 },
    )
    await expect(ada.getByLabel('Notices')).toContainText('Cannot reach the relay')

    // Ada keeps editing; the status counts what waits.
    await editor(ada).click()
    await ada.keyboard.press('Control+End')
    await ada.keyboard.type(' Written while the relay was down.')
    await expect(editor(ada)).toContainText('Written while the relay was down.')
    await expect(syncStatus(ada)).toContainText(/\d+ changes? waiting/)

    // The relay comes back on the same port and data: Ada reconnects, nothing waits any more.
    relay = await startRelay({ port, dataDir: relayDir })
    await expect(syncStatus(ada)).toContainText('Synced', { timeout: 20_000 })
    await expect(syncStatus(ada)).not.toContainText('waiting')
    await expect(ada.getByRole('alert').filter({ hasText: 'Cannot reach the relay' })).toHaveCount(0)
    // The notice said the same: it goes once the app is synced again (issue 12 #10).
    await expect(ada.getByLabel('Notices')).not.toContainText('Cannot reach the relay')

    // Bea gets the edits made during the outage.
    await expect(syncStatus(bea)).toContainText('Synced', { timeout: 20_000 })
    await openCard(bea, 'Launch note')
    await expect(editor(bea)).toContainText('Written while the relay was down.', { timeout: 20_000 })
  })

  test('join refused: revoked token and unreachable relay say so in the form and create nothing', async ({
    openApp,
  }) => {
    const page = await openApp()
    await profile(page, 'Cy Approver')
    const { id, token } = relay.createToken({ workspaceId: 'wsRevoked', memberId: 'mCy', access: 'write' })
    expect(relay.revokeToken(id)).toBe(true)

    await joinForm(page, relay.url, token)
    await expect(page.getByRole('alert')).toContainText('refused this invite token')
    await expect(page.getByRole('alert')).toContainText('revoked')
    // The button was busy while the relay was asked; the keyboard focus stayed on it.
    await expect(page.getByRole('button', { name: 'Join workspace' })).toBeFocused()

    // Nothing listens on this port (the relay's port after it closed).
    const down = await startRelay({ port: 0, dataDir: join(relayDir, 'down') })
    const deadUrl = down.url
    await down.close()
    await joinForm(page, deadUrl, 'any-token')
    await expect(page.getByRole('alert')).toContainText(`Cannot reach the relay at ${deadUrl}`)

    // Not a relay address at all.
    await joinForm(page, 'http://example.invalid', 'any-token')
    await expect(page.getByRole('alert')).toHaveText(
      'A relay address starts with ws:// or wss://, such as ws://192.168.1.20:4455.',
    )
    // Not an address, and no token: said in words; the field refused is marked and takes the focus.
    await joinForm(page, 'not a url', 'any-token')
    const notUrl =
      '“not a url” is not a relay address: one looks like ws://192.168.1.20:4455 or wss://relay.example.com.'
    await expect(page.getByRole('alert')).toHaveText(notUrl)
    await expect(page.getByLabel('Relay address')).toBeFocused()
    await expect(page.getByLabel('Relay address')).toHaveAccessibleDescription(notUrl)
    await joinForm(page, relay.url, ' ')
    await expect(page.getByRole('alert')).toHaveText('Paste the invite token your teammate gave you.')
    await expect(page.getByLabel('Invite token')).toBeFocused()
    await expect(page.getByLabel('Invite token')).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByLabel('Relay address')).not.toHaveAttribute('aria-invalid', 'true')

    expect(await workspaceIds(page)).toEqual([])
    await expect(page.getByRole('button', { name: 'Join workspace' })).toBeVisible()
  })
})

async function dropFile(page: Page, name: string, make: string, mime: string) {
  const dt = await page.evaluateHandle(
    `(() => { const dt = new DataTransfer(); dt.items.add(new File([${make}], ${JSON.stringify(name)}, { type: ${JSON.stringify(mime)} })); return dt })()`,
  )
  await page.dispatchEvent('main', 'dragover', { dataTransfer: dt })
  await page.dispatchEvent('main', 'drop', { dataTransfer: dt })
}

test('dropped files: huge, not UTF-8, or not a text type are refused with a clear notice', async ({
  openApp,
}) => {
  // (A binary file with NUL bytes is covered in board.spec.ts.)
  const page = await adaInAcme(openApp)
  const notices = page.getByLabel('Notices')
  const dialog = page.getByRole('dialog', { name: 'New output' })

  await dropFile(
    page,
    'huge.md',
    `new Uint8Array(${Math.round(2.5 * 1024 * 1024)}).fill(65)`,
    'text/markdown',
  )
  await expect(notices).toContainText('"huge.md" is 2.5 MB; drafts can be at most 2 MB.')
  await expect(dialog).toBeHidden()

  await dropFile(page, 'latin1.txt', 'new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0xff])', 'text/plain')
  await expect(notices).toContainText('"latin1.txt": It is not valid UTF-8 text')

  await dropFile(page, 'photo.png', 'new Uint8Array([0x89, 0x50, 0x4e, 0x47])', 'image/png')
  await expect(notices).toContainText('"photo.png" is not a text draft')
  await expect(dialog).toBeHidden()

  // The app still works: a good file still becomes a draft.
  await dropFile(page, 'ok.md', 'new TextEncoder().encode("# Fine\\n\\nText.")', 'text/markdown')
  await expect(dialog.getByLabel('Title')).toHaveValue('Fine')
})
