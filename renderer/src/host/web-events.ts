import type { HostEvents } from '../../../shared/host/api.ts'
import { HOST_EVENTS_PATH, type HostEvent, parseHostEvent } from '../../../shared/host/events.ts'
import { menuCommandForKey } from '../../../shared/host/menu.ts'
import type { HostHealth } from './health.ts'

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform)

/**
 * The host events in a browser tab. There is no quit to delay: flushes run on `pagehide` and the
 * browser does not wait, though IndexedDB transactions already started still complete. Menu
 * commands come from the same shortcuts as the desktop menu (where the browser lets the page
 * see them: Ctrl+N, for one, opens a browser window instead).
 */
export const webHostEvents: Omit<HostEvents, 'onHostEvent'> = {
  onBeforeQuit(flush) {
    const listener = () => {
      void Promise.resolve()
        .then(flush)
        .catch(() => {})
    }
    window.addEventListener('pagehide', listener)
    return () => window.removeEventListener('pagehide', listener)
  },
  onMenuCommand(handler) {
    const listener = (event: KeyboardEvent) => {
      const command = menuCommandForKey(event, isMac())
      if (!command) return
      event.preventDefault()
      handler(command)
    }
    window.addEventListener('keydown', listener)
    return () => window.removeEventListener('keydown', listener)
  },
  // A browser tab is never asked by the OS to open a link or a file.
  onOpen() {
    return () => {}
  },
}

/**
 * The host's own events in a browser tab: one server-sent events stream from the bridge, open
 * while someone listens (EventSource reconnects by itself after the bridge comes back). The
 * stream is also how the tab knows the bridge is there: it reports the host lost when the stream
 * drops and back when it reopens (the bridge pings it every 15 s), instead of polling the host.
 */
export function webHostEventStream(
  secret: string,
  onHealth: (health: HostHealth) => void = () => {},
  lostMessage = 'The Signoff host does not answer.',
): HostEvents['onHostEvent'] {
  const handlers = new Set<(event: HostEvent) => void>()
  let source: EventSource | null = null
  const open = () => {
    const s = new EventSource(`${HOST_EVENTS_PATH}?secret=${encodeURIComponent(secret)}`)
    s.onopen = () => onHealth({ lost: false })
    s.onerror = () => onHealth({ lost: true, message: lostMessage })
    s.onmessage = (message: MessageEvent<string>) => {
      let raw: unknown
      try {
        raw = JSON.parse(message.data)
      } catch {
        return
      }
      const event = parseHostEvent(raw)
      if (event) for (const handler of handlers) handler(event)
    }
    return s
  }
  return (handler) => {
    handlers.add(handler)
    source ??= open()
    return () => {
      handlers.delete(handler)
      if (handlers.size === 0) {
        source?.close()
        source = null
      }
    }
  }
}
