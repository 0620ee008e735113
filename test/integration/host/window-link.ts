// A window's side of the host link, in Node: the renderer's own HostLink over a `ws` WebSocket to
// the web bridge (the page uses the browser's WebSocket the same way, renderer/src/host/doc-channel.ts).
import { WebSocket } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { HostLink, type OpenDocChannel } from '../../../renderer/src/data/host-link.ts'
import { HOST_SYNC_PATH } from '../../../shared/host/doc-sync.ts'

export function nodeDocChannel(origin: string, secret: string): OpenDocChannel {
  const base = origin.replace(/^http/, 'ws')
  return (docName, handlers, memberId) => {
    const member = memberId ? `&member=${encodeURIComponent(memberId)}` : ''
    const socket = new WebSocket(
      `${base}${HOST_SYNC_PATH}?doc=${encodeURIComponent(docName)}${member}&secret=${encodeURIComponent(secret)}`,
    )
    socket.on('open', () => handlers.onOpen())
    socket.on('message', (data: Buffer) => handlers.onMessage(new Uint8Array(data)))
    socket.on('close', () => handlers.onClose())
    socket.on('error', () => {})
    return {
      send(data) {
        if (socket.readyState === WebSocket.OPEN) socket.send(data)
      },
      close() {
        socket.close()
      },
    }
  }
}

export interface TestWindow {
  doc: Y.Doc
  awareness: Awareness
  link: HostLink
  close(): void
}

/** A window showing one document over `channel` (as `memberId`, when given). */
export function windowOver(
  channel: OpenDocChannel,
  docName: string,
  doc = new Y.Doc(),
  memberId?: string,
): TestWindow {
  const awareness = new Awareness(doc)
  const link = new HostLink(
    docName,
    doc,
    awareness,
    (name, h) => channel(name, h, memberId),
    () => {},
  )
  return {
    doc,
    awareness,
    link,
    close() {
      link.destroy()
      awareness.destroy()
    },
  }
}

/** A window showing one document, linked to the host at `origin` (as `memberId`, when given). */
export function openWindow(
  origin: string,
  secret: string,
  docName: string,
  doc = new Y.Doc(),
  memberId?: string,
): TestWindow {
  return windowOver(nodeDocChannel(origin, secret), docName, doc, memberId)
}

/** A window's channel straight into a host object in this process (what a MessagePort carries in Electron). */
export function inProcessChannel(host: {
  connectWindow(
    docName: string,
    channel: { send(d: Uint8Array): void; close(): void },
    memberId?: string,
  ): {
    receive(d: Uint8Array): void
    closed(): void
  } | null
}): OpenDocChannel {
  return (docName, handlers, memberId) => {
    let open = true
    const connection = host.connectWindow(
      docName,
      {
        send: (d) => queueMicrotask(() => open && handlers.onMessage(d)),
        close: () => {
          if (!open) return
          open = false
          queueMicrotask(() => handlers.onClose())
        },
      },
      memberId,
    )
    queueMicrotask(() => open && handlers.onOpen())
    return {
      send: (d) => queueMicrotask(() => connection?.receive(d)),
      close: () => {
        open = false
        connection?.closed()
      },
    }
  }
}
