import type { HostBridge } from '../../shared/host/api.ts'
import { takeBridgeSecret } from './host/secret.ts'
import { createWebHost } from './host/web-client.ts'
import { webHostEvents } from './host/web-events.ts'

export type { HostBridge } from '../../shared/host/api.ts'
export type { MenuCommand } from '../../shared/host/menu.ts'
export { HostCallError } from './host/web-client.ts'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    signoffHost?: HostBridge
  }
}

let webHost: HostBridge | undefined

/**
 * The host: the preload's bridge inside Electron, otherwise the localhost bridge of
 * `npm run web` (authorized by the secret from the URL it printed). Undefined when neither is
 * there, e.g. the page was opened without the secret.
 */
export function getHost(): HostBridge | undefined {
  if (window.signoffHost) return window.signoffHost
  if (webHost) return webHost
  const secret = takeBridgeSecret()
  if (!secret) return undefined
  webHost = { ...createWebHost(window.location.origin, secret), ...webHostEvents }
  return webHost
}
