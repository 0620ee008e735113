import { statSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createHost } from '../../../electron/host/index.ts'
import { testScope } from '../../support/scope.ts'
import { FakeRenderer, intakeHost } from './helpers.ts'

const scope = testScope()

async function host() {
  const { h, dataDir } = intakeHost(scope, 'signoff-intake-api-')
  const info = await h.intakeInfo(undefined)
  if (!info.url || !info.token) throw new Error(info.error)
  return { h, dataDir, url: info.url, token: info.token }
}

interface ApiBody {
  id: string
  state: string
  workspaceId: string
  reason: string
  reasons: string[]
  checklist: unknown[]
  error: { code: string; message: string }
}
const body = async (r: Response) => (await r.json()) as ApiBody

/**
 * POST a body over a plain socket the way curl does (headers, then the body in pieces) and
 * report the status line, or the socket error when the server hung up before the body was sent.
 */
function postLikeCurl(url: string, token: string, text: string): Promise<number | string> {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(url)
    const data = Buffer.from(text)
    const socket = connect(Number(port), hostname)
    let reply = ''
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1')
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(reply)?.[1] ?? 0)))
    socket.write(
      `POST /outputs HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${data.length}\r\nConnection: close\r\n\r\n`,
    )
    let at = 0
    const next = () => {
      while (at < data.length) {
        const piece = data.subarray(at, at + 64 * 1024)
        at += piece.length
        if (!socket.write(piece)) {
          socket.once('drain', next)
          return
        }
      }
    }
    next()
  })
}

const good = { title: 'Q3 launch', type: 'blog-article', content: '# Launch\n', source: { model: 'gpt-x' } }

