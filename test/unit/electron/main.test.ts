// The main process, run under vitest against a stand-in `electron` module (fake-electron.ts) and a
// stand-in host (main-harness.ts): the real index.ts wires windows, sessions, IPC and host events,
// and each test raises what Electron would raise and checks the answer (second instances, the app
// protocol and quitting: main-lifecycle.test.ts). The Electron-only Playwright spec
// (test/e2e/electron.spec.ts) checks the same in the real binary.
import { describe, expect, it, vi } from 'vitest'
import { hostChannel, hostMethodNames } from '../../../shared/host/api.ts'
import { HOST_EVENT_CHANNEL } from '../../../shared/host/events.ts'
import {
  electron,
  FakeBrowserWindow,
  FakeFrame,
  FakeNotification,
  type FakeWebContents,
  fakeEvent,
} from './fake-electron.ts'
import { hostState, invoke, mainWindow, startMain, tick, windows } from './main-harness.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)
vi.mock('../../../electron/host/index.ts', async () => (await import('./main-harness.ts')).fakeHost)

startMain()

describe('windows', () => {
  it('every window gets the secure web preferences and the sandboxed preload', () => {
    expect(windows()).toHaveLength(1)
    for (const window of FakeBrowserWindow.all) {
      const prefs = window.options.webPreferences ?? {}
      expect(prefs).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
      })
      expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/)
      expect(prefs).not.toHaveProperty('enableBlinkFeatures')
      expect(prefs).not.toHaveProperty('disableBlinkFeatures')
      expect(window.loadedUrl).toBe('signoff://app/index.html')
    }
  })

  it('refuses navigation, redirects and frame navigation away from the app, in every web contents', () => {
    const contents = mainWindow().webContents
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of [
        'https://evil.example/',
        'file:///etc/passwd',
        'signoff://other/x',
        'javascript:1',
      ]) {
        const event = fakeEvent({ url })
        contents.emit(name, event)
        expect(event.defaultPrevented, `${name} ${url}`).toBe(true)
      }
      const inside = fakeEvent({ url: 'signoff://app/index.html#/board' })
      contents.emit(name, inside)
      expect(inside.defaultPrevented).toBe(false)
    }
  })

  it('refuses every webview and new window; only a checked http(s) link opens outside', async () => {
    const contents = mainWindow().webContents
    const webview = fakeEvent()
    contents.emit('will-attach-webview', webview, {}, {})
    expect(webview.defaultPrevented).toBe(true)
    const tries = [
      'https://example.com/doc',
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'signoff://app/index.html',
      'https://user:pw@example.com/',
      'smb://share/x',
      'not a url',
    ]
    for (const url of tries) expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' })
    await tick()
    expect(electron.shell.opened).toEqual(['https://example.com/doc', 'http://example.com/'])
  })

  it('hardens web contents the app did not make itself', () => {
    const stray = new (mainWindow().webContents.constructor as new () => FakeWebContents)()
    electron.app.emit('web-contents-created', fakeEvent(), stray)
    const event = fakeEvent({ url: 'https://evil.example/' })
    stray.emit('will-navigate', event)
    expect(event.defaultPrevented).toBe(true)
    expect(stray.windowOpenHandler?.({ url: 'https://x.example/' })).toEqual({ action: 'deny' })
  })

  it('reloads a crashed renderer with a notice, and asks after repeated crashes', async () => {
    const window = mainWindow()
    const shown = electron.dialog.shown.length
    window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 })
    expect(window.webContents.reloads).toBe(1)
    expect(electron.dialog.shown.length).toBe(shown + 1)
    for (let i = 0; i < 3; i++)
      window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'oom', exitCode: 1 })
    expect(window.webContents.reloads).toBe(3)
    electron.dialog.response = 0
    await tick()
    const last = electron.dialog.shown.at(-1)?.[1] as { buttons: string[] }
    expect(last.buttons).toEqual(['Reload', 'Close window'])
    expect(window.webContents.reloads).toBe(4)
  })
})

