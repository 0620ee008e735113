import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SECRET_HEADER } from '../../electron/host/bridge.ts'
import { CONTENT_SECURITY_POLICY } from '../../electron/host/csp.ts'
import { expect, test } from './fixtures/app.ts'

test.describe('the web shell (npm run web)', () => {
  test('serves the app with the strict Content-Security-Policy', async ({ page, bridge }) => {
    const response = await page.goto(bridge.url)
    expect(response?.status()).toBe(200)
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    await expect(page).toHaveTitle('Signoff')
    await expect(page.locator('#root')).not.toBeEmpty()
  })

  test('the policy is in force: injected scripts do not run', async ({ openApp }) => {
    const page = await openApp()
    const refusals: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) refusals.push(message.text())
    })
    // (eval cannot be checked from here: Playwright's evaluate is allowed to bypass the CSP.)
    // Page code is passed as strings: the e2e tests are type-checked without the DOM library.
    await page.addScriptTag({ content: 'window.__injected = "inline"' }).catch(() => {})
    await page.addScriptTag({ url: 'data:text/javascript,window.__injected="data"' }).catch(() => {})
    expect(await page.evaluate('window.__injected ?? "nothing ran"')).toBe('nothing ran')
    await expect.poll(() => refusals.some((r) => /inline script/.test(r))).toBe(true)
    await expect.poll(() => refusals.some((r) => /data:text\/javascript/.test(r))).toBe(true)
  })

  test('the page reaches the host through the bridge', async ({ openApp, bridge }) => {
    const page = await openApp()
    const reply = await page.evaluate(
      async ({ header, secret }) => {
        const response = await fetch('/host/appInfo', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [header]: secret },
          body: '{}',
        })
        return response.json()
      },
      { header: SECRET_HEADER, secret: bridge.secret },
    )
    expect(reply).toMatchObject({ ok: true, result: { name: 'Signoff', shell: 'web' } })
  })

  test('each member is a separate browser profile', async ({ newMember }) => {
    const alice = await newMember()
    const bob = await newMember()
    await alice.evaluate('localStorage.setItem("signoff.e2e", "alice")')
    expect(await bob.evaluate('localStorage.getItem("signoff.e2e")')).toBeNull()
    expect(await alice.evaluate('localStorage.getItem("signoff.e2e")')).toBe('alice')
  })

  test('a page from another origin cannot call the host, even with the secret', async ({ page, bridge }) => {
    const foreign: Server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      res.end('<!doctype html><title>elsewhere</title>')
    })
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve))
    try {
      await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`)
      const outcome = await page.evaluate(
        async ({ origin, header, secret }) => {
          try {
            const response = await fetch(`${origin}/host/appInfo`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', [header]: secret },
              body: '{}',
            })
            return `answered ${response.status}`
          } catch (error) {
            return (error as Error).name
          }
        },
        { origin: bridge.origin, header: SECRET_HEADER, secret: bridge.secret },
      )
      expect(outcome).toBe('TypeError')
    } finally {
      await new Promise((resolve) => foreign.close(resolve))
    }
  })

  test('refuses bad calls with clear JSON errors', async ({ request, bridge }) => {
    const call = (method: string, body: string, headers: Record<string, string> = {}) =>
      request.post(`${bridge.origin}/host/${method}`, {
        headers: { 'Content-Type': 'application/json', [SECRET_HEADER]: bridge.secret, ...headers },
        data: body,
      })
    const cases = [
      {
        what: 'wrong secret',
        res: await call('appInfo', '{}', { [SECRET_HEADER]: 'guess' }),
        status: 401,
        code: 'unauthorized',
      },
      {
        what: 'foreign origin',
        res: await call('appInfo', '{}', { Origin: 'https://evil.example' }),
        status: 403,
        code: 'bad_origin',
      },
      { what: 'malformed JSON', res: await call('appInfo', '{"input"'), status: 400, code: 'malformed_body' },
      {
        what: 'unknown method',
        res: await call('deleteEverything', '{}'),
        status: 404,
        code: 'unknown_method',
      },
      {
        what: 'invalid argument',
        res: await call('openExternal', '{"input":42}'),
        status: 400,
        code: 'invalid_argument',
      },
    ]
    for (const { what, res, status, code } of cases) {
      expect(res.status(), what).toBe(status)
      expect(res.headers()['content-type'], what).toMatch(/application\/json/)
      const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } }
      expect(body.ok, what).toBe(false)
      expect(body.error.code, what).toBe(code)
      expect(body.error.message.length, what).toBeGreaterThan(10)
    }
    const ok = await call('openExternal', '{"input":"https://example.com"}')
    expect(await ok.json()).toEqual({
      ok: true,
      result: { opened: false, reason: 'This shell cannot open links outside the app.' },
    })
  })
})
