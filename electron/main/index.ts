import { readFile, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  Menu,
  Notification,
  safeStorage,
  session,
  shell,
} from 'electron'
import { OPEN_CHANNEL, type OpenRequest } from '../../shared/host/api.ts'
import { HOST_EVENT_CHANNEL } from '../../shared/host/events.ts'
import { contentSecurityPolicy } from '../host/csp.ts'
import { hostLog } from '../host/host-log.ts'
import { createHost } from '../host/index.ts'
import { keepInBackground } from './background.ts'
import { registerDocSync } from './doc-sync.ts'
import { registerHostIpc } from './ipc.ts'
import { joinRequestFromLink, launchTargets, MAX_OPEN_FILE_BYTES } from './launch.ts'
import { buildAppMenu } from './menu.ts'
import { APP_SCHEME, APP_URL, appUrlCheck } from './policy.ts'
import { registerAppScheme, serveApp } from './protocol.ts'
import { flushBeforeQuit } from './quit.ts'
import { hardenContents, hardenSession } from './security.ts'
import { startAutoUpdate } from './updater.ts'
import { createAppWindow } from './window.ts'

// In development electron-vite serves the renderer; otherwise it is served from the built files
// at signoff://app/ (a privileged custom scheme, not file://).
const devServerUrl = process.env.ELECTRON_RENDERER_URL
const appUrl = devServerUrl ?? APP_URL
const isAppUrl = appUrlCheck(appUrl)
const isDev = !app.isPackaged
const platform = process.platform

let mainWindow: BrowserWindow | null = null
let background: ReturnType<typeof keepInBackground> | undefined
let quit: ReturnType<typeof flushBeforeQuit> | undefined
/** Links and files asked for before a window could take them (cold start, macOS open-url). */
let pendingOpens: OpenRequest[] = []

/** Host calls and flush answers count only from the app's own top frame, showing the app. */
function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent !== null || !isAppUrl(frame.url)) return false
  return BrowserWindow.getAllWindows().some((w) => !w.isDestroyed() && w.webContents.mainFrame === frame)
}

function openWindow(): BrowserWindow {
  if (mainWindow && !mainWindow.isDestroyed()) return mainWindow
  const window = createAppWindow({
    url: appUrl,
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    spellcheck: platform !== 'linux',
  })
  quit?.watch(window)
  background?.windowOpened()
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  mainWindow = window
  const waiting = pendingOpens
  pendingOpens = []
  for (const request of waiting) sendOpen(window, request)
  return window
}

function showWindow(): BrowserWindow {
  const window = openWindow()
  if (window.isMinimized()) window.restore()
  window.focus()
  return window
}

function sendOpen(window: BrowserWindow, request: OpenRequest): void {
  const contents = window.webContents
  if (contents.isLoading()) contents.once('did-finish-load', () => contents.send(OPEN_CHANNEL, request))
  else contents.send(OPEN_CHANNEL, request)
}

function deliver(request: OpenRequest): void {
  if (!app.isReady()) {
    pendingOpens.push(request)
    return
  }
  sendOpen(showWindow(), request)
}

/**
 * Desktop notifications from the main process, where the OS supports them. One per tag: a newer
 * one replaces the last (an output's "assigned to you" is not stacked). Clicking shows the window.
 */
const notifications = new Map<string, Notification>()
function notify({ title, body, tag }: { title: string; body: string; tag: string }): boolean {
  if (!Notification.isSupported()) return false
  notifications.get(tag)?.close()
  const notification = new Notification({ title, body })
  notifications.set(tag, notification)
  notification.on('click', () => showWindow())
  notification.on('close', () => {
    if (notifications.get(tag) === notification) notifications.delete(tag)
  })
  notification.show()
  return true
}

/** Installed apps only (the feed is in their resources); SIGNOFF_UPDATES=off turns it off. */
async function startUpdates(): Promise<void> {
  if (!app.isPackaged || process.env.SIGNOFF_UPDATES === 'off') return
  const { autoUpdater } = (await import('electron-updater')).default
  startAutoUpdate({
    updater: autoUpdater,
    askToRestart: async (version) => {
      const { response } = await dialog.showMessageBox({
        type: 'info',
        message: `Signoff ${version} is ready.`,
        detail: 'Restart to update now, or it is installed the next time you quit Signoff.',
        buttons: ['Restart to update', 'Later'],
        defaultId: 0,
        cancelId: 1,
      })
      return response === 0
    },
  })
}

