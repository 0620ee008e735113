// The main process, run under vitest against a stand-in `electron` module (fake-electron.ts) and a
// stand-in host: the real index.ts wires windows, sessions, IPC, quit, second instances and the
// app protocol, and each test raises what Electron would raise and checks the answer. The
// Electron-only Playwright spec (test/e2e/electron.spec.ts) checks the same in the real binary.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  BEFORE_QUIT_CHANNEL,
  FLUSHED_CHANNEL,
  hostChannel,
  hostMethodNames,
  MENU_CHANNEL,
  OPEN_CHANNEL,
} from '../../../shared/host/api.ts'
import { HOST_EVENT_CHANNEL } from '../../../shared/host/events.ts'
import {
  electron,
  FakeBrowserWindow,
  FakeFrame,
  FakeNotification,
  type FakeWebContents,
  fakeEvent,
} from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)

const hostState = vi.hoisted(() => ({
  options: undefined as
    | undefined
    | { notify?: (n: { title: string; body: string; tag: string }) => boolean; safeStorage?: unknown },
  calls: [] as { name: string; input: unknown }[],
  events: [] as string[],
  closed: 0,
  /** What the main process listens to on the host (host events). */
  listeners: [] as ((event: unknown) => void)[],
}))
vi.mock('../../../electron/host/index.ts', async () => {
  const { hostMethodNames } = await import('../../../shared/host/api.ts')
  return {
    createHost(options: (typeof hostState)['options']) {
      hostState.options = options
      return {
        ...Object.fromEntries(
          hostMethodNames.map((name) => [
            name,
            async (input: unknown) => {
              hostState.calls.push({ name, input })
              return { from: name }
            },
          ]),
        ),
        onEvent(listener: (event: unknown) => void) {
          hostState.listeners.push(listener)
          return () => {}
        },
        async close() {
          hostState.events.push('host closed')
          hostState.closed++
        },
      }
    },
  }
})

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
const windows = () => FakeBrowserWindow.getAllWindows()
const mainWindow = () => {
  const window = windows()[0]
  if (!window) throw new Error('no window is open')
  return window
}

/** Answer every flush request a window has been sent, as its preload would. */
function ackFlushes(contents: FakeWebContents): void {
  for (const { channel, args } of contents.sent.splice(0))
    if (channel === BEFORE_QUIT_CHANNEL) {
      hostState.events.push('window flushed')
      electron.ipcMain.emit(FLUSHED_CHANNEL, { sender: contents, senderFrame: contents.mainFrame }, args[0])
    }
}

function invoke(name: string, input: unknown, frame: FakeFrame | null) {
  const handler = electron.ipcMain.handlers.get(hostChannel(name as never)) as (
    event: unknown,
    input: unknown,
  ) => Promise<unknown>
  return handler({ senderFrame: frame }, input)
}

const files = mkdtempSync(join(tmpdir(), 'signoff-main-'))

beforeAll(async () => {
  delete process.env.ELECTRON_RENDERER_URL
  await import('../../../electron/main/index.ts')
  electron.app.becomeReady()
  await tick()
})
afterAll(() => rmSync(files, { recursive: true, force: true }))

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

