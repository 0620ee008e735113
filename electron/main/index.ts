import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, session, shell } from 'electron'
import { createHost } from '../host/index.ts'
import { registerHostIpc } from './ipc.ts'
import { hardenSession, hardenWindow } from './security.ts'

const rendererUrl = process.env.ELECTRON_RENDERER_URL
const rendererFile = join(import.meta.dirname, '../renderer/index.html')
const appOrigin = rendererUrl ? new URL(rendererUrl).origin : pathToFileURL(rendererFile).href

let mainWindow: BrowserWindow | null = null

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'Signoff',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true,
    },
  })
  hardenWindow(window, appOrigin)
  window.once('ready-to-show', () => window.show())
  if (rendererUrl) void window.loadURL(rendererUrl)
  else void window.loadFile(rendererFile)
  return window
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(appOrigin)) event.preventDefault()
    })
  })
  void app.whenReady().then(() => {
    hardenSession(session.defaultSession)
    const host = createHost({
      shell: 'electron',
      version: app.getVersion(),
      openExternal: (url) => shell.openExternal(url),
    })
    registerHostIpc(host, (event) => {
      const frame = event.senderFrame
      return !!frame && frame === mainWindow?.webContents.mainFrame && frame.url.startsWith(appOrigin)
    })
    mainWindow = createWindow()
    mainWindow.on('closed', () => {
      mainWindow = null
    })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
  })
}
