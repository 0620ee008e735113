import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../../electron/host/csp.ts'
import { requestFlush } from '../../../electron/host/flush.ts'
import { readStaticFile, resolveStaticPath } from '../../../electron/host/static.ts'
import { APP_URL, appUrlCheck } from '../../../electron/main/policy.ts'

const directives = new Map(
  CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name = '', ...values] = d.trim().split(/\s+/)
    return [name, values] as const
  }),
)

describe('Content-Security-Policy', () => {
  it('runs only the app’s own scripts', () => {
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('default-src')).toEqual(["'self'"])
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/)
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'")
  })
  it('allows no plugins, base rewrites, form posts or framing', () => {
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('base-uri')).toEqual(["'none'"])
    expect(directives.get('form-action')).toEqual(["'none'"])
    expect(directives.get('frame-ancestors')).toEqual(["'none'"])
    expect(directives.get('frame-src')).toEqual(["'none'"])
  })
  it('is the header both shells send', () => {
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff')
  })
})

describe('appUrlCheck', () => {
  const isApp = appUrlCheck(APP_URL)
  it('accepts the app scheme and host only', () => {
    expect(isApp('signoff://app/index.html')).toBe(true)
    expect(isApp('signoff://app/index.html#/board')).toBe(true)
    expect(isApp('signoff://evil/index.html')).toBe(false)
    expect(isApp('https://app/index.html')).toBe(false)
    expect(isApp('file:///index.html')).toBe(false)
    expect(isApp('garbage')).toBe(false)
  })
  it('compares the dev server by host and port, not by prefix', () => {
    const isDev = appUrlCheck('http://localhost:5173/')
    expect(isDev('http://localhost:5173/src/main.tsx')).toBe(true)
    expect(isDev('http://localhost:51730/')).toBe(false)
    expect(isDev('http://localhost:5173.evil.com/')).toBe(false)
    expect(isDev('https://localhost:5173/')).toBe(false)
  })
})

describe('static files', () => {
  const root = mkdtempSync(join(tmpdir(), 'signoff-static-'))
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'index.html'), '<!doctype html>')
  writeFileSync(join(root, 'assets', 'a.js'), 'export {}')

  it('serves index.html for / and files under the root', async () => {
    expect((await readStaticFile(root, '/'))?.contentType).toMatch(/text\/html/)
    expect((await readStaticFile(root, '/assets/a.js'))?.contentType).toMatch(/javascript/)
    expect(await readStaticFile(root, '/assets')).toBeUndefined()
    expect(await readStaticFile(root, '/missing.js')).toBeUndefined()
  })
  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/assets/..%2f..%2fetc/passwd',
    '/a%00.js',
    '/..\\..\\x',
    '/%E0%A4%A',
  ])('refuses %s', (path) => {
    expect(resolveStaticPath(root, path)).toBeUndefined()
  })
})

describe('requestFlush', () => {
  function channel(answer: 'now' | 'never' | 'wrong-id' | 'throw') {
    const listeners = new Set<(id: number) => void>()
    return {
      listeners,
      send(id: number) {
        if (answer === 'throw') throw new Error('renderer gone')
        const answerWith = (value: number) => () => {
          for (const listener of listeners) listener(value)
        }
        if (answer === 'now') queueMicrotask(answerWith(id))
        if (answer === 'wrong-id') queueMicrotask(answerWith(id + 1000))
      },
      onAck(listener: (id: number) => void) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    }
  }
  it('resolves when the renderer answers, and stops listening', async () => {
    const c = channel('now')
    expect(await requestFlush(c, 1000)).toBe('flushed')
    expect(c.listeners.size).toBe(0)
  })
  it('gives up after the timeout, ignoring answers to other requests', async () => {
    const c = channel('wrong-id')
    const started = Date.now()
    expect(await requestFlush(c, 50)).toBe('timeout')
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
    expect(c.listeners.size).toBe(0)
  })
  it('does not wait for a renderer that cannot be asked', async () => {
    expect(await requestFlush(channel('throw'), 5000)).toBe('failed')
  })
})
