import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { startWebServer } from '../../electron/host/bridge.ts'
import { outputDocName } from '../../shared/docnames.ts'
import { OutputDoc } from '../../shared/domain/output.ts'
import { Workspace } from '../../shared/domain/workspace.ts'
import { openWindow } from '../integration/host/window-link.ts'
import { waitFor } from '../integration/relay/helpers.ts'
import { expect, rendererDir, test } from './fixtures/app.ts'
import { firstRun, firstWorkspace, newOutput } from './fixtures/screens.ts'

/** Windows are clients of the host (issue 16): every document syncs with the host's replica. */

const card = (page: Page, title: string) => page.getByRole('button', { name: title, exact: true })
const savedState = (page: Page) => page.getByRole('status', { name: 'Saved state' })

test('two windows on one workspace kept on this device see each other’s edits and presence through the host', async ({
  openApp,
}) => {
  const first = await openApp()
  await firstRun(first, { name: 'Ada Author' })
  await newOutput(first, { title: 'Launch note' })
  await expect(savedState(first)).toHaveText('Saved')

  // A second window of the same app: same storage, but y-indexeddb does not tell one tab of
  // another's writes; what it sees live comes from the host.
  const second = await openApp()
  await expect(card(second, 'Launch note')).toBeVisible()
  await newOutput(second, { title: 'From the second window' })
  await expect(card(first, 'From the second window')).toBeVisible()
  await expect(savedState(second)).toHaveText('Saved')

  // Each sees the other window in the header.
  for (const page of [first, second])
    await expect(
      page.getByRole('list', { name: 'Also here' }).getByRole('img', { name: /^Ada Author/ }),
    ).toBeVisible({ timeout: 15_000 })
  await first.screenshot({ path: 'test-results/host-windows.png' })

  // The second window goes: its presence goes with it.
  await second.close()
  await expect(first.getByRole('list', { name: 'Also here' }).getByRole('img')).toHaveCount(0, {
    timeout: 15_000,
  })
})

test('an installation whose host never kept its workspaces: the window’s storage is imported into the app’s log, nothing lost, and it says so', async ({
  context,
}) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'signoff-e2e-import-'))
  let bridge = await startWebServer({ port: 0, rendererDir, dataDir, version: 'test' })
  try {
    const page = await context.newPage()
    await page.goto(bridge.url)
    await firstRun(page)
    await newOutput(page, { title: 'Launch note', content: 'We launch on Monday.' })
    await newOutput(page, { title: 'Release notes', content: 'Faster boards.' })
    await expect(savedState(page)).toHaveText('Saved')
    const { workspaceId } = await firstWorkspace(page)

    // Before this change the host kept nothing: no log, and the window had never copied anything.
    const port = bridge.port
    await bridge.close()
    await rm(join(dataDir, 'replicas'), { recursive: true, force: true })
    await page.evaluate(`(() => {
      for (const key of Object.keys(localStorage)) if (key.startsWith('signoff.host')) localStorage.removeItem(key)
    })()`)
    bridge = await startWebServer({ port, rendererDir, dataDir, version: 'test' })
    // (A new run has a new secret: the page is opened again at the URL it printed.)
    await page.goto('about:blank')
    await page.goto(bridge.url)
    await expect(
      page.getByText("Imported 1 workspace from this window's storage into the app's log."),
    ).toBeVisible({ timeout: 20_000 })
    await page.screenshot({ path: 'test-results/host-import.png' })

    // The host's log now holds the workspace and both outputs, content included: read it as a
    // fresh window (no storage of its own) would.
    const ws = openWindow(bridge.origin, bridge.secret, workspaceId)
    try {
      await waitFor(() => ws.link.state.synced, 'the workspace from the host')
      const workspace = new Workspace(ws.doc, { migrate: false })
      const rows = workspace.allSummaries()
      expect(rows.map((r) => r.title).sort()).toEqual(['Launch note', 'Release notes'])
      for (const row of rows) {
        const out = openWindow(bridge.origin, bridge.secret, outputDocName(workspaceId, row.id))
        try {
          await waitFor(() => out.link.state.synced, 'an output from the host')
          expect(new OutputDoc(out.doc, { migrate: false }).content.toString()).toBe(
            row.title === 'Launch note' ? 'We launch on Monday.' : 'Faster boards.',
          )
        } finally {
          out.close()
        }
      }
    } finally {
      ws.close()
    }
    // Told once: the next start has nothing to import.
    await page.reload()
    await expect(card(page, 'Launch note')).toBeVisible()
    await expect(page.getByText(/Imported \d+ workspace/)).toHaveCount(0)
  } finally {
    await bridge.close()
    await rm(dataDir, { recursive: true, force: true })
  }
})

test('Settings → General: keep running in the background, kept by the host', async ({ openApp }) => {
  const page = await openApp()
  await firstRun(page)
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByRole('tab', { name: 'General' }).click()
  const panel = page.getByRole('tabpanel', { name: 'General' })
  const keep = panel.getByRole('checkbox', { name: 'Keep running in the background' })
  await expect(keep).toBeEnabled()
  await expect(keep).not.toBeChecked()
  await keep.check()
  await expect(keep).toBeChecked()
  await expect(panel).toContainText('this applies to the desktop app')
  await page.screenshot({ path: 'test-results/general-settings.png' })
  await page.reload()
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByRole('tab', { name: 'General' }).click()
  await expect(
    page
      .getByRole('tabpanel', { name: 'General' })
      .getByRole('checkbox', { name: 'Keep running in the background' }),
  ).toBeChecked()
})
