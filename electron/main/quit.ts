import { app, BrowserWindow, type IpcMainEvent, ipcMain } from 'electron'
import { BEFORE_QUIT_CHANNEL, BEFORE_QUIT_TIMEOUT_MS, FLUSHED_CHANNEL } from '../../shared/host/api.ts'
import { requestFlush } from '../host/flush.ts'

/**
 * Before a window closes or the app quits, each renderer gets to write its pending local edits
 * (the preload's `onBeforeQuit` callbacks), for at most BEFORE_QUIT_TIMEOUT_MS. y-indexeddb
 * writes asynchronously, so without this an edit made just before closing could be lost.
 *
 * Both paths are needed: closing the last window on Windows/Linux destroys it before `before-quit`
 * fires, and `app.quit()` (menu, Cmd+Q) fires `before-quit` before closing windows; a prevented
 * window close would cancel the quit, so `before-quit` flushes every window first.
 */
export function flushBeforeQuit(isTrustedSender: (event: IpcMainEvent) => boolean): {
  watch(window: BrowserWindow): void
} {
  const flushed = new WeakSet<BrowserWindow>()
  const flushing = new WeakMap<BrowserWindow, Promise<void>>()
  let quitting = false

  function flush(window: BrowserWindow): Promise<void> {
    const pending = flushing.get(window)
    if (pending) return pending
    const contents = window.webContents
    const done = (
      window.isDestroyed() || contents.isCrashed()
        ? Promise.resolve()
        : requestFlush(
            {
              send: (id) => contents.send(BEFORE_QUIT_CHANNEL, id),
              onAck: (listener) => {
                const handler = (event: IpcMainEvent, id: unknown) => {
                  if (event.sender === contents && isTrustedSender(event) && typeof id === 'number')
                    listener(id)
                }
                ipcMain.on(FLUSHED_CHANNEL, handler)
                return () => ipcMain.off(FLUSHED_CHANNEL, handler)
              },
            },
            BEFORE_QUIT_TIMEOUT_MS,
          ).then(() => {})
    ).finally(() => {
      flushed.add(window)
      flushing.delete(window)
    })
    flushing.set(window, done)
    return done
  }

  app.on('before-quit', (event) => {
    if (quitting) return
    const windows = BrowserWindow.getAllWindows().filter((w) => !flushed.has(w))
    if (windows.length === 0) return
    event.preventDefault()
    void Promise.all(windows.map(flush)).then(() => {
      quitting = true
      app.quit()
    })
  })

  return {
    watch(window) {
      window.on('close', (event) => {
        if (flushed.has(window) || quitting) return
        event.preventDefault()
        void flush(window).then(() => {
          if (!window.isDestroyed()) window.close()
        })
      })
    },
  }
}
