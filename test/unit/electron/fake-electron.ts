// A stand-in for the `electron` module, enough for the main process to run under vitest: it keeps
// every handler the app registers so a test can raise the events Electron would, and it records
// what the app asked for. Each object follows Electron's own behaviour where the tests depend on
// it (a window emits `web-contents-created`, `close` can be prevented, `app.quit()` raises
// `before-quit`, which can be prevented too).
import { EventEmitter } from 'node:events'
import { MessageChannel, type MessagePort } from 'node:worker_threads'

export interface FakeEvent {
  defaultPrevented: boolean
  preventDefault(): void
  url?: string
}

export function fakeEvent(fields: Record<string, unknown> = {}): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true
    },
    ...fields,
  }
}

export class FakeFrame {
  url: string
  parent: FakeFrame | null
  constructor(url: string, parent: FakeFrame | null = null) {
    this.url = url
    this.parent = parent
  }
}

export class FakeWebContents extends EventEmitter {
  sent: { channel: string; args: unknown[] }[] = []
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined
  mainFrame = new FakeFrame('signoff://app/index.html')
  loading = false
  crashed = false
  reloads = 0
  destroyed = false
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args })
  }
  /** Like webContents.postMessage: a message with ports for the window (kept for the test). */
  posted: { channel: string; message: unknown; transfer: FakeMessagePortMain[] }[] = []
  postMessage(channel: string, message: unknown, transfer: FakeMessagePortMain[] = []) {
    this.posted.push({ channel, message, transfer })
  }
  isLoading() {
    return this.loading
  }
  isCrashed() {
    return this.crashed
  }
  isDestroyed() {
    return this.destroyed
  }
  reload() {
    this.reloads++
  }
  getURL() {
    return this.mainFrame.url
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = []
  static focused: FakeBrowserWindow | null = null
  static getAllWindows() {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed)
  }
  static getFocusedWindow() {
    return FakeBrowserWindow.focused
  }
  webContents = new FakeWebContents()
  destroyed = false
  minimized = false
  focusCount = 0
  loadedUrl: string | undefined
  options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>
  constructor(options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super()
    this.options = options
    FakeBrowserWindow.all.push(this)
    electron.app.emit('web-contents-created', fakeEvent(), this.webContents)
  }
  async loadURL(url: string) {
    this.loadedUrl = url
    this.webContents.mainFrame.url = url
  }
  isDestroyed() {
    return this.destroyed
  }
  isMinimized() {
    return this.minimized
  }
  restore() {
    this.minimized = false
  }
  focus() {
    this.focusCount++
    FakeBrowserWindow.focused = this
  }
  show() {}
  /** Like Electron: `close` can be prevented; otherwise the window is destroyed and `closed` follows. */
  close() {
    if (this.destroyed) return
    const event = fakeEvent()
    this.emit('close', event)
    if (event.defaultPrevented) return
    this.destroy()
  }
  destroy() {
    if (this.destroyed) return
    this.destroyed = true
    this.webContents.destroyed = true
    if (FakeBrowserWindow.focused === this) FakeBrowserWindow.focused = null
    this.emit('closed')
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false
  ready = false
  quitCalls = 0
  /** Set once a quit was not prevented: Electron would now close the windows and exit. */
  quitted = false
  paths = new Map<string, string>([['userData', '/tmp/signoff-fake-user-data']])
  protocolClients: unknown[][] = []
  private resolveReady: () => void = () => {}
  private readyPromise = new Promise<void>((resolve) => {
    this.resolveReady = resolve
  })
  whenReady() {
    return this.readyPromise
  }
  isReady() {
    return this.ready
  }
  /** The test's "Electron has started". */
  becomeReady() {
    this.ready = true
    this.resolveReady()
    this.emit('ready')
  }
  quit() {
    this.quitCalls++
    const event = fakeEvent()
    this.emit('before-quit', event)
    if (event.defaultPrevented) return
    this.quitted = true
    for (const window of FakeBrowserWindow.getAllWindows()) window.close()
  }
  exit() {
    this.quitted = true
  }
  requestSingleInstanceLock() {
    return true
  }
  enableSandbox() {}
  setPath(name: string, path: string) {
    this.paths.set(name, path)
  }
  getPath(name: string) {
    return this.paths.get(name) ?? `/tmp/signoff-fake-${name}`
  }
  getVersion() {
    return '0.1.0'
  }
  setAsDefaultProtocolClient(...args: unknown[]) {
    this.protocolClients.push(args)
    return true
  }
}

