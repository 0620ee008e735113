/**
 * The main process under vitest, shared by main.test.ts and main-lifecycle.test.ts: a stand-in
 * host that records its calls, and startMain(), which loads the real electron/main/index.ts
 * against the stand-in `electron` module (fake-electron.ts). Each test file mocks both modules:
 *   vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)
 *   vi.mock('../../../electron/host/index.ts', async () => (await import('./main-harness.ts')).fakeHost)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import {
  BEFORE_QUIT_CHANNEL,
  FLUSHED_CHANNEL,
  hostChannel,
  hostMethodNames,
} from '../../../shared/host/api.ts'
import { electron, FakeBrowserWindow, type FakeFrame, type FakeWebContents } from './fake-electron.ts'

export const hostState = {
  options: undefined as
    | undefined
    | { notify?: (n: { title: string; body: string; tag: string }) => boolean; safeStorage?: unknown },
  calls: [] as { name: string; input: unknown }[],
  events: [] as string[],
  closed: 0,
  /** What the main process listens to on the host (host events). */
  listeners: [] as ((event: unknown) => void)[],
}

/** The host module the main process imports: createHost() returns a host that records its calls. */
export const fakeHost = {
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

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
export const windows = () => FakeBrowserWindow.getAllWindows()
export const mainWindow = () => {
  const window = windows()[0]
  if (!window) throw new Error('no window is open')
  return window
}

/** Answer every flush request a window has been sent, as its preload would. */
export function ackFlushes(contents: FakeWebContents): void {
  for (const { channel, args } of contents.sent.splice(0))
    if (channel === BEFORE_QUIT_CHANNEL) {
      hostState.events.push('window flushed')
      electron.ipcMain.emit(FLUSHED_CHANNEL, { sender: contents, senderFrame: contents.mainFrame }, args[0])
    }
}

export function invoke(name: string, input: unknown, frame: FakeFrame | null) {
  const handler = electron.ipcMain.handlers.get(hostChannel(name as never)) as (
    event: unknown,
    input: unknown,
  ) => Promise<unknown>
  return handler({ senderFrame: frame }, input)
}

/**
 * Load the main process once for this test file, make the app ready and return a scratch folder
 * for files the tests open; the folder is removed after the file's tests.
 */
export function startMain(): string {
  const files = mkdtempSync(join(tmpdir(), 'signoff-main-'))
  beforeAll(async () => {
    delete process.env.ELECTRON_RENDERER_URL
    await import('../../../electron/main/index.ts')
    electron.app.becomeReady()
    await tick()
  })
  afterAll(() => rmSync(files, { recursive: true, force: true }))
  return files
}
