import { contextBridge, ipcRenderer } from 'electron'
import { isValidId, parseDocName } from '../../shared/docnames.ts'
import {
  BEFORE_QUIT_CHANNEL,
  FLUSHED_CHANNEL,
  type HostApi,
  type HostBridge,
  type HostEvents,
  hostChannel,
  hostMethodNames,
  MENU_CHANNEL,
  OPEN_CHANNEL,
  type OpenRequest,
  openRequestSchema,
  parseHostInput,
} from '../../shared/host/api.ts'
import { SYNC_OPEN_CHANNEL, SYNC_PORT_CHANNEL, SYNC_PORT_KEY } from '../../shared/host/doc-sync.ts'
import { HOST_EVENT_CHANNEL, type HostEvent, parseHostEvent } from '../../shared/host/events.ts'
import { isMenuCommand, type MenuCommand } from '../../shared/host/menu.ts'

// The renderer gets exactly the host API's functions, each bound to its own channel, plus the
// host events (checked against shared/host/events.ts); no raw ipcRenderer, no event objects. The methods are built from the shared method
// list, so they cannot drift from the API the main process serves. A bad argument is refused here
// already, with the same schema the main process checks again.
const methods = Object.fromEntries(
  hostMethodNames.map((name) => [
    name,
    async (input: unknown) => ipcRenderer.invoke(hostChannel(name), parseHostInput(name, input)),
  ]),
) as unknown as HostApi

const flushers = new Set<() => Promise<void> | void>()
const menuHandlers = new Set<(command: MenuCommand) => void>()
const openHandlers = new Set<(request: OpenRequest) => void>()
const hostEventHandlers = new Set<(event: HostEvent) => void>()
// A cold start's link or file arrives before React has subscribed: keep it for the first handler.
let pendingOpens: OpenRequest[] = []

ipcRenderer.on(BEFORE_QUIT_CHANNEL, (_event, requestId: unknown) => {
  // Every flush runs; one failing must not hold back the others or the answer.
  void Promise.allSettled([...flushers].map((flush) => Promise.resolve().then(flush))).then(() =>
    ipcRenderer.send(FLUSHED_CHANNEL, requestId),
  )
})

// A menu command that opened the window (macOS, none open) arrives before the page listens.
let pendingCommand: MenuCommand | undefined
ipcRenderer.on(MENU_CHANNEL, (_event, command: unknown) => {
  if (!isMenuCommand(command)) return
  if (menuHandlers.size === 0) pendingCommand = command
  for (const handler of menuHandlers) handler(command)
})

ipcRenderer.on(OPEN_CHANNEL, (_event, request: unknown) => {
  const parsed = openRequestSchema.safeParse(request)
  if (!parsed.success) return
  if (openHandlers.size === 0) pendingOpens = [...pendingOpens, parsed.data].slice(-20)
  for (const handler of openHandlers) handler(parsed.data)
})

ipcRenderer.on(HOST_EVENT_CHANNEL, (_event, raw: unknown) => {
  const event = parseHostEvent(raw)
  if (!event) return
  for (const handler of hostEventHandlers) handler(event)
})

// A document's sync port (shared/host/doc-sync.ts) goes on to the page by window.postMessage: a
// MessagePort cannot cross the context bridge.
ipcRenderer.on(SYNC_PORT_CHANNEL, (event, id: unknown) => {
  const port = event.ports[0]
  if (typeof id !== 'number' || !port) return
  pageWindow().postMessage({ [SYNC_PORT_KEY]: id }, '*', [port])
})
let nextSyncId = 0

/** The page's window as the preload sees it (the node type-check has no DOM). */
function pageWindow(): { postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void } {
  return (globalThis as unknown as { window: ReturnType<typeof pageWindow> }).window
}

/**
 * Ask the host for a port to sync one document with, as the member whose replica it is; the port
 * arrives by window.postMessage with this id.
 */
function openDocSync(docName: string, memberId?: string): number {
  if (typeof docName !== 'string' || !parseDocName(docName))
    throw new TypeError('openDocSync takes a document name.')
  if (memberId !== undefined && (typeof memberId !== 'string' || !isValidId(memberId)))
    throw new TypeError('openDocSync takes a member id.')
  nextSyncId++
  ipcRenderer.send(SYNC_OPEN_CHANNEL, {
    doc: docName,
    id: nextSyncId,
    ...(memberId !== undefined ? { member: memberId } : {}),
  })
  return nextSyncId
}

/** Add the page's `handler` to `handlers` (refusing anything but a function); returns its removal. */
function listen<H>(method: string, handlers: Set<H>, handler: H): () => void {
  if (typeof handler !== 'function') throw new TypeError(`${method} takes a function.`)
  handlers.add(handler)
  return () => {
    handlers.delete(handler)
  }
}

const events: HostEvents = {
  onBeforeQuit: (flush) => listen('onBeforeQuit', flushers, flush),
  onMenuCommand(handler) {
    const off = listen('onMenuCommand', menuHandlers, handler)
    const pending = pendingCommand
    pendingCommand = undefined
    if (pending) handler(pending)
    return off
  },
  onHostEvent: (handler) => listen('onHostEvent', hostEventHandlers, handler),
  onOpen(handler) {
    const off = listen('onOpen', openHandlers, handler)
    const pending = pendingOpens
    pendingOpens = []
    for (const request of pending) handler(request)
    return off
  },
}

contextBridge.exposeInMainWorld('signoffHost', { ...methods, ...events, openDocSync } satisfies HostBridge)
