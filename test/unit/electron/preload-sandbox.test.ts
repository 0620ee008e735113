// The preload as Electron's sandbox runs it: the bundle electron-vite builds, evaluated in a fresh
// V8 context whose `require` knows only the four modules a sandboxed preload may load. If the
// bundle requires anything else (a dependency left external), it throws here just as it would in
// every window, and `window.signoffHost` would never exist.
import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as timers from 'node:timers'
import * as url from 'node:url'
import vm from 'node:vm'
import { resolveConfig } from 'electron-vite'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BEFORE_QUIT_CHANNEL,
  FLUSHED_CHANNEL,
  hostChannel,
  hostEventNames,
  hostMethodNames,
  MENU_CHANNEL,
  OPEN_CHANNEL,
} from '../../../shared/host/api.ts'
import { SYNC_OPEN_CHANNEL, SYNC_PORT_CHANNEL, SYNC_PORT_KEY } from '../../../shared/host/doc-sync.ts'
import { HOST_EVENT_CHANNEL } from '../../../shared/host/events.ts'

/** The modules Electron's sandboxed preload `require` resolves (besides `electron`). */
const SANDBOX_MODULES = ['electron', 'events', 'timers', 'url'] as const

/** Build the preload exactly as `electron-vite build` does (same config file), into a temp folder. */
async function buildPreload(outDir: string): Promise<string> {
  const env = { NODE_ENV: process.env.NODE_ENV }
  try {
    const { config } = await resolveConfig({ build: { outDir }, logLevel: 'silent' }, 'build', 'production')
    if (!config?.preload) throw new Error('electron.vite.config.ts has no preload build.')
    await build(config.preload)
  } finally {
    // electron-vite sets NODE_ENV for its build; the other tests in this worker must not see it.
    if (env.NODE_ENV === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = env.NODE_ENV
  }
  return join(outDir, 'preload', 'index.cjs')
}

interface Invocation {
  channel: string
  args: unknown[]
}

/** A stand-in for the parts of `electron` a preload sees: contextBridge and ipcRenderer. */
function fakeElectron() {
  const exposed = new Map<string, unknown>()
  const invoked: Invocation[] = []
  const sent: Invocation[] = []
  const ipc = new EventEmitter()
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args })
      return { answered: channel }
    },
    send: (channel: string, ...args: unknown[]) => sent.push({ channel, args }),
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      ipc.on(channel, listener)
      return ipcRenderer
    },
    // A preload that hands raw ipcRenderer access to the page would use these; none must be called.
    removeListener: ipc.removeListener.bind(ipc),
  }
  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown) {
      if (exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`)
      exposed.set(key, api)
    },
  }
  return { electron: { contextBridge, ipcRenderer }, exposed, invoked, sent, ipc }
}

/**
 * Evaluate a CommonJS bundle the way Electron's sandboxed renderer does: no Node globals in the
 * context (no `require` of its own, no `__dirname`, no `fs`), a `require` limited to the sandbox
 * modules, and the web globals a renderer has.
 */
function runSandboxed(code: string, electron: unknown, posted: unknown[][] = []): { required: string[] } {
  const required: string[] = []
  const modules: Record<(typeof SANDBOX_MODULES)[number], unknown> = {
    electron,
    events: { EventEmitter, default: EventEmitter },
    timers,
    url,
  }
  const sandboxRequire = (id: string) => {
    required.push(id)
    if (!(SANDBOX_MODULES as readonly string[]).includes(id))
      throw new Error(
        `module not found: ${id} (a sandboxed preload can require only ${SANDBOX_MODULES.join(', ')})`,
      )
    return modules[id as (typeof SANDBOX_MODULES)[number]]
  }
  const context = vm.createContext({
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    URL,
    TextEncoder,
    TextDecoder,
    structuredClone,
    // The page's window, as far as the preload uses it: handing a sync port on (postMessage).
    window: { postMessage: (...args: unknown[]) => posted.push(args) },
  })
  const wrapper = vm.runInContext(
    `(function (exports, require, module, process, Buffer, global) {${code}\n})`,
    context,
    {
      filename: 'preload/index.cjs',
    },
  ) as (...args: unknown[]) => void
  const module = { exports: {} }
  const sandboxProcess = { platform: process.platform, env: {}, versions: { ...process.versions } }
  wrapper(module.exports, sandboxRequire, module, sandboxProcess, undefined, context)
  return { required }
}

describe('the built preload under the sandbox', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'signoff-preload-'))
  let bundle = ''
  beforeAll(async () => {
    bundle = readFileSync(await buildPreload(outDir), 'utf8')
  }, 60_000)
  afterAll(() => rmSync(outDir, { recursive: true, force: true }))

  it('requires nothing but electron', () => {
    const requires = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
    expect(new Set(requires)).toEqual(new Set(['electron']))
  })

  it('loads with the sandbox require and exposes exactly the host API and its events', () => {
    const fake = fakeElectron()
    const { required } = runSandboxed(bundle, fake.electron)
    expect(required).toEqual(['electron'])
    expect([...fake.exposed.keys()]).toEqual(['signoffHost'])
    const bridge = fake.exposed.get('signoffHost') as Record<string, unknown>
    expect(Object.keys(bridge).sort()).toEqual([...hostMethodNames, ...hostEventNames, 'openDocSync'].sort())
    for (const [name, value] of Object.entries(bridge)) expect(typeof value, name).toBe('function')
    // Only the channels it owns are listened to, and no raw IPC reaches the page.
    expect(fake.ipc.eventNames().sort()).toEqual(
      [BEFORE_QUIT_CHANNEL, MENU_CHANNEL, OPEN_CHANNEL, HOST_EVENT_CHANNEL, SYNC_PORT_CHANNEL].sort(),
    )
    expect(Object.values(bridge)).not.toContain(fake.electron.ipcRenderer.invoke)
  })

  it('sends a call on its own channel with the argument, and returns the answer', async () => {
    const fake = fakeElectron()
    runSandboxed(bundle, fake.electron)
    const bridge = fake.exposed.get('signoffHost') as Record<string, (input: unknown) => Promise<unknown>>
    const input = { workspaceId: 'w1', memberId: 'm1' }
    await expect(bridge.deviceKey!(input)).resolves.toEqual({ answered: hostChannel('deviceKey') })
    expect(fake.invoked).toEqual([{ channel: 'signoff:deviceKey', args: [input] }])
  })

  it('refuses a call whose argument does not match the method, before it leaves the window', async () => {
    const fake = fakeElectron()
    runSandboxed(bundle, fake.electron)
    const bridge = fake.exposed.get('signoffHost') as Record<string, (input: unknown) => Promise<unknown>>
    await expect(bridge.deviceKey!({ workspaceId: '../x', memberId: 'm1' })).rejects.toThrow(
      /Invalid argument for deviceKey/,
    )
    await expect(bridge.openExternal!(42)).rejects.toThrow(/Invalid argument for openExternal/)
    expect(fake.invoked).toEqual([])
  })

  it('runs the flushers on before-quit and answers with the request id; forwards only known menu commands', async () => {
    const fake = fakeElectron()
    runSandboxed(bundle, fake.electron)
    const bridge = fake.exposed.get('signoffHost') as {
      onBeforeQuit(f: () => Promise<void> | void): () => void
      onMenuCommand(h: (c: string) => void): () => void
    }
    const flushed: string[] = []
    bridge.onBeforeQuit(async () => {
      flushed.push('a')
    })
    bridge.onBeforeQuit(() => {
      throw new Error('one flusher fails')
    })
    fake.ipc.emit(BEFORE_QUIT_CHANNEL, {}, 7)
    await new Promise((r) => setTimeout(r, 10))
    expect(flushed).toEqual(['a'])
    expect(fake.sent).toEqual([{ channel: FLUSHED_CHANNEL, args: [7] }])

    const commands: string[] = []
    const off = bridge.onMenuCommand((c) => commands.push(c))
    fake.ipc.emit(MENU_CHANNEL, {}, 'not-a-command')
    fake.ipc.emit(MENU_CHANNEL, {}, 'new-output')
    off()
    fake.ipc.emit(MENU_CHANNEL, {}, 'new-output')
    expect(commands).toEqual(['new-output'])
    // (The error comes from the sandbox's realm, so it is matched by message, not by class.)
    expect(() => bridge.onMenuCommand('x' as never)).toThrow(/takes a function/)
  })

  it('passes host events checked against their declared schema, and drops malformed ones', () => {
    const fake = fakeElectron()
    runSandboxed(bundle, fake.electron)
    const bridge = fake.exposed.get('signoffHost') as { onHostEvent(h: (e: unknown) => void): () => void }
    const got: unknown[] = []
    const off = bridge.onHostEvent((e) => got.push(e))
    const notice = { name: 'notice', payload: { workspaceId: 'w1', kind: 'info', text: 'Published.' } }
    fake.ipc.emit(HOST_EVENT_CHANNEL, {}, notice)
    fake.ipc.emit(
      HOST_EVENT_CHANNEL,
      {},
      { name: 'notice', payload: { workspaceId: 'w1', kind: 'loud', text: 'x' } },
    )
    fake.ipc.emit(HOST_EVENT_CHANNEL, {}, { name: 'secretKey', payload: {} })
    expect(got).toEqual([notice])
    off()
    fake.ipc.emit(HOST_EVENT_CHANNEL, {}, notice)
    expect(got).toHaveLength(1)
  })

  it('keeps open requests that arrive before the page listens, and drops malformed ones', () => {
    const fake = fakeElectron()
    runSandboxed(bundle, fake.electron)
    const bridge = fake.exposed.get('signoffHost') as { onOpen(h: (r: unknown) => void): () => void }
    const join = { kind: 'join', relay: 'wss://relay.example', token: 'abc.def' }
    fake.ipc.emit(OPEN_CHANNEL, {}, join)
    fake.ipc.emit(OPEN_CHANNEL, {}, { kind: 'join', relay: 'wss://relay.example', token: 'x', extra: 1 })
    fake.ipc.emit(OPEN_CHANNEL, {}, 'signoff://join')
    const got: unknown[] = []
    bridge.onOpen((r) => got.push(r))
    expect(got).toEqual([join])
    fake.ipc.emit(OPEN_CHANNEL, {}, join)
    expect(got).toEqual([join, join])
  })

  it('keeps a menu command sent before the page listens (File → New Output with no window on macOS)', () => {
    const fake = fakeElectron()
    runSandboxed(bundle, fake.electron)
    const bridge = fake.exposed.get('signoffHost') as { onMenuCommand(h: (c: string) => void): () => void }
    fake.ipc.emit(MENU_CHANNEL, {}, 'new-output')
    const commands: string[] = []
    bridge.onMenuCommand((c) => commands.push(c))
    expect(commands).toEqual(['new-output'])
  })

  it('asks the main process for a document’s sync port and hands the port to the page, never anything else', () => {
    const fake = fakeElectron()
    const posted: unknown[][] = []
    runSandboxed(bundle, fake.electron, posted)
    const bridge = fake.exposed.get('signoffHost') as { openDocSync(doc: unknown, member?: unknown): number }
    const first = bridge.openDocSync('ws1/out1')
    const second = bridge.openDocSync('ws1', 'bea')
    expect(second).toBe(first + 1)
    expect(fake.sent).toEqual([
      { channel: SYNC_OPEN_CHANNEL, args: [{ doc: 'ws1/out1', id: first }] },
      { channel: SYNC_OPEN_CHANNEL, args: [{ doc: 'ws1', id: second, member: 'bea' }] },
    ])
    expect(() => bridge.openDocSync('../../etc')).toThrow(/takes a document name/)
    expect(() => bridge.openDocSync(7)).toThrow(/takes a document name/)
    expect(() => bridge.openDocSync('ws1', '../bea')).toThrow(/takes a member id/)
    expect(() => bridge.openDocSync('ws1', { id: 'bea' })).toThrow(/takes a member id/)
    expect(fake.sent).toHaveLength(2)

    const port = { name: 'a MessagePort' }
    fake.ipc.emit(SYNC_PORT_CHANNEL, { ports: [port] }, first)
    // A message without a port, or with no id, is not passed on.
    fake.ipc.emit(SYNC_PORT_CHANNEL, { ports: [] }, second)
    fake.ipc.emit(SYNC_PORT_CHANNEL, { ports: [port] }, 'x')
    expect(posted).toEqual([[{ [SYNC_PORT_KEY]: first }, '*', [port]]])
  })
})
