import { type Session, shell, type WebContents } from 'electron'
import { isSafeExternalUrl } from '../../shared/host/api.ts'
import { CONTENT_SECURITY_POLICY } from '../host/csp.ts'

/** The web preferences every window gets (Electron security checklist). */
export const SECURE_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: true,
} as const

/**
 * Deny every permission (camera, notifications, geolocation, HID, …): the app asks for none. The
 * CSP header is added to every response, including the dev server's.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    })
  })
}

/**
 * For every web contents: no navigation away from the app in any frame, no redirects out, no
 * webviews, no new windows. A link that asks for a new window opens in the system browser, and
 * only when it is a well-formed http(s) URL. Plain navigation away is just refused (links meant
 * for outside use `target="_blank"` or `host.openExternal`).
 */
export function hardenContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault()
  })
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}
