import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  Menu,
  safeStorage,
  session,
  shell,
} from 'electron'
import { createHost } from '../host/index.ts'
import { registerHostIpc } from './ipc.ts'
import { buildAppMenu } from './menu.ts'
import { APP_URL, appUrlCheck } from './policy.ts'
import { registerAppScheme, serveApp } from './protocol.ts'
import { flushBeforeQuit } from './quit.ts'
import { hardenContents, hardenSession, SECURE_WEB_PREFERENCES } from './security.ts'

// In development electron-vite serves the renderer; otherwise it is served from the built files
// at signoff://app/ (a privileged custom scheme, not file://).
const devServerUrl = process.env.ELECTRON_RENDERER_URL
const appUrl = devServerUrl ?? APP_URL
const isAppUrl = appUrlCheck(appUrl)
const isDev = !app.isPackaged

let mainWindow: BrowserWindow | null = null

/** Host calls and flush answers count only from the app's own top frame, showing the app. */
function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent !== null || !isAppUrl(frame.url)) return false
  return BrowserWindow.getAllWindows().some((w) => !w.isDestroyed() && w.webContents.mainFrame === frame)
}

function createWindow(quit: ReturnType<typeof flushBeforeQuit>): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'Signoff',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(import.meta.dirname, '../preload/index.cjs') },
  })
  quit.watch(window)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(appUrl)
  return window
}

// A separate profile (and single-instance lock) when asked: the Electron tests use a fresh one.
if (process.env.SIGNOFF_USER_DATA) app.setPath('userData', process.env.SIGNOFF_USER_DATA)
app.enableSandbox()
registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  // Every web contents, including any a bug might create, gets the navigation rules.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, isAppUrl))
  void app.whenReady().then(() => {
    hardenSession(session.defaultSession)
    serveApp(join(import.meta.dirname, '../renderer'))
    registerHostIpc(
      createHost({
        shell: 'electron',
        version: app.getVersion(),
        openExternal: (url) => shell.openExternal(url),
        dataDir: app.getPath('userData'),
        safeStorage,
      }),
      isTrustedSender,
    )
    const quit = flushBeforeQuit(isTrustedSender)
    Menu.setApplicationMenu(
      buildAppMenu({
        isMac: process.platform === 'darwin',
        isDev,
        focusedWindow: () => BrowserWindow.getFocusedWindow() ?? mainWindow,
      }),
    )
    mainWindow = createWindow(quit)
    mainWindow.on('closed', () => {
      mainWindow = null
    })
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) {
        mainWindow = createWindow(quit)
        mainWindow.on('closed', () => {
          mainWindow = null
        })
      }
    })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
