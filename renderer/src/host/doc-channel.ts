import type { HostBridge } from '../../../shared/host/api.ts'
import { HOST_SYNC_PATH, SYNC_PORT_KEY } from '../../../shared/host/doc-sync.ts'
import type { OpenDocChannel } from '../data/host-link.ts'

/**
 * The browser's channel to the host for one document: a WebSocket to the web bridge (the secret
 * in the query: a browser WebSocket sends no custom headers).
 */
export function webDocChannel(secret: string, origin = window.location.origin): OpenDocChannel {
  const base = origin.replace(/^http/, 'ws')
  return (docName, handlers, memberId) => {
    const member = memberId ? `&member=${encodeURIComponent(memberId)}` : ''
    const socket = new WebSocket(
      `${base}${HOST_SYNC_PATH}?doc=${encodeURIComponent(docName)}${member}&secret=${encodeURIComponent(secret)}`,
    )
    socket.binaryType = 'arraybuffer'
    socket.onopen = () => handlers.onOpen()
    socket.onmessage = (event: MessageEvent<ArrayBuffer>) => handlers.onMessage(new Uint8Array(event.data))
    socket.onclose = () => handlers.onClose()
    return {
      send(data) {
        if (socket.readyState === WebSocket.OPEN) socket.send(data as Uint8Array<ArrayBuffer>)
      },
      close() {
        socket.close()
      },
    }
  }
}

/**
 * Electron's channel for one document: the preload asks the main process for a MessagePort and
 * hands it to the page with window.postMessage (a port cannot cross the context bridge).
 */
export function portDocChannel(openDocSync: NonNullable<HostBridge['openDocSync']>): OpenDocChannel {
  const waiting = new Map<number, (port: MessagePort) => void>()
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== window) return
    const id = (event.data as Record<string, unknown> | null)?.[SYNC_PORT_KEY]
    const port = event.ports[0]
    if (typeof id !== 'number' || !port) return
    const take = waiting.get(id)
    waiting.delete(id)
    if (take) take(port)
    else port.close()
  })
  return (docName, handlers, memberId) => {
    let port: MessagePort | null = null
    let closed = false
    const id = openDocSync(docName, memberId)
    waiting.set(id, (p) => {
      if (closed) {
        p.close()
        return
      }
      port = p
      p.onmessage = (event: MessageEvent<Uint8Array>) => handlers.onMessage(new Uint8Array(event.data))
      p.addEventListener('close', () => handlers.onClose())
      p.start()
      handlers.onOpen()
    })
    return {
      send(data) {
        port?.postMessage(data)
      },
      close() {
        closed = true
        waiting.delete(id)
        port?.close()
      },
    }
  }
}
