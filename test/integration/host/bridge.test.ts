import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECRET_HEADER, startWebServer, type WebServer } from '../../../electron/host/bridge.ts'
import { CONTENT_SECURITY_POLICY } from '../../../electron/host/csp.ts'
import { createWebHost, HostCallError } from '../../../renderer/src/host/web-client.ts'
import { HOST_SYNC_PATH } from '../../../shared/host/doc-sync.ts'

let bridge: WebServer
const rendererDir = mkdtempSync(join(tmpdir(), 'signoff-renderer-'))
mkdirSync(join(rendererDir, 'assets'))
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Signoff</title>')
writeFileSync(join(rendererDir, 'assets', 'index-D0cdSVtd.js'), 'export {}')
writeFileSync(join(rendererDir, 'assets', 'icon.svg'), '<svg/>')

beforeAll(async () => {
  bridge = await startWebServer({ port: 0, rendererDir, version: '9.9.9', maxBodyBytes: 4096 })
})
afterAll(() => bridge.close())

async function call(
  method: string,
  init: { body?: string; headers?: Record<string, string>; verb?: string } = {},
) {
  const response = await fetch(`${bridge.origin}/host/${method}`, {
    method: init.verb ?? 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: bridge.secret, ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  })
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; error?: { code: string } },
  }
}

/** Raw request, for headers fetch will not let us forge (Host). */
function rawGet(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: bridge.port, path, headers: { host } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('web bridge', () => {
  it('lets the browser keep the hashed build files, and asks for the page every time', async () => {
    const cache = async (path: string) =>
      (await fetch(`${bridge.origin}${path}`)).headers.get('cache-control')
    expect(await cache('/assets/index-D0cdSVtd.js')).toBe('public, max-age=31536000, immutable')
    // The page names the build's files; a file without a content hash in its name may change.
    expect(await cache('/')).toBe('no-cache')
    expect(await cache('/index.html')).toBe('no-cache')
    expect(await cache('/assets/icon.svg')).toBe('no-cache')
  })

  it('binds loopback, prints a URL with the secret in the fragment', () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(bridge.url).toBe(`${bridge.origin}/#secret=${bridge.secret}`)
    expect(bridge.secret.length).toBeGreaterThanOrEqual(40)
  })
  it('refuses to bind anything but loopback', async () => {
    await expect(startWebServer({ rendererDir, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(
      /127\.0\.0\.1/,
    )
  })
  it('makes a fresh secret per start', async () => {
    const other = await startWebServer({ rendererDir })
    expect(other.secret).not.toBe(bridge.secret)
    await other.close()
  })
  it('serves the renderer with the CSP header', async () => {
    const response = await fetch(`${bridge.origin}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(await response.text()).toContain('<title>Signoff</title>')
  })
  it('answers host calls through the renderer’s client', async () => {
    const host = createWebHost(bridge.origin, bridge.secret)
    expect(await host.appInfo(undefined)).toMatchObject({ name: 'Signoff', version: '9.9.9', shell: 'web' })
    expect(await host.openExternal('https://example.com')).toEqual({
      opened: false,
      reason: 'This shell cannot open links outside the app.',
    })
    await expect(host.openExternal(42 as unknown as string)).rejects.toMatchObject({
      code: 'invalid_argument',
    })
    await expect(createWebHost(bridge.origin, 'wrong').appInfo(undefined)).rejects.toBeInstanceOf(
      HostCallError,
    )
  })
  it.each([
    ['no secret', 'appInfo', { headers: { [SECRET_HEADER]: '' } }, 401, 'unauthorized'],
    ['a wrong secret', 'appInfo', { headers: { [SECRET_HEADER]: 'nope' } }, 401, 'unauthorized'],
    ['a foreign origin', 'appInfo', { headers: { origin: 'https://evil.example' } }, 403, 'bad_origin'],
    ['a null origin', 'appInfo', { headers: { origin: 'null' } }, 403, 'bad_origin'],
    ['an unknown method', 'readEverything', { body: '{}' }, 404, 'unknown_method'],
    ['a prototype name', '__proto__', { body: '{}' }, 404, 'unknown_method'],
    ['GET', 'appInfo', { verb: 'GET' }, 405, 'method_not_allowed'],
    [
      'a form post',
      'appInfo',
      { body: 'input=1', headers: { 'content-type': 'text/plain' } },
      415,
      'unsupported_media_type',
    ],
    ['malformed JSON', 'appInfo', { body: '{"input":' }, 400, 'malformed_body'],
    ['a JSON array', 'appInfo', { body: '[1]' }, 400, 'malformed_body'],
    ['an invalid argument', 'openExternal', { body: '{"input":{"url":1}}' }, 400, 'invalid_argument'],
    [
      'a huge body',
      'appInfo',
      { body: JSON.stringify({ input: 'x'.repeat(10_000) }) },
      413,
      'body_too_large',
    ],
  ] as const)('refuses %s with a JSON error', async (_what, method, init, status, code) => {
    const reply = await call(method, init)
    expect(reply.status).toBe(status)
    expect(reply.body.ok).toBe(false)
    expect(reply.body.error?.code).toBe(code)
  })
  it('accepts its own origin', async () => {
    const reply = await call('appInfo', { body: '{}', headers: { origin: bridge.origin } })
    expect(reply.status).toBe(200)
  })
  it('refuses a foreign Host (DNS rebinding) for pages and calls alike', async () => {
    expect(await rawGet('/', `evil.example:${bridge.port}`)).toBe(403)
    expect(await rawGet('/host/appInfo', 'evil.example')).toBe(403)
    expect(await rawGet('/', `localhost:${bridge.port}`)).toBe(200)
  })
  it('survives a window that resets its connection after a refused sync upgrade (a stale secret)', async () => {
    // A window from before a restart reconnects with the old secret, is refused, and its socket
    // is reset instead of closed: the bridge must not die of the reset.
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(bridge.port, '127.0.0.1', () => {
          socket.write(
            `GET ${HOST_SYNC_PATH}?doc=d&secret=stale HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\n` +
              'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
          )
        })
        socket.once('data', (answer) => {
          expect(answer.toString('latin1')).toMatch(/^HTTP\/1\.1 (401|403)/)
          socket.resetAndDestroy()
          resolve()
        })
        socket.on('error', reject)
      })
    }
    await new Promise((r) => setTimeout(r, 200))
    expect(await rawGet('/', `127.0.0.1:${bridge.port}`)).toBe(200)
  })

  it('does not serve files outside the renderer', async () => {
    expect(await rawGet('/../package.json', `127.0.0.1:${bridge.port}`)).toBe(404)
    expect(await rawGet('/%2e%2e/%2e%2e/etc/passwd', `127.0.0.1:${bridge.port}`)).toBe(404)
  })
})