describe('the session', () => {
  const session = electron.session.defaultSession
  const request = (permission: string, requestingUrl: string, isMainFrame = true) =>
    new Promise<boolean>((resolve) =>
      (session.permissionRequest as never as (...a: unknown[]) => void)({}, permission, resolve, {
        requestingUrl,
        isMainFrame,
      }),
    )
  const check = (permission: string, origin: string, isMainFrame = true) =>
    (session.permissionCheck as never as (...a: unknown[]) => boolean)({}, permission, origin, {
      isMainFrame,
      requestingUrl: origin,
    })

  it('grants clipboard write and notifications to the app’s own top frame only', async () => {
    expect(await request('clipboard-sanitized-write', 'signoff://app/index.html')).toBe(true)
    expect(await request('notifications', 'signoff://app/index.html')).toBe(true)
    expect(check('clipboard-sanitized-write', 'signoff://app')).toBe(true)
    expect(check('notifications', 'signoff://app')).toBe(true)
    expect(await request('notifications', 'https://evil.example/')).toBe(false)
    expect(await request('clipboard-sanitized-write', 'signoff://app/index.html', false)).toBe(false)
    expect(check('notifications', 'https://evil.example')).toBe(false)
  })

  it('denies every other permission and every device', async () => {
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'hid', 'openExternal', 'midi'])
      expect(await request(permission, 'signoff://app/index.html')).toBe(false)
    expect(check('media', 'signoff://app')).toBe(false)
    expect((session.devicePermission as never as () => boolean)()).toBe(false)
  })

  it('sends the production CSP on every response and never downloads dictionaries', async () => {
    const headers = await new Promise<Record<string, string[]>>((resolve) =>
      (session.headersReceived as never as (...a: unknown[]) => void)(
        { responseHeaders: { 'Content-Security-Policy': ['script-src *'], 'X-Other': ['1'] } },
        (r: { responseHeaders: Record<string, string[]> }) => resolve(r.responseHeaders),
      ),
    )
    expect(headers['Content-Security-Policy']?.[0]).toMatch(/script-src 'self';/)
    expect(headers['X-Other']).toEqual(['1'])
    expect(session.dictionaryUrl).toMatch(/\.invalid\//)
    expect(session.spellCheckerEnabled).toBe(process.platform !== 'linux')
  })
})

describe('host IPC', () => {
  it('registers one handler per host method', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(hostMethodNames.map(hostChannel).sort())
  })

  it('passes a call from the app’s own top frame with a valid argument to the host', async () => {
    const frame = mainWindow().webContents.mainFrame
    await expect(invoke('deviceKey', { workspaceId: 'w1', memberId: 'm1' }, frame)).resolves.toEqual({
      from: 'deviceKey',
    })
    expect(hostState.calls.at(-1)).toEqual({
      name: 'deviceKey',
      input: { workspaceId: 'w1', memberId: 'm1' },
    })
  })

  it('refuses calls from a foreign frame, a subframe or no frame, and bad arguments', async () => {
    const calls = hostState.calls.length
    const top = mainWindow().webContents.mainFrame
    const input = { workspaceId: 'w1', memberId: 'm1' }
    await expect(invoke('deviceKey', input, new FakeFrame('signoff://app/index.html'))).rejects.toThrow(
      /Refused/,
    )
    await expect(invoke('deviceKey', input, new FakeFrame('signoff://app/index.html', top))).rejects.toThrow(
      /Refused/,
    )
    await expect(invoke('deviceKey', input, null)).rejects.toThrow(/Refused/)
    const navigated = top.url
    top.url = 'https://evil.example/'
    await expect(invoke('deviceKey', input, top)).rejects.toThrow(/Refused/)
    top.url = navigated
    await expect(invoke('deviceKey', { workspaceId: '../../x', memberId: 'm1' }, top)).rejects.toThrow(
      /Invalid argument/,
    )
    await expect(invoke('openExternal', { url: 'x' }, top)).rejects.toThrow(/Invalid argument/)
    await expect(invoke('appInfo', 'extra', top)).rejects.toThrow(/Invalid argument/)
    expect(hostState.calls.length).toBe(calls)
  })
})

describe('notifications', () => {
  it('are shown by the main process where the OS supports them, one per tag, and a click shows the window', () => {
    const notify = hostState.options?.notify
    if (!notify) throw new Error('main gave the host no notify')
    expect(notify({ title: 'Assigned to you', body: 'Q3 post', tag: 'a' })).toBe(true)
    const first = FakeNotification.shown.at(-1)
    expect(first?.options).toEqual({ title: 'Assigned to you', body: 'Q3 post' })
    expect(notify({ title: 'Assigned to you', body: 'Q3 post, again', tag: 'a' })).toBe(true)
    expect(first?.closed).toBe(true)
    const focused = mainWindow().focusCount
    FakeNotification.shown.at(-1)?.emit('click')
    expect(mainWindow().focusCount).toBe(focused + 1)
    FakeNotification.supported = false
    expect(notify({ title: 'x', body: 'y', tag: 'b' })).toBe(false)
    FakeNotification.supported = true
  })
})

describe('host events', () => {
  it('reach every open window on their channel', () => {
    expect(hostState.listeners).toHaveLength(1)
    const event = { name: 'notice', payload: { workspaceId: 'w1', kind: 'info', text: 'Published.' } }
    hostState.listeners[0]!(event)
    const sent = mainWindow().webContents.sent.filter((s) => s.channel === HOST_EVENT_CHANNEL)
    expect(sent.map((s) => s.args[0])).toEqual([event])
    mainWindow().webContents.sent.length = 0
  })
})
