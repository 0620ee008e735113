import type { AppUpdater, UpdateDownloadedEvent } from 'electron-updater'

/** How often an installed app looks for a new version after the check at start. */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000

/**
 * Updates for installed apps (electron-updater; the feed is the `publish` entry of
 * electron-builder.yml, written into the app as app-update.yml): a check at start and every few
 * hours, a quiet download in the background, and then one notice, "Restart to update". Choosing
 * Later is fine: the update installs when the app next quits. A failed check (offline, no feed)
 * is only logged; it never interrupts anyone.
 */
export function startAutoUpdate(options: {
  updater: AppUpdater
  /** Show the "Restart to update" notice; resolves true when the person chose to restart now. */
  askToRestart: (version: string) => Promise<boolean>
  /** Restart into the new version (default: the updater's quitAndInstall). */
  restart?: () => void
  intervalMs?: number
  log?: (line: string) => void
}): { check(): Promise<void>; stop(): void } {
  const { updater } = options
  const log = options.log ?? ((line: string) => console.log(line))
  updater.autoDownload = true
  updater.autoInstallOnAppQuit = true
  updater.logger = { info: log, warn: log, error: log, debug: () => {} }
  let asked: string | undefined
  updater.on('update-downloaded', (event: UpdateDownloadedEvent) => {
    if (asked === event.version) return
    asked = event.version
    void options.askToRestart(event.version).then((restart) => {
      if (restart) (options.restart ?? (() => updater.quitAndInstall()))()
    })
  })
  updater.on('error', (error: Error) => log(`Update check failed: ${error.message}`))
  const check = async () => {
    try {
      await updater.checkForUpdates()
    } catch (e) {
      log(`Update check failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  void check()
  const timer = setInterval(() => void check(), options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS)
  timer.unref?.()
  return { check, stop: () => clearInterval(timer) }
}
