import { type ChildProcess, spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { HostLink } from '../../../renderer/src/data/host-link.ts'
import { createWebHost } from '../../../renderer/src/host/web-client.ts'
import { testScope } from '../../support/scope.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'
import { waitFor } from '../relay/helpers.ts'
import { nodeDocChannel, openWindow } from './window-link.ts'

const root = resolve(import.meta.dirname, '../../..')
const scope = testScope()

const WS = 'wKillMidEdit'

/** `npm run web`'s host as its own process (electron/host/web-main.ts): a free port, kept per data folder. */
function startWeb(dataDir: string): Promise<{ child: ChildProcess; origin: string; secret: string }> {
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      join(root, 'electron/host/web-main.ts'),
    ],
    {
      env: {
        ...process.env,
        SIGNOFF_DATA_DIR: dataDir,
        SIGNOFF_RENDERER_DIR: dataDir,
        SIGNOFF_INTAKE_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  scope.defer(() => {
    child.kill('SIGKILL')
  })
  return new Promise((done, failed) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const url = new URL(/open (\S+)/.exec(line)?.[1] ?? '')
      done({ child, origin: url.origin, secret: new URLSearchParams(url.hash.slice(1)).get('secret') ?? '' })
    })
    child.once('exit', (code) => failed(new Error(`the web host exited with ${code}`)))
  })
}

describe('killing the host process mid-edit', () => {
  it('loses nothing the window had shown as saved (acknowledged durable by the host log)', async () => {
    const dataDir = scope.dir('signoff-window-kill-')
    const first = await startWeb(dataDir)
    await createWebHost(first.origin, first.secret).registerWorkspace({ workspaceId: WS, memberId: 'm1' })

    const doc = new Y.Doc()
    smallTeamWorkspace(doc, WS, 'Kill', { id: 'm1', name: 'Me' })
    let lastEdit = -1
    let lastSaved = -1
    const link: HostLink = new HostLink(
      WS,
      doc,
      new Awareness(doc),
      nodeDocChannel(first.origin, first.secret),
      () => {
        // What the header would show as "Saved" right now covers every edit made so far.
        if (link?.state.synced && link.state.unsaved === 0) lastSaved = lastEdit
      },
    )
    scope.defer(() => link.destroy())
    expect(await link.whenSaved(10_000)).toBe(true)

    const edits = doc.getMap('edits')
    let editing = true
    const typing = (async () => {
      while (editing) {
        lastEdit++
        edits.set(`e${lastEdit}`, `edit ${lastEdit}`.repeat(20))
        await new Promise((r) => setTimeout(r, 2))
      }
    })()
    await waitFor(() => lastSaved >= 200, 'a few hundred saved edits', 20_000)
    first.child.kill('SIGKILL')
    await new Promise((r) => first.child.once('exit', r))
    editing = false
    await typing
    expect(lastEdit).toBeGreaterThan(lastSaved)

    const second = await startWeb(dataDir)
    const fresh = openWindow(second.origin, second.secret, WS)
    scope.defer(() => fresh.close())
    await waitFor(() => fresh.link.state.synced, 'a fresh window synced with the restarted host', 15_000)
    const kept = fresh.doc.getMap('edits')
    const missing: number[] = []
    for (let i = 0; i <= lastSaved; i++) if (kept.get(`e${i}`) !== `edit ${i}`.repeat(20)) missing.push(i)
    expect(missing).toEqual([])
    // The window that kept editing, opened again at the restarted host (a new run has a new
    // secret), brings what the host had not acknowledged from its own copy.
    link.destroy()
    const again = new HostLink(
      WS,
      doc,
      new Awareness(doc),
      nodeDocChannel(second.origin, second.secret),
      () => {},
    )
    scope.defer(() => again.destroy())
    expect(await again.whenSaved(15_000)).toBe(true)
    await waitFor(() => kept.size === lastEdit + 1, 'every edit at the restarted host')
  }, 60_000)
})
