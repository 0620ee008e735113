import { Menu, type MenuItemConstructorOptions, nativeImage, Tray } from 'electron'
import type { Host } from '../host/index.ts'
import { TRAY_ICON_DATA_URL } from './tray-icon.ts'

/** How the tray writes a time: the local clock, with the day when it is not today. */
function when(at: number, now: number): string {
  const d = new Date(at)
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  return new Date(now).toDateString() === d.toDateString() ? time : `${d.toLocaleDateString()} ${time}`
}

/** The tray's menu: what waits for the person, what is scheduled next, and the way back or out. */
export function trayMenu(
  work: ReturnType<Host['waitingWork']>,
  actions: { open(): void; quit(): void },
  now = Date.now(),
): MenuItemConstructorOptions[] {
  const n = work.waiting.length
  const waiting: MenuItemConstructorOptions[] =
    n === 0
      ? [{ label: 'Nothing waits for your review', enabled: false }]
      : [
          { label: `${n} review${n === 1 ? '' : 's'} wait for you`, enabled: false },
          ...work.waiting
            .slice(0, 5)
            .map((w) => ({ label: `  ${w.title} (${w.workspace})`, enabled: false })),
        ]
  const next: MenuItemConstructorOptions = work.next
    ? { label: `Next scheduled: ${work.next.title} at ${when(work.next.at, now)}`, enabled: false }
    : { label: 'Nothing scheduled', enabled: false }
  return [
    ...waiting,
    next,
    { type: 'separator' },
    { label: 'Open Signoff', click: actions.open },
    { label: 'Quit Signoff', click: actions.quit },
  ]
}

/**
 * Closing the last window: the app quits, unless the person keeps it running in the background
 * (Settings → General; on by default on macOS). Then the host and its services go on, and a tray
 * icon shows what waits and what is scheduled next, refreshed whenever the host tells of its own
 * work; Open brings a window back, Quit quits (flushing and closing the host as any quit does).
 */
export function keepInBackground(options: {
  host: Pick<Host, 'backgroundSettings' | 'waitingWork' | 'onEvent'>
  openWindow(): void
  quit(): void
}): { allWindowsClosed(): Promise<void>; windowOpened(): void; readonly tray: Tray | null } {
  let tray: Tray | null = null
  let offEvents: (() => void) | undefined
  const refresh = () => {
    if (!tray) return
    const work = options.host.waitingWork()
    const n = work.waiting.length
    tray.setToolTip(n > 0 ? `Signoff: ${n} review${n === 1 ? '' : 's'} wait for you` : 'Signoff')
    tray.setContextMenu(
      Menu.buildFromTemplate(trayMenu(work, { open: options.openWindow, quit: options.quit })),
    )
  }
  return {
    async allWindowsClosed() {
      const settings = await options.host.backgroundSettings(undefined).catch(() => null)
      if (!settings?.keepRunning) {
        options.quit()
        return
      }
      if (!tray) {
        tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON_DATA_URL))
        tray.on('click', () => options.openWindow())
        offEvents = options.host.onEvent(() => refresh())
      }
      refresh()
    },
    windowOpened() {
      offEvents?.()
      offEvents = undefined
      tray?.destroy()
      tray = null
    },
    get tray() {
      return tray
    },
  }
}
