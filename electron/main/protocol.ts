import { protocol } from 'electron'
import { SECURITY_HEADERS } from '../host/csp.ts'
import { readStaticFile } from '../host/static.ts'
import { APP_HOST, APP_SCHEME } from './policy.ts'

/** Must run before `app` is ready: `signoff://` behaves like https (origin, storage, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // codeCache: V8 keeps the compiled bundle between starts, as it does for http(s).
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        stream: true,
        codeCache: true,
      },
    },
  ])
}

/**
 * Serve the built renderer at `signoff://app/`, with the same security headers the web bridge
 * sends. Only files inside `rendererDir` are reachable (see readStaticFile).
 */
export function serveApp(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const file = url.host === APP_HOST ? await readStaticFile(rendererDir, url.pathname) : undefined
    if (!file) return new Response('Not found.', { status: 404, headers: { 'Content-Type': 'text/plain' } })
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': file.contentType },
    })
  })
}
