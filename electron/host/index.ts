import type { AppInfo, HostApi } from '../../shared/host/api.ts'
import { isSafeExternalUrl } from '../../shared/host/api.ts'

export interface HostOptions {
  shell: AppInfo['shell']
  version: string
  /** How the host opens a checked link outside the app (Electron's shell, or nothing on the web). */
  openExternal?: (url: string) => Promise<void>
}

/**
 * The host services, as plain Node: no `electron` import, so the same object serves Electron IPC,
 * the localhost web bridge and the tests.
 */
export function createHost(options: HostOptions): HostApi {
  return {
    async appInfo() {
      return { name: 'Signoff', version: options.version, platform: process.platform, shell: options.shell }
    },
    async openExternal(url) {
      if (!isSafeExternalUrl(url))
        return { opened: false, reason: 'Only http and https links can be opened.' }
      if (!options.openExternal)
        return { opened: false, reason: 'This shell cannot open links outside the app.' }
      await options.openExternal(url)
      return { opened: true }
    },
  }
}
