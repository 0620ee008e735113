import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startWebServer } from '../../electron/host/bridge.ts'
import { expect, rendererDir, repoRoot, test } from './fixtures/app.ts'
import { joinWorkspace, newOutput, profile, workspaceOnRelay } from './fixtures/screens.ts'

/**
 * A member's second computer: its own host (own data folder, so its own key) joins as the same
 * member. Its key waits for confirmation and its decisions are refused with the reason until
 * Ada confirms it from her first computer; then it signs like any device.
 */

test.setTimeout(120_000)

test("a member's second device is confirmed from the first, then its decisions count", async ({
  relay,
  openApp,
  browser,
}) => {
  const ada = await openApp()
  const { memberId: adaId, token: tokenFor } = await workspaceOnRelay(ada, relay)
  const token = () => tokenFor(adaId)

  // Her second computer: another host with its own data folder, another browser profile.
  const dataDir = await mkdtemp(join(tmpdir(), 'signoff-e2e-second-'))
  const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string
  }
  const second = await startWebServer({ port: 0, host: '127.0.0.1', rendererDir, dataDir, version })
  const context = await browser.newContext()
  try {
    const laptop = await context.newPage()
    await laptop.goto(second.url)
    await profile(laptop, 'Ada Lovelace')
    await joinWorkspace(laptop, relay.url, token())
    await expect(laptop.getByRole('alert').filter({ hasText: 'Not signing' })).toContainText(
      'Waiting to be confirmed',
      { timeout: 20_000 },
    )

    // A decision from it is refused with the reason, before anything is written.
    await newOutput(laptop, { title: 'Weekly notes', content: 'Decisions: ship on Friday.', open: true })
    const submit = laptop.getByRole('button', { name: 'Submit for review', exact: true })
    await expect(submit).toBeDisabled()
    await expect(
      laptop.getByText(/signing key is not trusted: Waiting to be confirmed/).first(),
    ).toBeVisible()

    // On her first computer, Settings lists the waiting device; she confirms it.
    await ada.getByRole('tab', { name: 'Members' }).click()
    const devices = ada.getByRole('table', { name: 'Device keys' })
    await expect(devices.getByRole('row')).toHaveCount(3, { timeout: 20_000 })
    const waiting = devices.getByRole('row').filter({ hasText: 'Not trusted' })
    await expect(waiting).toContainText('Waiting to be confirmed')
    await waiting.getByRole('button', { name: /^Confirm Ada Lovelace's device/ }).click()
    await expect(ada.getByRole('status').filter({ hasText: /is confirmed\./ })).toBeVisible()
    await expect(devices.getByRole('row').filter({ hasText: 'Not trusted' })).toHaveCount(0)

    // The second computer may now decide, and its decisions count on the first.
    await expect(laptop.getByRole('alert').filter({ hasText: 'Not signing' })).toHaveCount(0, {
      timeout: 20_000,
    })
    await expect(submit).toBeEnabled()
    await submit.click()
    await expect(laptop.getByText('In review', { exact: true })).toBeVisible()
    await ada.getByRole('button', { name: 'Board', exact: true }).click()
    await expect(
      ada
        .getByRole('region', { name: 'In review', exact: true })
        .locator('article', { hasText: 'Weekly notes' }),
    ).toBeVisible({ timeout: 20_000 })
  } finally {
    await context.close()
    await second.close()
    await rm(dataDir, { recursive: true, force: true })
  }
})
