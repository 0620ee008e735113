import { type Session, shell, type WebContents } from 'electron'
import { isSafeExternalUrl } from '../../shared/host/api.ts'
import { permissionGranted } from './policy.ts'

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
 * The session's rules: only the app's own top frame gets clipboard write and notifications, every
 * other permission and device is denied; every response carries the CSP (the dev server's too,
 * with the dev policy, see csp.ts). Spellcheck uses the OS's dictionaries (macOS, Windows); Linux
 * has no OS spellchecker and Chromium would download Hunspell dictionaries from Google, so it is
 * off there, and the download address points nowhere on every platform.
 */
export function hardenSession(
  session: Session,
  options: { isAppUrl: (url: string) => boolean; csp: string; platform: NodeJS.Platform },
): void {
  const { isAppUrl, csp } = options
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionGranted(permission, details, isAppUrl))
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionGranted(
      permission,
      { requestingUrl: details.requestingUrl ?? requestingOrigin, isMainFrame: details.isMainFrame },
      isAppUrl,
    ),
  )
  session.setDevicePermissionHandler(() => false)
  session.setSpellCheckerDictionaryDownloadURL('https://spellcheck.invalid/')
  session.setSpellCheckerEnabled(options.platform !== 'linux')
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
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
