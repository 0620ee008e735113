import { useSyncExternalStore } from 'react'

/**
 * Whether the host answers. In the desktop app the host is the main process and cannot vanish
 * under a window; behind `npm run web` it is the bridge process, which can be stopped while the
 * tab stays open. Then every host call fails, and the page says so like any other host failure
 * (a banner, the sync status) instead of claiming "Synced" and "Starting…" forever.
 */
export interface HostHealth {
  lost: boolean
  message?: string
}

/** A report: an answer says the host is back only if its call was sent after the host was lost. */
export interface HealthReport extends HostHealth {
  /** performance.now() when the answered call was sent. */
  sentAt?: number
}

let health: HostHealth = { lost: false }
/** When the host was last found lost. */
let lostAt = Number.NEGATIVE_INFINITY
const listeners = new Set<() => void>()

export function reportHostHealth(report: HealthReport): void {
  // A late answer to a call sent before the loss (a slow machine delivers it after the stream
  // dropped) is no sign the host is back: the next call sent would fail again, and the page would
  // flicker between "Host lost" and not.
  if (!report.lost && report.sentAt !== undefined && report.sentAt < lostAt) return
  const next: HostHealth = !report.lost
    ? { lost: false }
    : report.message === undefined
      ? { lost: true }
      : { lost: true, message: report.message }
  if (next.lost && !health.lost) lostAt = performance.now()
  if (next.lost === health.lost && next.message === health.message) return
  health = next
  for (const l of listeners) l()
}

export function hostHealth(): HostHealth {
  return health
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useHostHealth(): HostHealth {
  return useSyncExternalStore(subscribe, hostHealth)
}
