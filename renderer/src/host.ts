import type { HostApi } from '../../shared/host/api.ts'

declare global {
  interface Window {
    signoffHost?: HostApi
  }
}

/** The host API: the preload's bridge inside Electron. */
export function getHost(): HostApi | undefined {
  return window.signoffHost
}
