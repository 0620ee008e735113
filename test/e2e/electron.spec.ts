import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ElectronApplication, _electron as electron, expect, type Page, test } from '@playwright/test'
import { hostEventNames, hostMethodNames } from '../../shared/host/api.ts'
import { repoRoot } from './fixtures/app.ts'
import { ELECTRON_SKIP_REASON, electronBinary } from './fixtures/electron.ts'

// Page code is passed as strings: the e2e tests are type-checked without the DOM library.
const binary = electronBinary()
if (!binary) console.log(`Skipping the Electron tests: ${ELECTRON_SKIP_REASON}.`)

test.describe('the Electron shell', () => {
  test.skip(!binary, ELECTRON_SKIP_REASON)
  test.describe.configure({ mode: 'serial' })

  let app: ElectronApplication
  let page: Page
  let userData: string

  test.beforeAll(async () => {
    if (!binary) return
    userData = mkdtempSync(join(tmpdir(), 'signoff-electron-'))
    app = await electron.launch({
      executablePath: binary,
      // Root in a container cannot use Chromium's OS sandbox; the renderer sandbox still applies.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), join(repoRoot, 'out/main/index.js')],
      cwd: repoRoot,
      env: { ...process.env, SIGNOFF_USER_DATA: userData },
    })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  })
  test.afterAll(async () => {
    await app?.close().catch(() => {})
    if (userData) rmSync(userData, { recursive: true, force: true })
  })

  test('the window follows the security checklist', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      // Exists at runtime in every Electron since 9, though missing from its type declarations.
      const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as
        | { getLastWebPreferences(): Electron.WebPreferences | null }
        | undefined
      const p = contents?.getLastWebPreferences()
      return {
        sandbox: p?.sandbox,
        contextIsolation: p?.contextIsolation,
        nodeIntegration: p?.nodeIntegration,
        webviewTag: p?.webviewTag,
        webSecurity: p?.webSecurity,
      }
    })
    expect(prefs).toEqual({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    })
    expect(page.url()).toMatch(/^signoff:\/\/app\//)
  })

  test('the page has no Node and exactly the host API', async () => {
    expect(await page.evaluate('typeof require')).toBe('undefined')
    expect(await page.evaluate('typeof process')).toBe('undefined')
    expect(await page.evaluate('typeof window.ipcRenderer')).toBe('undefined')
    const names = (await page.evaluate('Object.keys(window.signoffHost).sort()')) as string[]
    expect(names).toEqual([...hostMethodNames, ...hostEventNames].sort())
    expect(await page.evaluate('window.signoffHost.appInfo().then((i) => i.shell)')).toBe('electron')
  })

  test('the page is served with the strict CSP header', async () => {
    const csp = await page.evaluate(
      'fetch(location.href).then((r) => r.headers.get("content-security-policy"))',
    )
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
  })

  test('the main process refuses invalid arguments', async () => {
    const outcome = await page.evaluate(
      'window.signoffHost.openExternal(42).then(() => "accepted", (e) => String(e && e.message))',
    )
    expect(outcome).toMatch(/Invalid argument for openExternal/)
    const unsafe = await page.evaluate('window.signoffHost.openExternal("file:///etc/passwd")')
    expect(unsafe).toMatchObject({ opened: false })
  })

  test('hosting starts the relay in its worker thread inside Electron’s main process, and stops it', async () => {
    const started = (await page.evaluate(
      'window.signoffHost.startHosting({ workspaceId: "w1", memberId: "admin", port: 0, lan: false })',
    )) as { running: boolean; url: string }
    expect(started.running).toBe(true)
    expect(started.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    expect(await page.evaluate('window.signoffHost.listInvites("w1").then((l) => l.length)')).toBe(1)
    expect(await page.evaluate('window.signoffHost.stopHosting(undefined).then((s) => s.running)')).toBe(
      false,
    )
  })

  test('navigation away and new windows are denied', async () => {
    const before = page.url()
    await page.evaluate('location.href = "https://example.com/"')
    await page.waitForTimeout(500)
    expect(page.url()).toBe(before)
    expect(await page.evaluate('window.open("data:text/html,hi") === null')).toBe(true)
    expect(app.windows()).toHaveLength(1)
  })

  test('the app’s own page gets notifications; other permissions stay denied', async () => {
    expect(await page.evaluate('Notification.requestPermission()')).toBe('granted')
    expect(
      await page.evaluate('navigator.permissions.query({ name: "geolocation" }).then((p) => p.state)'),
    ).toBe('denied')
  })

  test('menu commands reach the renderer', async () => {
    await page.evaluate(
      'window.__commands = []; window.signoffHost.onMenuCommand((c) => window.__commands.push(c))',
    )
    const labels = await app.evaluate(
      ({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label) ?? [],
    )
    expect(labels).toEqual(expect.arrayContaining(['File', 'Edit', 'View']))
    await app.evaluate(({ Menu, BrowserWindow }) => {
      const item = Menu.getApplicationMenu()?.getMenuItemById('signoff:new-output')
      const window = BrowserWindow.getAllWindows()[0]
      item?.click(undefined, window, window?.webContents)
    })
    await expect.poll(() => page.evaluate('window.__commands')).toEqual(['new-output'])
  })

  test('pending writes are flushed before quit', async () => {
    const flushed = page.waitForEvent('console', { predicate: (m) => m.text() === 'signoff-e2e: flushed' })
    // A slow flush: the app must wait for it rather than quit under it.
    await page.evaluate(
      'window.signoffHost.onBeforeQuit(() => new Promise((r) => setTimeout(() => { console.log("signoff-e2e: flushed"); r() }, 300)))',
    )
    const closing = app.close()
    await flushed
    await closing
  })
})
