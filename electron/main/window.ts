import { BrowserWindow, dialog, type RenderProcessGoneDetails } from 'electron'
import { SECURE_WEB_PREFERENCES } from './security.ts'

/** How many crashes in CRASH_WINDOW_MS are reloaded on their own before the person is asked. */
export const MAX_AUTO_RELOADS = 3
export const CRASH_WINDOW_MS = 60_000

/**
 * The app's window: the secure web preferences, the sandboxed preload, shown once painted. A
 * renderer that crashes or is killed is reloaded with a notice rather than left as a dead window;
 * after MAX_AUTO_RELOADS crashes in a minute the person chooses between reloading and closing, so
 * a page that crashes at once cannot loop forever.
 */
export function createAppWindow(options: {
  url: string
  preload: string
  spellcheck: boolean
  now?: () => number
}): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'Signoff',
    webPreferences: { ...SECURE_WEB_PREFERENCES, spellcheck: options.spellcheck, preload: options.preload },
  })
  const now = options.now ?? Date.now
  let crashes: number[] = []
  window.once('ready-to-show', () => window.show())
  window.webContents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
    if (window.isDestroyed()) return
    const at = now()
    crashes = [...crashes.filter((t) => at - t < CRASH_WINDOW_MS), at]
    const detail = `The page stopped (${details.reason}, exit code ${details.exitCode}). Edits were saved on this computer as you made them; anything typed in the last moment may be missing.`
    if (crashes.length <= MAX_AUTO_RELOADS) {
      window.webContents.reload()
      void dialog.showMessageBox(window, {
        type: 'warning',
        message: 'Signoff’s window stopped unexpectedly and was reloaded.',
        detail,
        buttons: ['OK'],
      })
      return
    }
    void dialog
      .showMessageBox(window, {
        type: 'error',
        message: 'Signoff’s window keeps stopping.',
        detail: `${detail}\n\nIt stopped ${crashes.length} times in the last minute.`,
        buttons: ['Reload', 'Close window'],
        defaultId: 0,
        cancelId: 1,
      })
      .then(({ response }) => {
        if (window.isDestroyed()) return
        if (response === 0) window.webContents.reload()
        else window.destroy()
      })
  })
  void window.loadURL(options.url)
  return window
}
