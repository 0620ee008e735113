// The main process's lifecycle, run under vitest like main.test.ts: a second instance and the OS
// opening links and files, the app protocol, and quitting, which flushes every window first.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { BEFORE_QUIT_CHANNEL, MENU_CHANNEL, OPEN_CHANNEL } from '../../../shared/host/api.ts'
import { electron, fakeEvent } from './fake-electron.ts'
import { ackFlushes, hostState, mainWindow, startMain, tick, windows } from './main-harness.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)
vi.mock('../../../electron/host/index.ts', async () => (await import('./main-harness.ts')).fakeHost)

const files = startMain()

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
