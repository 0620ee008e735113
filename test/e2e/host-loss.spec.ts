import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startWebServer } from '../../electron/host/bridge.ts'
import { expect, rendererDir, test } from './fixtures/app.ts'
import { firstRun } from './fixtures/screens.ts'

/** The web build's host (the bridge process) stops while the tab stays open (issue 12 #14). */

test('a stopped bridge is shown like any host failure, not as "Synced" or "Starting…"', async ({
  context,
}) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'signoff-e2e-loss-'))
  const bridge = await startWebServer({ port: 0, host: '127.0.0.1', rendererDir, dataDir, version: 'test' })
  try {
    const page = await context.newPage()
    await page.goto(bridge.url)
    await firstRun(page)
    const status = page.getByRole('status', { name: 'Sync status' })
    await expect(status).toContainText('On this device')
    await expect(page.getByRole('alert').filter({ hasText: 'does not answer' })).toHaveCount(0)

    // Settings → Intake is open when the bridge stops (its code is loaded; nothing more can be).
    // Its reads of the inbox, answered before the stop, reach the page only after it: as on a
    // slow machine, where CI once saw a late answer wipe out the words about the stop.
    const held: (() => Promise<void>)[] = []
    await page.route('**/host/inboxStatus', async (route) => {
      const answer = await route.fetch()
      held.push(() => route.fulfill({ response: answer }))
    })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('tab', { name: 'Intake' }).click()
    const intake = page.getByRole('tabpanel', { name: 'Intake' })
    await expect(intake).toContainText('http://127.0.0.1:')
    await expect.poll(() => held.length).toBe(2)

    await bridge.close()
    const alert = page.getByRole('alert').filter({ hasText: 'does not answer' }).first()
    await expect(alert).toContainText(`The Signoff host at 127.0.0.1:${bridge.port} does not answer`, {
      timeout: 15_000,
    })
    await expect(status).toContainText('Host lost')
    // The late answers arrive: the page stays "Host lost" throughout, never flickering back.
    await page.evaluate(`(() => {
      const el = document.querySelector('[aria-label="Sync status"]')
      window.__statusSeen = []
      new MutationObserver(() => window.__statusSeen.push(el.textContent)).observe(el, {
        subtree: true,
        childList: true,
        characterData: true,
      })
    })()`)
    for (const answer of held.splice(0)) await answer()
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)))
    const seen = (await page.evaluate('window.__statusSeen')) as string[]
    expect(seen.filter((text) => !text.includes('Host lost'))).toEqual([])
    await expect(status).toContainText('Host lost')
    // Intake names the failure instead of "Starting…" for ever.
    await expect(intake).toContainText('does not answer', { timeout: 10_000 })
    await expect(intake).not.toContainText('Starting…')
    await page.screenshot({ path: 'test-results/host-lost.png' })
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
})
