import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { startWebServer, type WebServer } from '../../../electron/host/bridge.ts'
import { createWebHost } from '../../../renderer/src/host/web-client.ts'
import { outputDocName } from '../../../shared/docnames.ts'
import { createOutput } from '../../../shared/domain/actions.ts'
import { OutputDoc } from '../../../shared/domain/output.ts'
import { Workspace } from '../../../shared/domain/workspace.ts'
import { testScope } from '../../support/scope.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'
import { waitFor } from '../relay/helpers.ts'
import { openWindow } from './window-link.ts'

const scope = testScope()

const WS = 'wsWindowSync01'
const ADA = 'mAda000000000001'

async function bridge(dataDir: string): Promise<WebServer> {
  const server = await startWebServer({ port: 0, rendererDir: dataDir, dataDir, version: 'test' })
  scope.defer(() => server.close().catch(() => {}))
  const host = createWebHost(server.origin, server.secret)
  // A workspace kept on this device only: held by the host all the same.
  const held = await host.registerWorkspace({ workspaceId: WS, memberId: ADA })
  expect(held).toEqual({ workspaceId: WS, held: true })
  return server
}

/** What an older installation's window had in its own storage: a workspace with one output. */
function storedWorkspace(): { ws: Y.Doc; out: Y.Doc; outputId: string } {
  const wsDoc = new Y.Doc()
  const ws = smallTeamWorkspace(wsDoc, WS, 'Acme', { id: ADA, name: 'Ada' })
  const outDoc = new Y.Doc()
  const outputId = createOutput(ws, new OutputDoc(outDoc), {
    title: 'Launch note',
    typeId: [...ws.types.all()][0]!.id,
    content: 'We launch on Monday.',
    authorId: ADA,
  })
  return { ws: wsDoc, out: outDoc, outputId }
}

describe('windows as clients of the host (web bridge WebSocket)', () => {
  it('imports a window’s stored copy into the host log, says so, and a second window gets it all', async () => {
    const dataDir = scope.dir('signoff-window-sync-')
    const server = await bridge(dataDir)
    const stored = storedWorkspace()

    const a = openWindow(server.origin, server.secret, WS, stored.ws)
    const aOut = openWindow(server.origin, server.secret, outputDocName(WS, stored.outputId), stored.out)
    scope.defer(
      () => a.close(),
      () => aOut.close(),
    )
    expect(await a.link.whenSaved(5000)).toBe(true)
    expect(await aOut.link.whenSaved(5000)).toBe(true)
    expect(a.link.state.imported).toBe(true)
    expect(aOut.link.state.imported).toBe(true)

    // A fresh window (empty storage) sees everything, and is not told of an import.
    const b = openWindow(server.origin, server.secret, WS)
    const bOut = openWindow(server.origin, server.secret, outputDocName(WS, stored.outputId))
    scope.defer(
      () => b.close(),
      () => bOut.close(),
    )
    await waitFor(() => b.link.state.synced && bOut.link.state.synced, 'the second window synced')
    expect(b.link.state.imported).toBe(false)
    expect(new Workspace(b.doc, { migrate: false }).name).toBe('Acme')
    expect(new OutputDoc(bOut.doc, { migrate: false }).content.toString()).toBe('We launch on Monday.')
    expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(a.doc))
  })

  it('two windows on one workspace see each other’s edits and presence through the host', async () => {
    const dataDir = scope.dir('signoff-window-sync-')
    const server = await bridge(dataDir)
    const a = openWindow(server.origin, server.secret, WS, storedWorkspace().ws)
    const b = openWindow(server.origin, server.secret, WS)
    scope.defer(
      () => a.close(),
      () => b.close(),
    )
    await waitFor(() => a.link.state.synced && b.link.state.synced, 'both synced')

    a.doc.getMap('meta').set('name', 'Renamed by A')
    await waitFor(() => b.doc.getMap('meta').get('name') === 'Renamed by A', 'A’s edit at B')
    b.doc.getMap('meta').set('note', 'from B')
    await waitFor(() => a.doc.getMap('meta').get('note') === 'from B', 'B’s edit at A')

    a.awareness.setLocalState({ user: { name: 'Ada' }, viewing: null })
    await waitFor(
      () =>
        (b.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined)?.user
          ?.name === 'Ada',
      'A’s presence at B',
    )
    // A window that goes takes its presence with it.
    a.close()
    await waitFor(() => !b.awareness.getStates().has(a.doc.clientID), 'A’s presence gone at B')
  })

  it('what the host acknowledged survives a host restart', async () => {
    const dataDir = scope.dir('signoff-window-sync-')
    const first = await bridge(dataDir)
    const a = openWindow(first.origin, first.secret, WS, storedWorkspace().ws)
    scope.defer(() => a.close())
    for (let i = 0; i < 20; i++) a.doc.getMap('meta').set(`k${i}`, i)
    expect(await a.link.whenSaved(5000)).toBe(true)
    expect(a.link.state.unsaved).toBe(0)
    await first.close()
    await waitFor(() => !a.link.state.synced, 'the window noticed')

    const second = await bridge(dataDir)
    const b = openWindow(second.origin, second.secret, WS)
    scope.defer(() => b.close())
    await waitFor(() => b.link.state.synced, 'synced with the restarted host')
    for (let i = 0; i < 20; i++) expect(b.doc.getMap('meta').get(`k${i}`)).toBe(i)
  })

  it('refuses a document of a workspace the host does not hold, and a wrong secret', async () => {
    const dataDir = scope.dir('signoff-window-sync-')
    const server = await bridge(dataDir)
    const wrong = openWindow(server.origin, 'not-the-secret', WS)
    scope.defer(() => wrong.close())
    await new Promise((r) => setTimeout(r, 300))
    expect(wrong.link.state.synced).toBe(false)
    const bad = openWindow(server.origin, server.secret, '../etc')
    scope.defer(() => bad.close())
    await waitFor(() => bad.link.state.refused !== undefined, 'refused')
    expect(bad.link.state.refused).toMatch(/not a document name/)
  })
})
