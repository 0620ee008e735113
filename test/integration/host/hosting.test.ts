import { mkdtempSync, rmSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createHost } from '../../../electron/host/index.ts'
import { parseHostInput } from '../../../shared/host/api.ts'
import { testScope } from '../../support/scope.ts'

const scope = testScope()

function host(relayThreadEntry?: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'signoff-hosting-'))
  const h = createHost({
    shell: 'web',
    version: 'test',
    dataDir,
    ...(relayThreadEntry ? { relayThreadEntry } : {}),
  })
  scope.defer(() => rmSync(dataDir, { recursive: true, force: true }))
  scope.defer(() => h.close())
  return h
}

function connect(url: string, room: string, token: string) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as never,
    params: { token },
    disableBc: true,
  })
  scope.defer(() => provider.destroy())
  return { doc, provider }
}

const synced = (p: WebsocketProvider) =>
  new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', () => resolve())))

describe('hosting a workspace on this machine', () => {
  it('starts the relay, syncs the host with its own token, and lets an invited teammate in', async () => {
    const h = host()
    expect((await h.hostingStatus(undefined)).running).toBe(false)
    const started = await h.startHosting({ workspaceId: 'w1', memberId: 'admin', port: 0, lan: false })
    expect(started.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    expect(started.lanUrls).toEqual([])
    const own = connect(started.url, 'w1', started.ownToken)
    own.doc.getMap('meta').set('name', 'Acme')
    await synced(own.provider)

    const invite = await h.createInvite({ workspaceId: 'w1', memberId: 'rita', access: 'write' })
    const rita = connect(invite.relayUrl, 'w1', invite.token)
    await synced(rita.provider)
    await expect.poll(() => rita.doc.getMap('meta').get('name')).toBe('Acme')

    const invites = await h.listInvites('w1')
    expect(invites.map((i) => i.memberId).sort()).toEqual(['admin', 'rita'])
    expect(await h.revokeInvite(invite.tokenId)).toEqual({ revoked: true })
    expect((await h.listInvites('w1')).find((i) => i.tokenId === invite.tokenId)?.revoked).toBe(true)
    expect((await h.stopHosting(undefined)).running).toBe(false)
  })

  it('a port already in use is said in words, and another port then works', async () => {
    const h = host()
    const taken = createServer()
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()))
    scope.defer(() => new Promise<void>((r) => taken.close(() => r())))
    const port = (taken.address() as AddressInfo).port
    await expect(h.startHosting({ workspaceId: 'w1', memberId: 'admin', port, lan: false })).rejects.toThrow(
      `Port ${port} is already in use on this computer (another program, or another Signoff, listens there): choose another port, or 0 for any free one.`,
    )
    expect((await h.hostingStatus(undefined)).running).toBe(false)
    const started = await h.startHosting({ workspaceId: 'w1', memberId: 'admin', port: 0, lan: false })
    expect(started.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
  })

  it('an invite for one workspace does not open another', async () => {
    const h = host()
    const started = await h.startHosting({ workspaceId: 'w1', memberId: 'admin', port: 0, lan: false })
    const invite = await h.createInvite({ workspaceId: 'w1', memberId: 'rita', access: 'write' })
    const closes: number[] = []
    const other = connect(started.url, 'w2', invite.token)
    other.provider.on('connection-close', (e: { code: number } | null) => {
      if (e) closes.push(e.code)
    })
    await expect.poll(() => closes[0]).toBeGreaterThanOrEqual(4000)
  })

  it('invites need hosting first, and bad arguments are refused before they reach the relay', async () => {
    const h = host()
    await expect(h.createInvite({ workspaceId: 'w1', memberId: 'rita', access: 'write' })).rejects.toThrow(
      /not hosted on this machine/,
    )
    expect(() =>
      parseHostInput('startHosting', { workspaceId: '../etc', memberId: 'a', port: 0, lan: false }),
    ).toThrow(/Invalid argument for startHosting/)
    expect(() =>
      parseHostInput('createInvite', { workspaceId: 'w1', memberId: 'a', access: 'admin' }),
    ).toThrow()
    expect(() =>
      parseHostInput('startHosting', { workspaceId: 'w1', memberId: 'a', port: 70000, lan: false }),
    ).toThrow()
  })

  it('when the relay’s thread ends on its own, says so, and starts again with what it had stored', async () => {
    // The real relay thread, plus a way to make an error escape it (test/unit/relay).
    const h = host(fileURLToPath(new URL('../../unit/relay/crashing-thread.ts', import.meta.url)))
    await h.startHosting({ workspaceId: 'w1', memberId: 'admin', port: 0, lan: false })
    const invite = await h.createInvite({ workspaceId: 'w1', memberId: 'rita', access: 'write' })
    const notices: unknown[] = []
    const statuses: unknown[] = []
    h.onEvent((event) => {
      if (event.name === 'notice') notices.push(event.payload)
      if (event.name === 'hosting') statuses.push(event.payload)
    })
    await h.listInvites('crash').catch(() => {})
    await expect.poll(async () => (await h.hostingStatus(undefined)).running).toBe(false)
    expect((await h.hostingStatus(undefined)).error).toMatch(
      /^The relay stopped: .*boom in the relay.*\. Start hosting again; what it had stored is kept\.$/,
    )
    await expect(h.listInvites('w1')).rejects.toThrow(/start hosting first/)
    // The hosted workspace's window hears it too.
    expect(notices).toEqual([
      {
        workspaceId: 'w1',
        kind: 'error',
        text: expect.stringMatching(
          /^Hosting stopped on this device: .*boom in the relay.*Settings → Sync\.$/,
        ),
      },
    ])
    // And Settings → Sync, which shows the status as it changes.
    expect(statuses).toEqual([
      { running: false, lanUrls: [], error: expect.stringMatching(/^The relay stopped: /) },
    ])
    // The app itself runs on; hosting starts again, and the invite is still there.
    const again = await h.startHosting({ workspaceId: 'w1', memberId: 'admin', port: 0, lan: false })
    expect(again.running).toBe(true)
    expect((await h.hostingStatus(undefined)).error).toBeUndefined()
    expect((await h.listInvites('w1')).map((i) => i.tokenId)).toContain(invite.tokenId)
  })

  it('says plainly when the shell has nowhere to keep a relay', async () => {
    const h = createHost({ shell: 'web', version: 'test' })
    expect((await h.hostingStatus(undefined)).error).toMatch(/not available/)
    await expect(h.startHosting({ workspaceId: 'w1', memberId: 'a', port: 0, lan: false })).rejects.toThrow(
      /not available/,
    )
  })
})
