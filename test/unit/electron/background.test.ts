// Keep running in the background: the main-process part (electron/main/background.ts) against the
// stand-in electron module, with a real host (its setting and replicas in a temp folder).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { createHost, type Host } from '../../../electron/host/index.ts'
import { keepInBackground } from '../../../electron/main/background.ts'
import { HostLink } from '../../../renderer/src/data/host-link.ts'
import { createOutput } from '../../../shared/domain/actions.ts'
import { localOrigin } from '../../../shared/domain/origins.ts'
import { OutputDoc } from '../../../shared/domain/output.ts'
import { inProcessChannel } from '../../integration/host/window-link.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'
import { FakeTray } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)

const dataDir = mkdtempSync(join(tmpdir(), 'signoff-background-'))
let host: Host
beforeAll(async () => {
  host = createHost({ shell: 'electron', version: 'test', dataDir, intakePort: 0 })
})
afterAll(async () => {
  await host.close()
  rmSync(dataDir, { recursive: true, force: true })
})

type Item = { label?: string; enabled?: boolean; click?: () => void; type?: string }
const items = (tray: FakeTray) => (tray.menu?.template ?? []) as Item[]

describe('keep running in the background', () => {
  it('is on by default on macOS only, and the person’s choice is kept', async () => {
    const settings = await host.backgroundSettings(undefined)
    expect(settings.platformDefault).toBe(process.platform === 'darwin')
    expect(settings.keepRunning).toBe(settings.platformDefault)
    expect((await host.setKeepRunning(true)).keepRunning).toBe(true)
    const again = createHost({ shell: 'electron', version: 'test', dataDir: join(dataDir), intakePort: 0 })
    expect((await again.backgroundSettings(undefined)).keepRunning).toBe(true)
    await again.close()
  })

  it('closing the last window quits when off; when on, a tray shows what waits and what is next, and Quit quits', async () => {
    const calls: string[] = []
    const bg = keepInBackground({
      host,
      openWindow: () => calls.push('open'),
      quit: () => calls.push('quit'),
    })
    await host.setKeepRunning(false)
    await bg.allWindowsClosed()
    expect(calls).toEqual(['quit'])
    expect(bg.tray).toBeNull()

    // A workspace on this device with a review waiting for me and a publish scheduled.
    await host.registerWorkspace({ workspaceId: 'wTray', memberId: 'mMe' })
    const doc = new Y.Doc()
    const ws = smallTeamWorkspace(doc, 'wTray', 'Acme', { id: 'mMe', name: 'Me' })
    const out = new OutputDoc(new Y.Doc())
    const id = createOutput(ws, out, {
      title: 'Launch note',
      typeId: 'blog-article',
      content: 'Hi.',
      authorId: 'mMe',
    })
    ws.transact(localOrigin('mMe'), () =>
      ws.putSummary({
        ...ws.summary(id)!,
        state: 'in_review',
        reviewer: 'mMe',
        nextSchedule: { destinationId: 'site', runAt: Date.now() + 3_600_000 },
      }),
    )
    const link = new HostLink('wTray', doc, new Awareness(doc), inProcessChannel(host), () => {})
    expect(await link.whenSaved(5000)).toBe(true)

    calls.length = 0
    await host.setKeepRunning(true)
    await bg.allWindowsClosed()
    expect(calls).toEqual([])
    const tray = bg.tray as unknown as FakeTray
    expect(tray).toBeInstanceOf(FakeTray)
    expect(tray.tooltip).toBe('Signoff: 1 review wait for you')
    const labels = items(tray).map((i) => i.label)
    expect(labels).toContain('1 review wait for you')
    expect(labels).toContain('  Launch note (Acme)')
    expect(labels.some((l) => l?.startsWith('Next scheduled: Launch note at '))).toBe(true)
    items(tray)
      .find((i) => i.label === 'Open Signoff')
      ?.click?.()
    tray.emit('click')
    expect(calls).toEqual(['open', 'open'])
    items(tray)
      .find((i) => i.label === 'Quit Signoff')
      ?.click?.()
    expect(calls).toEqual(['open', 'open', 'quit'])

    // A window opens again: the tray goes.
    bg.windowOpened()
    expect(tray.destroyed).toBe(true)
    expect(bg.tray).toBeNull()
    link.destroy()
  })
})
