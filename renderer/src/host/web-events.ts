import type { HostEvents } from '../../../shared/host/api.ts'
import { menuCommandForKey } from '../../../shared/host/menu.ts'

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform)

/**
 * The host events in a browser tab. There is no quit to delay: flushes run on `pagehide` and the
 * browser does not wait, though IndexedDB transactions already started still complete. Menu
 * commands come from the same shortcuts as the desktop menu (where the browser lets the page
 * see them: Ctrl+N, for one, opens a browser window instead).
 */
export const webHostEvents: HostEvents = {
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
