import { execFileSync } from 'node:child_process'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CLOSE } from '../../../sync-server/close-codes.ts'
import { CLI, type Client, client, getJson, NODE, NODE_FLAGS, rawSocket, synced, waitFor } from './helpers.ts'
import { STORES, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

let t: StoreRelay
const clients: Client[] = []
const open = (room: string, token: string | null) => {
  const c = client(t.relay.url, room, token)
  clients.push(c)
  return c
}

afterAll(stopStoreServices)

async function refusedWith(room: string, token: string | null, code: number, reason: string) {
  const c = open(room, token)
  await waitFor(() => c.closes.length > 0, `close ${code}`)
  expect(c.closes[0]).toEqual({ code, reason })
  // 44xx is final for stock clients: no reconnect storm.
  expect(c.provider.shouldConnect).toBe(false)
  expect(c.provider.synced).toBe(false)
}

describe.each(STORES)('relay auth (%s)', (store) => {
  beforeEach(async () => {
    t = await startStoreRelay(store)
  }, 60_000)
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await t.stop()
  })

  it('refuses a connection without a token, with a close code and reason', async () => {
    await refusedWith('W1', null, CLOSE.unauthorized, 'missing token')
  })

  it('refuses garbage and unknown tokens', async () => {
    await refusedWith('W1', 'not-a-token', CLOSE.unauthorized, 'invalid or revoked token')
    const real = await t.writer('W1')
    const forged = `${real.slice(0, -4)}AAAA`
    await refusedWith('W1', forged, CLOSE.unauthorized, 'invalid or revoked token')
  })

  it('refuses a token for another workspace, for the workspace doc and its outputs', async () => {
    const token = await t.writer('W2')
    await refusedWith('W1', token, CLOSE.forbidden, 'token is not valid for this workspace')
    await refusedWith('W1/out-1', token, CLOSE.forbidden, 'token is not valid for this workspace')
  })

  it('refuses names that are not document names', async () => {
    await refusedWith('W1/a/b', await t.writer('W1'), CLOSE.malformed, 'invalid document name')
  })

  it('sends no document data before the token is checked', async () => {
    const w = open('W1', await t.writer('W1'))
    await synced(w)
    w.doc.getText('content').insert(0, 'secret plan')
    await waitFor(() => t.relay.stats().commits > 0, 'commit')
    const s = rawSocket(t.relay.url, 'W1', 'so_0000000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')
    expect(await s.closed).toEqual({ code: CLOSE.unauthorized, reason: 'invalid or revoked token' })
    expect(s.messages).toEqual([])
  })

  it('revoked tokens are refused, and revoking closes live connections', async () => {
    const { id, token } = await t.relay.createToken({
      workspaceId: 'W1',
      memberId: 'mallory',
      access: 'write',
    })
    const c = open('W1', token)
    await synced(c)
    expect(await t.relay.revokeToken(id)).toBe(true)
    await waitFor(() => c.closes.length > 0, 'revocation close')
    expect(c.closes[0]).toEqual({ code: CLOSE.unauthorized, reason: 'token revoked' })
    await refusedWith('W1', token, CLOSE.unauthorized, 'invalid or revoked token')
    expect((await t.relay.listTokens('W1')).find((x) => x.id === id)?.revoked).toBe(true)
  })

  it('the CLI mints, lists and revokes tokens in the running relay’s data directory', async () => {
    const cli = (...args: string[]) =>
      execFileSync(NODE, [...NODE_FLAGS, CLI, 'token', ...args, ...t.cliArgs], { encoding: 'utf8' })
    const token = cli('create', '--workspace', 'W1', '--member', 'dana', '--access', 'write').trim()
    expect(token).toMatch(/^so_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/)
    const c = open('W1', token)
    await synced(c)
    const id = token.split('_')[1]!
    expect(cli('list', '--workspace', 'W1')).toContain(`${id}\tW1\tdana\twrite`)
    cli('revoke', '--id', id)
    await waitFor(() => c.closes.length > 0, 'sweep closes the revoked connection', 8000)
    expect(c.closes[0]?.code).toBe(CLOSE.unauthorized)
    expect(cli('list')).toMatch(new RegExp(`${id}.*revoked`))
  })

  it('read-only connections receive everything; their updates are dropped and counted', async () => {
    const w = open('W1', await t.writer('W1', 'alice'))
    const r = open('W1', await t.reader('W1', 'rita'))
    await Promise.all([synced(w), synced(r)])
    w.doc.getText('content').insert(0, 'approved text')
    await waitFor(() => r.doc.getText('content').toString() === 'approved text', 'reader receives')
    r.doc.getText('content').insert(0, 'EVIL ')
    await waitFor(() => t.relay.stats().readOnlyDropped > 0, 'drop counted')
    const w2 = open('W1', await t.writer('W1', 'bob'))
    await synced(w2)
    await new Promise((res) => setTimeout(res, 100))
    expect(w.doc.getText('content').toString()).toBe('approved text')
    expect(w2.doc.getText('content').toString()).toBe('approved text')
    const log = await getJson(t.relay.url, '/api/docs/W1/updates', await t.reader('W1'))
    expect(log.body.updates.map((u: { member: string }) => u.member)).toEqual(['alice'])
  })
})
