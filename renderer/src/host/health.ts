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

let health: HostHealth = { lost: false }
const listeners = new Set<() => void>()

export function reportHostHealth(next: HostHealth): void {
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
