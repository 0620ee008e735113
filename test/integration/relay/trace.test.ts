import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Client, client, getJson, synced, waitFor } from './helpers.ts'
import { STORES, type StoreRelay, startStoreRelay, stopStoreServices } from './stores.ts'

let t: StoreRelay
let alice: Client
let bob: Client
let readToken: string
const DOC = 'W1/out-1'
const ENC = encodeURIComponent(DOC)
const times: number[] = []

describe.each(STORES)('trace API (%s)', (store) => {
  beforeAll(async () => {
    times.length = 0
    t = await startStoreRelay(store, { checkpointEvery: 3 })
    readToken = await t.reader('W1', 'auditor')
    alice = client(t.relay.url, DOC, await t.writer('W1', 'alice'))
    bob = client(t.relay.url, DOC, await t.writer('W1', 'bob'))
    await Promise.all([synced(alice), synced(bob)])
    const steps: [Client, string][] = [
      [alice, 'one '],
      [bob, 'two '],
      [alice, 'three '],
      [bob, 'four '],
      [alice, 'five '],
    ]
    for (const [who, text] of steps) {
      const other = who === alice ? bob : alice
      const y = who.doc.getText('content')
      y.insert(y.length, text)
      const expected = y.toString()
      await waitFor(() => other.doc.getText('content').toString() === expected, 'delivery')
      times.push(Date.now())
      await new Promise((r) => setTimeout(r, 15))
    }
  }, 60_000)
  afterAll(async () => {
    alice.destroy()
    bob.destroy()
    await t.stop()
  })

  it('health is behind the tokens too: 200 with any valid token, 401 without', async () => {
    expect(await getJson(t.relay.url, '/health', readToken)).toEqual({
      status: 200,
      body: { ok: true, workspaceId: 'W1' },
    })
    expect((await getJson(t.relay.url, '/health')).status).toBe(401)
  })

  it('lists the updates of a document with who, when and size', async () => {
    const { status, body } = await getJson(t.relay.url, `/api/docs/${ENC}/updates`, readToken)
    expect(status).toBe(200)
    expect(body.updates.map((u: { seq: number }) => u.seq)).toEqual([1, 2, 3, 4, 5])
    expect(body.updates.map((u: { member: string }) => u.member)).toEqual([
      'alice',
      'bob',
      'alice',
      'bob',
      'alice',
    ])
    for (const u of body.updates) {
      expect(u.size).toBeGreaterThan(0)
      expect(u.time).toBeLessThanOrEqual(Date.now())
    }
    expect(body.updates[0].clients).toEqual([alice.doc.clientID])
    expect(body.updates[1].clients).toEqual([bob.doc.clientID])
    // Unencoded name works too.
    expect((await getJson(t.relay.url, `/api/docs/${DOC}/updates`, readToken)).body.updates).toHaveLength(5)
  })

  it('pages and filters by member and time', async () => {
    const p1 = await getJson(t.relay.url, `/api/docs/${ENC}/updates?limit=2`, readToken)
    expect(p1.body.updates.map((u: { seq: number }) => u.seq)).toEqual([1, 2])
    expect(p1.body.next).toBe(2)
    const p2 = await getJson(t.relay.url, `/api/docs/${ENC}/updates?limit=2&after=${p1.body.next}`, readToken)
    expect(p2.body.updates.map((u: { seq: number }) => u.seq)).toEqual([3, 4])
    const bobs = await getJson(t.relay.url, `/api/docs/${ENC}/updates?member=bob`, readToken)
    expect(bobs.body.updates.map((u: { seq: number }) => u.seq)).toEqual([2, 4])
    const all = (await getJson(t.relay.url, `/api/docs/${ENC}/updates`, readToken)).body.updates
    const since = all[2].time
    const until = all[3].time
    const window = await getJson(
      t.relay.url,
      `/api/docs/${ENC}/updates?since=${since}&until=${until}`,
      readToken,
    )
    for (const u of window.body.updates) expect(u.time >= since && u.time <= until).toBe(true)
    expect(window.body.updates.map((u: { seq: number }) => u.seq)).toEqual(expect.arrayContaining([3, 4]))
  })

  it('returns the document as it was after update N (checkpoints do not hide history)', async () => {
    const expected = [
      '',
      'one ',
      'one two ',
      'one two three ',
      'one two three four ',
      'one two three four five ',
    ]
    for (let n = 0; n <= 5; n++) {
      const { status, body } = await getJson(t.relay.url, `/api/docs/${ENC}/content?at=${n}`, readToken)
      expect(status).toBe(200)
      expect(body.text.content ?? '').toBe(expected[n])
    }
    const latest = await getJson(t.relay.url, `/api/docs/${ENC}/content`, readToken)
    expect(latest.body).toMatchObject({ at: 5, latest: 5, content: { content: expected[5] } })
    expect((await getJson(t.relay.url, `/api/docs/${ENC}/content?at=6`, readToken)).status).toBe(404)
  })

  it('serves the raw bytes of one update', async () => {
    const res = await fetch(`${t.relay.url.replace('ws', 'http')}/api/docs/${ENC}/updates/2`, {
      headers: { authorization: `Bearer ${readToken}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0)
  })

  it('is behind the same tokens: 401 without, 403 for another workspace, ?token= works', async () => {
    expect(await getJson(t.relay.url, `/api/docs/${ENC}/updates`)).toEqual({
      status: 401,
      body: { error: 'unauthorized', message: 'missing token' },
    })
    expect((await getJson(t.relay.url, `/api/docs/${ENC}/content`, await t.reader('W2'))).status).toBe(403)
    expect((await getJson(t.relay.url, `/api/docs/${ENC}/updates`, 'so_bad')).status).toBe(401)
    expect((await getJson(t.relay.url, `/api/docs/${ENC}/updates?token=${readToken}`)).status).toBe(200)
    expect((await getJson(t.relay.url, `/api/docs/${ENC}/updates?limit=-1`, readToken)).status).toBe(400)
    expect((await getJson(t.relay.url, '/api/docs/..%2F..%2Fetc/updates', readToken)).status).toBe(400)
  })

  it('tells a token who it belongs to, so a teammate can join with just the relay address and the token', async () => {
    expect(await getJson(t.relay.url, '/api/whoami', readToken)).toEqual({
      status: 200,
      body: { workspaceId: 'W1', memberId: 'auditor', access: 'read' },
    })
    expect((await getJson(t.relay.url, '/api/whoami')).status).toBe(401)
    expect((await getJson(t.relay.url, '/api/whoami', 'so_0000000000000000_nope')).status).toBe(401)
  })

  it('answers the app from another origin (CORS preflight), since the token travels in a header', async () => {
    const base = t.relay.url.replace(/^ws/, 'http')
    const pre = await fetch(`${base}/api/whoami`, {
      method: 'OPTIONS',
      headers: { origin: 'signoff://app', 'access-control-request-headers': 'authorization' },
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/)
    const res = await fetch(`${base}/api/whoami`, {
      headers: { authorization: `Bearer ${readToken}`, origin: 'http://127.0.0.1:1' },
    })
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe.each(STORES)('trace API content of a hostile document (%s)', (store) => {
  it('shows every kind of content an entry holds, so a list item or key cannot hide the text', async () => {
    const own = await startStoreRelay(store)
    const doc = 'W9/out-9'
    const honest = client(own.relay.url, doc, await own.writer('W9', 'alice'))
    const mallory = client(own.relay.url, doc, await own.writer('W9', 'mallory'))
    try {
      await Promise.all([synced(honest), synced(mallory)])
      honest.doc.getText('content').insert(0, 'the approved words')
      await waitFor(() => mallory.doc.share.has('content'), 'delivery')
      // Mallory's own copy reads the entry as a list and as a map: an item in front of the text,
      // and a key beside it.
      for (const write of [
        (d: Y.Doc) => d.getArray('content').insert(0, [{ says: 'nothing to see' }]),
        (d: Y.Doc) => d.getMap('content').set('note', 'hidden'),
      ]) {
        const evil = new Y.Doc()
        Y.applyUpdate(evil, Y.encodeStateAsUpdate(mallory.doc))
        write(evil)
        Y.applyUpdate(mallory.doc, Y.encodeStateAsUpdate(evil, Y.encodeStateVector(mallory.doc)))
      }
      const url = `/api/docs/${encodeURIComponent(doc)}`
      for (let i = 0; ; i++) {
        const log = await getJson(own.relay.url, `${url}/updates`, await own.reader('W9'))
        if (log.body.updates.length === 3) break
        if (i > 200)
          throw new Error(
            `the log has ${JSON.stringify(log.body)}; stats ${JSON.stringify(own.relay.stats())}`,
          )
        await new Promise((r) => setTimeout(r, 20))
      }
      const { status, body } = await getJson(
        own.relay.url,
        `/api/docs/${encodeURIComponent(doc)}/content`,
        await own.reader('W9'),
      )
      expect(status).toBe(200)
      expect(body.text.content).toBe('the approved words')
      expect(body.content.content).toBe('the approved words')
      expect(body.mixed.content).toEqual({
        text: 'the approved words',
        items: [{ says: 'nothing to see' }],
        entries: { note: 'hidden' },
      })
    } finally {
      honest.destroy()
      mallory.destroy()
      await own.stop()
    }
  })
})

afterAll(stopStoreServices)