type Handler = (...args: never[]) => unknown

class FakeIpcMain extends EventEmitter {
  handlers = new Map<string, Handler>()
  handle(channel: string, handler: Handler) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  }
}

export class FakeNotification extends EventEmitter {
  static supported = true
  static shown: FakeNotification[] = []
  static isSupported() {
    return FakeNotification.supported
  }
  options: { title: string; body: string }
  closed = false
  constructor(options: { title: string; body: string }) {
    super()
    this.options = options
  }
  show() {
    FakeNotification.shown.push(this)
  }
  close() {
    this.closed = true
    this.emit('close')
  }
}

/**
 * Electron's MessagePortMain over a real Node MessagePort: 'message' events carry `{data, ports}`,
 * 'close' fires when either end closes. `node` is the Node port, for the test's window side.
 */
export class FakeMessagePortMain extends EventEmitter {
  readonly node: MessagePort
  constructor(node: MessagePort) {
    super()
    this.node = node
    node.on('message', (data: unknown) => this.emit('message', { data, ports: [] }))
    node.on('close', () => this.emit('close'))
  }
  postMessage(message: unknown) {
    this.node.postMessage(message)
  }
  start() {
    this.node.start()
  }
  close() {
    this.node.close()
  }
}

export class FakeMessageChannelMain {
  readonly port1: FakeMessagePortMain
  readonly port2: FakeMessagePortMain
  constructor() {
    const { port1, port2 } = new MessageChannel()
    this.port1 = new FakeMessagePortMain(port1)
    // The window's end stays a bare Node port until the test takes it (no listener, no start).
    this.port2 = Object.assign(Object.create(FakeMessagePortMain.prototype) as FakeMessagePortMain, {
      node: port2,
    })
  }
}

export class FakeTray extends EventEmitter {
  static all: FakeTray[] = []
  image: unknown
  tooltip = ''
  menu: { template: unknown } | null = null
  destroyed = false
  constructor(image: unknown) {
    super()
    this.image = image
    FakeTray.all.push(this)
  }
  setToolTip(text: string) {
    this.tooltip = text
  }
  setContextMenu(menu: { template: unknown }) {
    this.menu = menu
  }
  destroy() {
    this.destroyed = true
  }
}

export const electron = {
  MessageChannelMain: FakeMessageChannelMain,
  Tray: FakeTray,
  nativeImage: {
    createFromDataURL: (url: string) => ({ dataUrl: url }),
  },
  Notification: FakeNotification,
  app: new FakeApp(),
  BrowserWindow: FakeBrowserWindow,
  ipcMain: new FakeIpcMain(),
  protocol: {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      this.privileged.push(...schemes)
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      this.handlers.set(scheme, handler)
    },
  },
  session: {
    defaultSession: {
      permissionRequest: undefined as Handler | undefined,
      permissionCheck: undefined as Handler | undefined,
      devicePermission: undefined as Handler | undefined,
      headersReceived: undefined as Handler | undefined,
      spellCheckerEnabled: true,
      dictionaryUrl: undefined as string | undefined,
      setPermissionRequestHandler(handler: Handler) {
        this.permissionRequest = handler
      },
      setPermissionCheckHandler(handler: Handler) {
        this.permissionCheck = handler
      },
      setDevicePermissionHandler(handler: Handler) {
        this.devicePermission = handler
      },
      setSpellCheckerEnabled(enabled: boolean) {
        this.spellCheckerEnabled = enabled
      },
      setSpellCheckerDictionaryDownloadURL(url: string) {
        this.dictionaryUrl = url
      },
      webRequest: {
        onHeadersReceived(handler: Handler) {
          electron.session.defaultSession.headersReceived = handler
        },
      },
    },
  },
  shell: {
    opened: [] as string[],
    async openExternal(url: string) {
      this.opened.push(url)
    },
  },
  Menu: {
    template: undefined as unknown,
    buildFromTemplate(template: unknown) {
      return { template }
    },
    setApplicationMenu(menu: { template: unknown }) {
      this.template = menu.template
    },
  },
  dialog: {
    shown: [] as unknown[][],
    response: 0,
    async showMessageBox(...args: unknown[]) {
      this.shown.push(args)
      return { response: this.response, checkboxChecked: false }
    },
  },
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (plain: string) => Buffer.from(plain, 'utf8'),
    decryptString: (encrypted: Buffer) => encrypted.toString('utf8'),
  },
}
