import type { HostBridge } from '../../shared/host/api.ts'
import type { OpenDocChannel } from './data/host-link.ts'
import { portDocChannel, webDocChannel } from './host/doc-channel.ts'
import { reportHostHealth } from './host/health.ts'
import { takeBridgeSecret } from './host/secret.ts'
import { createWebHost, hostUnreachableMessage } from './host/web-client.ts'
import { webHostEventStream, webHostEvents } from './host/web-events.ts'

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
  const api = createWebHost(window.location.origin, secret, fetch, reportHostHealth)
  // The bridge is another process that can stop while the tab stays open: its event stream
  // (always open, see main.tsx) notices, and notices its return, with no polling.
  const onHostEvent = webHostEventStream(
    secret,
    reportHostHealth,
    hostUnreachableMessage(window.location.origin),
  )
  webHost = { ...api, ...webHostEvents, onHostEvent }
  return webHost
}

let docChannel: OpenDocChannel | undefined

/**
 * How this window syncs documents with the host: a MessagePort per document in Electron, a
 * WebSocket to the bridge in a browser. Undefined without a host.
 */
export function getHostDocChannel(): OpenDocChannel | undefined {
  if (docChannel) return docChannel
  const bridge = window.signoffHost
  if (bridge?.openDocSync) docChannel = portDocChannel(bridge.openDocSync)
  else if (!bridge && getHost()) {
    const secret = takeBridgeSecret()
    if (secret) docChannel = webDocChannel(secret)
  }
  return docChannel
}
