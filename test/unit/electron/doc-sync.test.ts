// Windows sync documents with the host over MessagePorts: the real main-process wiring
// (electron/main/doc-sync.ts) against the stand-in electron module, with a real host (its local log
// in a temp folder) and the renderer's own HostLink on the window's end of each port.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MessagePort } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { createHost, type Host } from '../../../electron/host/index.ts'
import { registerDocSync } from '../../../electron/main/doc-sync.ts'
import { HostLink, type OpenDocChannel } from '../../../renderer/src/data/host-link.ts'
import { SYNC_OPEN_CHANNEL, SYNC_PORT_CHANNEL } from '../../../shared/host/doc-sync.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'
import { electron, FakeFrame, FakeWebContents, fakeEvent } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)

const WS = 'wPorts'
const contents = new FakeWebContents()
const foreign = new FakeWebContents()
foreign.mainFrame = new FakeFrame('https://evil.example/')
let host: Host
const dataDir = mkdtempSync(join(tmpdir(), 'signoff-doc-sync-'))

beforeAll(async () => {
  host = createHost({ shell: 'electron', version: 'test', dataDir, intakePort: 0 })
  await host.registerWorkspace({ workspaceId: WS, memberId: 'm1' })
  registerDocSync(host, (event) => event.senderFrame?.url === 'signoff://app/index.html')
})
afterAll(async () => {
  await host.close()
  rmSync(dataDir, { recursive: true, force: true })
})

let nextId = 0
/** The page's side as the preload and renderer/src/host/doc-channel.ts do it, over the fake IPC. */
function portChannel(sender: FakeWebContents): OpenDocChannel {
  return (doc, handlers, member) => {
    const id = ++nextId
    electron.ipcMain.emit(
      SYNC_OPEN_CHANNEL,
      { ...fakeEvent(), sender, senderFrame: sender.mainFrame },
      { doc, id, ...(member ? { member } : {}) },
    )
    const posted = sender.posted.find((p) => p.channel === SYNC_PORT_CHANNEL && p.message === id)
    const port: MessagePort | undefined = posted?.transfer[0]?.node
    if (port) {
      port.on('message', (data: Uint8Array) => handlers.onMessage(data))
      port.on('close', () => handlers.onClose())
      queueMicrotask(() => handlers.onOpen())
    }
    return {
      send: (data) => port?.postMessage(data),
      close: () => port?.close(),
    }
  }
}

const waitFor = async (cond: () => boolean, what: string) => {
  const until = Date.now() + 5000
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('document sync over MessagePorts (Electron)', () => {
  it('gives the app’s window a port per document; its changes are saved in the host log and reach another window', async () => {
    const stored = new Y.Doc()
    smallTeamWorkspace(stored, WS, 'Ports', { id: 'm1', name: 'Me' })
    const a = new HostLink(WS, stored, new Awareness(stored), portChannel(contents), () => {})
    expect(await a.whenSaved(5000)).toBe(true)
    expect(a.state.imported).toBe(true)

    const other = new Y.Doc()
    const b = new HostLink(WS, other, new Awareness(other), portChannel(contents), () => {})
    await waitFor(() => b.state.synced, 'the second window synced')
    expect(other.getMap('meta').get('name')).toBe('Ports')
    stored.getMap('meta').set('name', 'Renamed')
    await waitFor(() => other.getMap('meta').get('name') === 'Renamed', 'the edit at the other window')
    expect(await a.whenSaved(5000)).toBe(true)
    // The member whose replica it is travels with the request (two members may hold one workspace).
    const third = new Y.Doc()
    const open = portChannel(contents)
    const c = new HostLink(
      WS,
      third,
      new Awareness(third),
      (n, h) => open(n, h, 'm1'),
      () => {},
    )
    await waitFor(() => third.getMap('meta').get('name') === 'Renamed', 'the member’s window synced')
    a.destroy()
    b.destroy()
    c.destroy()
  })

  it('gives no port to a foreign frame or for a malformed request', () => {
    const before = foreign.posted.length
    electron.ipcMain.emit(
      SYNC_OPEN_CHANNEL,
      { ...fakeEvent(), sender: foreign, senderFrame: foreign.mainFrame },
      { doc: WS, id: 1 },
    )
    electron.ipcMain.emit(
      SYNC_OPEN_CHANNEL,
      { ...fakeEvent(), sender: contents, senderFrame: contents.mainFrame },
      { doc: WS, id: -1, extra: true },
    )
    electron.ipcMain.emit(
      SYNC_OPEN_CHANNEL,
      { ...fakeEvent(), sender: contents, senderFrame: contents.mainFrame },
      { doc: WS, id: -1, member: '../m1' },
    )
    expect(foreign.posted.length).toBe(before)
    expect(contents.posted.filter((p) => p.message === -1)).toEqual([])
  })
})
