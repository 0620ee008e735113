import { getHost } from '../host.ts'

/**
 * Desktop notifications. Permission is the page's `Notification` permission in both shells (the
 * desktop app grants it to its own page only), asked only from a button a person pressed.
 */

export type NotifyPermission = NotificationPermission | 'unsupported'

export function notificationPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

export async function askNotificationPermission(): Promise<NotifyPermission> {
  if (typeof Notification === 'undefined') return 'unsupported'
  if (Notification.permission !== 'default') return Notification.permission
  return Notification.requestPermission()
}

/**
 * Show a desktop notification when allowed. The desktop app's host shows it from the main process
 * (the OS's own notification, which works while the window is hidden); where the host has none
 * (the browser), the page's own Notification is used.
 */
export function desktopNotify(title: string, body: string, tag: string): boolean {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false
  const host = getHost()
  if (!host) return pageNotify(title, body, tag)
  void host.notify({ title, body, tag }).then(
    ({ shown }) => shown || pageNotify(title, body, tag),
    () => pageNotify(title, body, tag),
  )
  return true
}

function pageNotify(title: string, body: string, tag: string): boolean {
  try {
    new Notification(title, { body, tag })
    return true
  } catch {
    // Some hosts (a service-worker-only browser context) refuse the constructor.
    return false
  }
}
