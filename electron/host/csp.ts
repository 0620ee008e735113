/**
 * The Content-Security-Policy for every page the app shows: sent as a header by the Electron
 * session and by the web bridge. Scripts come only from the app itself; connections may go to
 * the app's own origin and to relays, which a workspace can point anywhere (the relay's trace
 * API shares its port, hence http(s) as well as ws(s)).
 *
 * Development (`electron-vite dev`) differs in one place: `@vitejs/plugin-react` puts its Fast
 * Refresh preamble into the page as an inline module script, so the dev policy allows that one
 * script by its hash. Any other inline script is still refused, and the production policy has no
 * inline allowance at all. test/unit/electron/csp.test.ts computes the hash from the plugin's
 * own output, so an upgrade that changes the preamble fails there instead of showing a blank window.
 */
export const REACT_PREAMBLE_SHA256 = "'sha256-Z2/iFzh9VMlVkEOar1f/oSHWwQk3ve1qk/C2WdsC4Xk='"

export function contentSecurityPolicy(options: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    options.dev ? `script-src 'self' ${REACT_PREAMBLE_SHA256}` : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss: http: https:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** The production policy: what the built app and the web bridge send. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy()

/** Headers every page response carries, in both shells. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
}
