import type { AppInfo, HostApi } from '../../shared/host/api.ts'
import { isSafeExternalUrl } from '../../shared/host/api.ts'
import { Hosting } from './hosting.ts'

export interface HostOptions {
  shell: AppInfo['shell']
  version: string
  /** How the host opens a checked link outside the app (Electron's shell, or nothing on the web). */
  openExternal?: (url: string) => Promise<void>
  /** Where host services keep their files (the hosted relay's log and tokens). */
  dataDir?: string
  log?: (line: string) => void
}

/**
 * The host services, as plain Node: no `electron` import, so the same object serves Electron IPC,
 * the localhost web bridge and the tests.
 */
export function createHost(options: HostOptions): HostApi & { close(): Promise<void> } {
  const hosting = options.dataDir
    ? new Hosting({ dataDir: options.dataDir, ...(options.log ? { log: options.log } : {}) })
    : null
  const needHosting = (): Hosting => {
    if (!hosting) throw new Error('Hosting is not available in this shell: it has no data directory.')
    return hosting
  }
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
    async hostingStatus() {
      return hosting
        ? hosting.status()
        : { running: false, lanUrls: [], error: 'Hosting is not available in this shell.' }
    },
    startHosting: async (args) => needHosting().start(args),
    stopHosting: async () => needHosting().stop(),
    createInvite: async (args) => needHosting().createInvite(args),
    listInvites: async (workspaceId) => needHosting().listInvites(workspaceId),
    async revokeInvite(tokenId) {
      return { revoked: await needHosting().revokeInvite(tokenId) }
    },
    async close() {
      await hosting?.stop()
    },
  }
}