describe('the local intake API: tokens and bodies', () => {
  it('keeps its token private and records where it listens', async () => {
    const { dataDir, url, token } = await host()
    expect(token).toMatch(/^sot_[\w-]{40,}$/)
    expect(statSync(join(dataDir, 'intake', 'token')).mode & 0o777).toBe(0o600)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('refuses wrong, missing and malformed tokens', async () => {
    const { h, url, token } = await host()
    await h.intakePending('wsTest')
    const post = (authorization?: string) =>
      fetch(`${url}/outputs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(good),
      })
    for (const auth of [undefined, 'Bearer nope', `Bearer ${token}x`, `Basic ${token}`, token, 'Bearer ']) {
      const r = await post(auth)
      expect(r.status, String(auth)).toBe(401)
      expect((await body(r)).error.code).toBe('unauthorized')
    }
    const get = await fetch(`${url}/outputs/oWhatever`, { headers: { authorization: 'Bearer wrong' } })
    expect(get.status).toBe(401)
    expect((await post(`Bearer ${token}`)).status).toBe(202)
    // DNS rebinding: another Host name is refused even with the token.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/outputs/oWhatever`, {
        headers: { host: 'evil.example', authorization: `Bearer ${token}` },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect(rebound).toBe(403)
  })

  it('validates bodies: JSON only, schema, size, workspace', async () => {
    const { h, url, token } = await host()
    const send = (body: string, type = 'application/json') =>
      fetch(`${url}/outputs`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${token}` },
        body,
      })
    // No workspace known on this machine yet.
    let r = await send(JSON.stringify(good))
    expect(r.status).toBe(404)
    expect((await body(r)).error.code).toBe('no_workspace')
    await h.intakePending('wsTest')
    r = await send('title=x', 'application/x-www-form-urlencoded')
    expect(r.status).toBe(415)
    r = await send('{not json')
    expect(r.status).toBe(400)
    expect((await body(r)).error.code).toBe('malformed_body')
    // Each refusal names the field as the JSON spells it and says what it must be, in words.
    const bad: [unknown, string][] = [
      [[], 'The submission must be an object.'],
      [{ ...good, title: '' }, '"title" must not be empty.'],
      [{ ...good, type: undefined }, '"type" is missing.'],
      [{ ...good, content: 5 }, '"content" must be text.'],
      // Nothing to review: refused here as the inbox refuses an empty file (issue 12 #17).
      [{ ...good, content: '' }, '"content" must not be empty or only whitespace.'],
      [{ ...good, content: ' \n\t ' }, '"content" must not be empty or only whitespace.'],
      [{ ...good, due: 'next week' }, '"due" must be a date like 2026-12-31.'],
      // Date.parse reads 30 February as 2 March.
      [{ ...good, due: '2026-02-30' }, '"due" is not a date on the calendar.'],
      [{ ...good, tags: 'a,b' }, '"tags" must be a list.'],
      [
        { ...good, tags: Array.from({ length: 40 }, (_, i) => `t${i}`) },
        'There are 40 tags: at most 30 fit. Put some together.',
      ],
      [{ ...good, title: 'T'.repeat(300) }, 'The title is 300 characters: at most 200 fit. Shorten it.'],
      [{ ...good, source: { model: 'x', secret: 1 } }, '"source" has no field "secret".'],
      [{ ...good, extra: true }, 'The submission has no field "extra".'],
      [{ ...good, workspaceId: '../etc' }, '"workspaceId" must be an id of letters, digits, - and _.'],
      // Every field's problem at once, so they are fixed in one go.
      [{ content: 'x', type: 7 }, '"title" is missing. "type" must be text.'],
    ]
    for (const [payload, message] of bad) {
      r = await send(JSON.stringify(payload))
      expect(r.status, JSON.stringify(payload)).toBe(400)
      const json = await body(r)
      expect(json.error.code).toBe('invalid_body')
      expect(json.error.message).toBe(message)
    }
    r = await send(JSON.stringify({ ...good, workspaceId: 'wsOther' }))
    expect(r.status).toBe(404)
    expect((await body(r)).error.code).toBe('unknown_workspace')
    r = await send(JSON.stringify({ ...good, content: 'x'.repeat(5 * 1024 * 1024) }))
    expect(r.status).toBe(413)
    r = await fetch(`${url}/outputs`, { headers: { authorization: `Bearer ${token}` } })
    expect(r.status).toBe(405)
    r = await fetch(`${url}/nowhere`, { headers: { authorization: `Bearer ${token}` } })
    expect(r.status).toBe(404)
    expect(await h.intakePending('wsTest')).toHaveLength(0)
  })

  it('answers 413 to a body over 4 MB every time, never a broken pipe (issue 12 #16)', async () => {
    const { h, url, token } = await host()
    await h.intakePending('wsTest')
    const big = JSON.stringify({ ...good, content: 'x'.repeat(5 * 1024 * 1024) })
    for (let i = 0; i < 8; i++) {
      // fetch sends the whole body; a server that closes before reading it makes fetch throw.
      const r = await fetch(`${url}/outputs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: big,
      })
      expect(r.status).toBe(413)
      expect((await body(r)).error.code).toBe('body_too_large')
      // The same for a refusal that comes before the body is looked at.
      const unauthorized = await fetch(`${url}/outputs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' },
        body: big,
      })
      expect(unauthorized.status).toBe(401)
      // A client that writes its whole body before it reads (curl) gets the answer too.
      expect(await postLikeCurl(`${url}/outputs`, token, big)).toBe(413)
      expect(await postLikeCurl(`${url}/outputs`, 'wrong', big)).toBe(401)
    }
  })
})

describe('the local intake API: drafts and statuses', () => {
  it('queues, becomes a draft through the renderer, and reports review feedback', async () => {
    const { h, url, token } = await host()
    const renderer = new FakeRenderer(h)
    await h.intakePending(renderer.workspaceId)
    const auth = { authorization: `Bearer ${token}` }
    const r = await fetch(`${url}/outputs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ...good, tags: ['launch'], due: '2026-12-01' }),
    })
    expect(r.status).toBe(202)
    const created = await body(r)
    expect(created).toMatchObject({ workspaceId: 'wsTest', state: 'queued' })
    expect(created.id).toMatch(/^o[0-9A-Za-z]{16}$/)
    const status = async (id: string) => {
      const res = await fetch(`${url}/outputs/${id}`, { headers: auth })
      return { code: res.status, body: await body(res) }
    }
    expect((await status(created.id)).body.state).toBe('queued')
    expect((await status('oNoSuchOutput0000')).code).toBe(404)

    // A submission naming a type the workspace does not have.
    const wrongType = await body(
      await fetch(`${url}/outputs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ ...good, type: 'poem' }),
      }),
    )

    expect(await renderer.drain()).toBe(2)
    const summary = renderer.ws.summary(created.id)!
    expect(summary).toMatchObject({
      title: 'Q3 launch',
      typeId: 'blog-article',
      state: 'draft',
      tags: ['launch'],
    })
    expect(renderer.outputs.get(created.id)!.readMeta()).toMatchObject({
      authorId: 'mAuthor',
      source: { model: 'gpt-x' },
      dueDate: '2026-12-01',
    })
    expect((await status(created.id)).body).toMatchObject({ state: 'draft', typeId: 'blog-article' })
    const failed = await status(wrongType.id)
    expect(failed.body).toMatchObject({ state: 'failed' })
    expect(failed.body.reason).toMatch(/no output type "poem"/)

    renderer.sendBack(created.id, 'The revenue figure is wrong', 'Fix the numbers')
    await renderer.report([created.id])
    const reviewed = (await status(created.id)).body
    expect(reviewed).toMatchObject({
      state: 'changes_requested',
      reasons: ['Fix the numbers'],
      approvalsRequired: expect.any(Number),
    })
    expect(reviewed.checklist).toContainEqual({
      title: 'Facts checked',
      verdict: 'fail',
      note: 'The revenue figure is wrong',
    })
  })

  it('keeps statuses across a restart of the host', async () => {
    const dataDir = scope.dir('signoff-intake-restart-')
    const a = createHost({ shell: 'web', version: 'test', dataDir, intakePort: 0 })
    const renderer = new FakeRenderer(a)
    await a.intakePending(renderer.workspaceId)
    const info = await a.intakeInfo(undefined)
    const created = await body(
      await fetch(`${info.url}/outputs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(good),
      }),
    )
    await a.close()
    // Queued while the window was closed: still there after the restart, same token.
    const b = createHost({ shell: 'web', version: 'test', dataDir, intakePort: 0 })
    scope.defer(() => b.close())
    const info2 = await b.intakeInfo(undefined)
    expect(info2.token).toBe(info.token)
    const pending = await b.intakePending(renderer.workspaceId)
    expect(pending.map((p) => p.id)).toEqual([created.id])
  })
})