describe('second instance and opening', () => {
  it('focuses the window and forwards an invite link and a file from the command line', async () => {
    const window = mainWindow()
    window.minimized = true
    const focused = window.focusCount
    writeFileSync(join(files, 'notes.md'), '# Notes\n')
    electron.app.emit(
      'second-instance',
      fakeEvent(),
      [
        '/opt/Signoff/signoff',
        '--enable-features=X',
        'signoff://join?relay=wss%3A%2F%2Frelay.example%3A4455&token=abc.DEF_1',
        'notes.md',
      ],
      files,
      {},
    )
    await vi.waitFor(() =>
      expect(window.webContents.sent.filter((s) => s.channel === OPEN_CHANNEL)).toHaveLength(2),
    )
    expect(window.minimized).toBe(false)
    expect(window.focusCount).toBeGreaterThan(focused)
    expect(windows()).toHaveLength(1)
    const opens = window.webContents.sent.filter((s) => s.channel === OPEN_CHANNEL).map((s) => s.args[0])
    expect(opens).toContainEqual({ kind: 'join', relay: 'wss://relay.example:4455', token: 'abc.DEF_1' })
    expect(opens).toContainEqual({
      kind: 'file',
      name: 'notes.md',
      bytes: new Uint8Array(Buffer.from('# Notes\n')),
    })
    window.webContents.sent.length = 0
  })

  it('does not forward a link that is not a well-formed invite', async () => {
    const window = mainWindow()
    electron.app.emit(
      'second-instance',
      fakeEvent(),
      ['signoff://join?relay=file%3A%2F%2F%2Fetc&token=x'],
      files,
      {},
    )
    electron.app.emit('open-url', fakeEvent(), 'signoff://evil?x=1')
    await tick()
    expect(window.webContents.sent.filter((s) => s.channel === OPEN_CHANNEL)).toEqual([])
  })

  it('takes macOS open-url and open-file events', async () => {
    const window = mainWindow()
    const url = fakeEvent()
    electron.app.emit('open-url', url, 'signoff://join?relay=https%3A%2F%2Fr.example&token=t1')
    expect(url.defaultPrevented).toBe(true)
    writeFileSync(join(files, 'brief.txt'), 'Brief')
    electron.app.emit('open-file', fakeEvent(), join(files, 'brief.txt'))
    await vi.waitFor(() =>
      expect(window.webContents.sent.filter((s) => s.channel === OPEN_CHANNEL)).toHaveLength(2),
    )
    window.webContents.sent.length = 0
  })

  it('leaves the machine’s signoff:// registration alone in a development or test run', () => {
    // (The installed app registers itself; see index.ts and electron-builder.yml `protocols`.)
    expect(electron.app.protocolClients).toEqual([])
  })
})

describe('the app protocol', () => {
  it('serves only files inside the renderer folder', async () => {
    const { serveApp } = await import('../../../electron/main/protocol.ts')
    const root = join(files, 'renderer')
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html>')
    writeFileSync(join(root, 'assets', 'app.js'), 'export {}')
    writeFileSync(join(files, 'secret.txt'), 'secret')
    symlinkSync(join(files, 'secret.txt'), join(root, 'link.txt'))
    serveApp(root)
    const handler = electron.protocol.handlers.get('signoff')
    if (!handler) throw new Error('no signoff: handler')
    const get = (url: string) => handler(new Request(url))

    const index = await get('signoff://app/index.html')
    expect(index.status).toBe(200)
    expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self';/)
    expect((await get('signoff://app/')).status).toBe(200)
    expect(await (await get('signoff://app/assets/app.js')).text()).toBe('export {}')
    for (const url of [
      'signoff://app/../secret.txt',
      'signoff://app/%2e%2e/secret.txt',
      'signoff://app/..%2fsecret.txt',
      'signoff://app/assets/..%2f..%2fsecret.txt',
      'signoff://app/..%5csecret.txt',
      'signoff://app/link.txt',
      'signoff://app/%00index.html',
      'signoff://other/index.html',
      'signoff://app/missing.js',
    ]) {
      const response = await get(url)
      expect(response.status, url).toBe(404)
      expect(await response.text(), url).not.toContain('secret')
    }
  })
})

describe('quitting', () => {
  it('a closing window flushes first, then closes', async () => {
    const window = mainWindow()
    window.close()
    expect(window.isDestroyed()).toBe(false)
    expect(window.webContents.sent.map((s) => s.channel)).toContain(BEFORE_QUIT_CHANNEL)
    ackFlushes(window.webContents)
    await vi.waitFor(() => expect(window.isDestroyed()).toBe(true))
  })

  it('File → New Output with no window open (macOS) opens one and delivers the command', async () => {
    expect(windows()).toHaveLength(0)
    const template = electron.Menu.template as {
      label?: string
      submenu?: { id?: string; click?: () => void }[]
    }[]
    const file = template.find((m) => m.label === 'File')
    const newOutput = file?.submenu?.find((item) => item.id === 'signoff:new-output')
    newOutput?.click?.()
    expect(windows()).toHaveLength(1)
    expect(mainWindow().webContents.sent).toContainEqual({ channel: MENU_CHANNEL, args: ['new-output'] })
  })

  it('quit flushes every window, then closes the host, then quits', async () => {
    electron.app.emit('activate')
    const window = mainWindow()
    window.webContents.sent.length = 0
    hostState.events.length = 0
    electron.app.quit()
    expect(electron.app.quitted).toBe(false)
    expect(hostState.closed).toBe(0)
    ackFlushes(window.webContents)
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true))
    expect(hostState.events).toEqual(['window flushed', 'host closed'])
    expect(hostState.closed).toBe(1)
    expect(window.isDestroyed()).toBe(true)
  })
})
