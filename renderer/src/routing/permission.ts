/**
 * Desktop notifications through the page's `Notification` API: Electron's renderer and the
 * browser build both provide it. Permission is only ever asked from a button a person pressed.
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

/** Show a desktop notification when allowed; returns whether one was shown. */
export function desktopNotify(title: string, body: string, tag: string): boolean {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false
  try {
    new Notification(title, { body, tag })
    return true
  } catch {
    // Some hosts (a service-worker-only browser context) refuse the constructor.
    return false
  }
}
