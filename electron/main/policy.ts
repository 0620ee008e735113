// The window's navigation rules as plain functions (no `electron` import), so they are tested
// without the binary. The app lives at one origin: `signoff://app` in production, the Vite dev
// server's http origin in development.

/** The custom scheme the built renderer is served from (the checklist's "no file://"). */
export const APP_SCHEME = 'signoff'
export const APP_HOST = 'app'
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/**
 * A check for "this URL is the app itself". Compares scheme, host and port; WHATWG `origin` is
 * "null" for custom schemes in Node, so it cannot be used. Malformed URLs are never the app.
 */
export function appUrlCheck(appUrl: string): (url: string) => boolean {
  const app = new URL(appUrl)
  return (url) => {
    try {
      const candidate = new URL(url)
      return candidate.protocol === app.protocol && candidate.host === app.host && candidate.host !== ''
    } catch {
      return false
    }
  }
}

/**
 * The only permissions a page may have: writing to the clipboard (the copy buttons) and showing
 * notifications. Granted to the app's own top frame only; everything else (camera, geolocation,
 * HID, …) and every other origin is denied.
 */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write', 'notifications']

export function permissionGranted(
  permission: string,
  request: { requestingUrl: string | undefined; isMainFrame: boolean },
  isAppUrl: (url: string) => boolean,
): boolean {
  return (
    GRANTED_PERMISSIONS.includes(permission) &&
    request.isMainFrame &&
    request.requestingUrl !== undefined &&
    isAppUrl(request.requestingUrl)
  )
}
