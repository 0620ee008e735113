// The dev server's page must run under the dev policy (or `electron-vite dev` shows a blank window),
// and the built app must still refuse every inline script. The page is transformed by the real
// renderer config (plugin-react included), so the preamble hashed here is the one Electron gets.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolveConfig } from 'electron-vite'
import { createServer } from 'vite'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../../electron/host/csp.ts'

function scriptSrc(policy: string): string[] {
  const directive = policy
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name === 'script-src')
  return directive?.slice(1) ?? []
}

const hashOf = (script: string) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`

async function devIndexHtml(): Promise<string> {
  const env = process.env.NODE_ENV
  const { config } = await resolveConfig({ logLevel: 'silent' }, 'serve', 'development')
  if (env === undefined) delete process.env.NODE_ENV
  else process.env.NODE_ENV = env
  if (!config?.renderer) throw new Error('electron.vite.config.ts has no renderer.')
  const server = await createServer({
    ...config.renderer,
    server: { middlewareMode: true, ws: false },
    appType: 'custom',
  })
  try {
    const root = config.renderer.root ?? 'renderer'
    return await server.transformIndexHtml('/index.html', readFileSync(`${root}/index.html`, 'utf8'))
  } finally {
    await server.close()
  }
}

describe('the Content-Security-Policy builder', () => {
  it('lets the dev page’s inline preamble run, and nothing else inline', async () => {
    const html = await devIndexHtml()
    const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
      (m) => m[1] ?? '',
    )
    expect(inline.length).toBeGreaterThan(0)
    const dev = scriptSrc(contentSecurityPolicy({ dev: true }))
    for (const script of inline) expect(dev).toContain(hashOf(script))
    expect(dev).not.toContain("'unsafe-inline'")
    expect(dev).not.toContain("'unsafe-eval'")
    expect(dev).not.toContain(hashOf('alert(1)'))
  }, 30_000)

  it('refuses every inline script in production', () => {
    expect(scriptSrc(CONTENT_SECURITY_POLICY)).toEqual(["'self'"])
    expect(contentSecurityPolicy()).toBe(CONTENT_SECURITY_POLICY)
    expect(contentSecurityPolicy({ dev: false })).toBe(CONTENT_SECURITY_POLICY)
  })

  it('differs between dev and production only in script-src', () => {
    const strip = (p: string) =>
      p
        .split('; ')
        .filter((d) => !d.startsWith('script-src'))
        .join('; ')
    expect(strip(contentSecurityPolicy({ dev: true }))).toBe(strip(CONTENT_SECURITY_POLICY))
  })
})