function tell(message: string, detail: string): void {
  void dialog.showMessageBox({ type: 'warning', message, detail, buttons: ['OK'] })
}

function openLink(link: string): void {
  const join = joinRequestFromLink(link)
  if (join) deliver({ kind: 'join', ...join })
  else if (app.isReady())
    tell('Signoff cannot open that link.', `${link.slice(0, 200)} is not an invite link.`)
}

async function openFile(path: string): Promise<void> {
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new Error('it is not a file')
    if (info.size > MAX_OPEN_FILE_BYTES) throw new Error('it is larger than 10 MB')
    deliver({ kind: 'file', name: basename(path), bytes: new Uint8Array(await readFile(path)) })
  } catch (e) {
    await app.whenReady()
    tell(`Signoff could not open ${basename(path)}.`, e instanceof Error ? e.message : String(e))
  }
}

/** A command line's links and files (cold start, second instance on Windows and Linux). */
function openFromArgs(argv: readonly string[], cwd: string): void {
  const { links, files } = launchTargets(argv, cwd)
  for (const link of links) openLink(link)
  for (const file of files) void openFile(file)
}

// A separate profile (and single-instance lock) when asked: the Electron tests use a fresh one.
if (process.env.SIGNOFF_USER_DATA) app.setPath('userData', process.env.SIGNOFF_USER_DATA)
app.enableSandbox()
registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // The installed app owns signoff:// links (the installers declare it too). A development or test
  // run leaves the machine's registration alone unless asked (SIGNOFF_DEV_PROTOCOL=1); Electron then
  // runs as `electron <app>`, so the OS must call it with that path.
  if (app.isPackaged) app.setAsDefaultProtocolClient(APP_SCHEME)
  else if (process.env.SIGNOFF_DEV_PROTOCOL === '1' && process.argv[1])
    app.setAsDefaultProtocolClient(APP_SCHEME, process.execPath, [resolve(process.argv[1])])

  app.on('second-instance', (_event, argv, workingDirectory) => {
    showWindow()
    openFromArgs(argv, workingDirectory)
  })
  // macOS hands links and files over as events, also before the app is ready (a cold start).
  app.on('open-url', (event, url) => {
    event.preventDefault()
    openLink(url)
  })
  app.on('open-file', (event, path) => {
    event.preventDefault()
    void openFile(path)
  })
  // Every web contents, including any a bug might create, gets the navigation rules.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, isAppUrl))
  void app.whenReady().then(() => {
    hardenSession(session.defaultSession, {
      isAppUrl,
      csp: contentSecurityPolicy({ dev: devServerUrl !== undefined }),
      platform,
    })
    serveApp(join(import.meta.dirname, '../renderer'))
    const host = createHost({
      shell: 'electron',
      version: app.getVersion(),
      openExternal: (url) => shell.openExternal(url),
      notify,
      dataDir: app.getPath('userData'),
      log: hostLog(app.getPath('userData')),
      safeStorage,
      // The hosted relay's thread: its own entry of this build (electron.vite.config.ts).
      relayThreadEntry: join(import.meta.dirname, 'relay-thread.js'),
    })
    registerHostIpc(host, isTrustedSender)
    registerDocSync(host, isTrustedSender)
    // What the host does on its own reaches every open window (none open: nothing waits for one).
    host.onEvent((event) => {
      for (const w of BrowserWindow.getAllWindows())
        if (!w.isDestroyed()) w.webContents.send(HOST_EVENT_CHANNEL, event)
    })
    quit = flushBeforeQuit(isTrustedSender, () => host.close())
    background = keepInBackground({ host, openWindow: () => void showWindow(), quit: () => app.quit() })
    Menu.setApplicationMenu(
      buildAppMenu({
        isMac: platform === 'darwin',
        isDev,
        windowForCommand: () => BrowserWindow.getFocusedWindow() ?? showWindow(),
      }),
    )
    openFromArgs(process.argv.slice(1), process.cwd())
    openWindow()
    void startUpdates()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  })
  // Closing the last window quits, unless the person keeps Signoff running in the background
  // (on by default on macOS): then the host goes on with a tray icon (background.ts).
  app.on('window-all-closed', () => {
    if (background) void background.allWindowsClosed()
    else if (platform !== 'darwin') app.quit()
  })
}
