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
 *
 * Then, once per quit, `closeHost` runs (a hosted relay checkpoints and closes its connections in
 * order, the intake server stops), for at most HOST_CLOSE_TIMEOUT_MS, and only then does the app
 * quit for real. It runs on every platform's quit path, including macOS with no window open.
 */
export const HOST_CLOSE_TIMEOUT_MS = 5000

export function flushBeforeQuit(
  isTrustedSender: (event: IpcMainEvent) => boolean,
  closeHost: () => Promise<void>,
  log: (line: string) => void = console.error,
): {
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

  let closing: Promise<void> | undefined
  function closeHostOnce(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        log(`The host did not close within ${HOST_CLOSE_TIMEOUT_MS} ms; quitting anyway.`)
        resolve()
      }, HOST_CLOSE_TIMEOUT_MS)
      closeHost().then(
        () => {
          clearTimeout(timer)
          resolve()
        },
        (e: unknown) => {
          clearTimeout(timer)
          log(`The host could not close cleanly: ${e instanceof Error ? e.message : String(e)}`)
          resolve()
        },
      )
    })
    return closing
  }

  app.on('before-quit', (event) => {
    if (quitting) return
    event.preventDefault()
    const windows = BrowserWindow.getAllWindows().filter((w) => !flushed.has(w))
    void Promise.all(windows.map(flush))
      .then(closeHostOnce)
      .then(() => {
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
