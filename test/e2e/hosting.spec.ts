import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startWebServer, type WebServer } from '../../electron/host/bridge.ts'
import { createHost } from '../../electron/host/index.ts'
import { test as base, expect, rendererDir } from './fixtures/app.ts'
import { addMember, firstRun } from './fixtures/screens.ts'

/**
 * The app's hosted relay runs in a worker thread (sync-server/thread-relay.ts). When an error
 * escapes it, only that thread ends: the person is told, Settings says why, and hosting starts
 * again. This bridge's host runs a relay thread that fails at the first invite.
 */
const test = base.extend<{ bridge: WebServer }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  bridge: async ({}, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'signoff-e2e-hosting-'))
    const host = createHost({
      shell: 'web',
      version: 'test',
      dataDir,
      relayThreadEntry: join(import.meta.dirname, 'fixtures/crash-on-invite-thread.ts'),
    })
    const bridge = await startWebServer({ port: 0, host: '127.0.0.1', rendererDir, dataDir, hostApi: host })
    await use(bridge)
    await bridge.close()
    await host.close()
    await rm(dataDir, { recursive: true, force: true })
  },
})

test('a hosted relay that fails is said in words, in the window and in Settings, and hosting starts again', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page)
  await addMember(page, 'Bea Reviewer', ['Reviewer'])
  await page.getByRole('tab', { name: 'Sync & hosting' }).click()
  await page.getByLabel('Port').fill('0')
  await page.getByRole('button', { name: 'Start hosting' }).click()
  await expect(page.getByRole('button', { name: 'Stop hosting' })).toBeVisible()
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced')

  // The first invite makes an error escape the relay's thread.
  await page.getByRole('button', { name: 'Create invite for Bea Reviewer' }).click()
  const notices = page.getByRole('region', { name: 'Notices' })
  await expect(notices).toContainText(
    'Hosting stopped on this device: boom in the relay. Teammates cannot sync through it until you start hosting again in Settings → Sync.',
  )
  // Settings shows it at once, with the reason, and the way back.
  const start = page.getByRole('button', { name: 'Start hosting' })
  await expect(start).toBeVisible()
  await expect(page.getByText(/^The relay stopped: boom in the relay\. Start hosting again/)).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('hosting-stopped.png'), fullPage: true })

  // The app itself went on; hosting starts again and the device syncs through it.
  await start.click()
  await expect(page.getByRole('button', { name: 'Stop hosting' })).toBeVisible()
  await expect(page.getByText(/^The relay stopped/)).toHaveCount(0)
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced')
})
