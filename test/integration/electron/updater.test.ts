// Auto-update with the real electron-updater against a local HTTP server that serves an update
// feed (latest.yml, named for this platform) and the new version's file. Only Electron's parts
// are stood in: the app (electron-updater's own AppAdapter interface) and `net.request`, which
// here is Node's http.request. The check finds the newer version, downloads it quietly with its
// checksum verified, and then the one "Restart to update" notice is asked for. The updater is built
// the way the app builds it (no arguments: it takes Electron's app and net itself).
import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppUpdater } from 'electron-updater'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startAutoUpdate } from '../../../electron/main/updater.ts'

const require = createRequire(import.meta.url)
const work = mkdtempSync(join(tmpdir(), 'signoff-update-'))
const payload = Buffer.from('#!/bin/sh\necho "Signoff 9.9.9, a stand-in AppImage"\n'.repeat(200))
const sha512 = createHash('sha512').update(payload).digest('base64')
const fileName = 'Signoff-9.9.9-x86_64.AppImage'
/** electron-updater's channel file name: latest.yml on Windows, -mac / -linux(-arch) elsewhere. */
const feedFile = `latest${process.platform === 'darwin' ? '-mac' : process.platform === 'linux' ? `-linux${process.arch === 'x64' ? '' : `-${process.arch}`}` : ''}.yml`
const feed = [
  'version: 9.9.9',
  'files:',
  `  - url: ${fileName}`,
  `    sha512: ${sha512}`,
  `    size: ${payload.length}`,
  `path: ${fileName}`,
  `sha512: ${sha512}`,
  "releaseDate: '2026-11-30T12:00:00.000Z'",
  '',
].join('\n')

const requests: string[] = []
let server: Server
let baseUrl = ''
const electronPath = require.resolve('electron')
const savedElectron = require.cache[electronPath]
const saved: { XDG_CACHE_HOME?: string | undefined } = {}
const proc = process as NodeJS.Process & { resourcesPath?: string }
const resources = {
  dir: join(work, 'resources'),
  saved: proc.resourcesPath,
  setFeed(url: string) {
    mkdirSync(this.dir, { recursive: true })
    writeFileSync(
      join(this.dir, 'app-update.yml'),
      `provider: generic\nurl: ${url}\nchannel: latest\nupdaterCacheDirName: signoff-updater\n`,
    )
    proc.resourcesPath = this.dir
  },
}

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    if (req.url?.startsWith(`/${feedFile}`)) {
      res.writeHead(200, { 'Content-Type': 'text/yaml' })
      res.end(feed)
    } else if (req.url === `/${fileName}`) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': payload.length })
      res.end(payload)
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  // electron-updater loads `electron` with Node's require, inside node_modules; stand in for the
  // two things it asks of it during a check and a download.
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    getVersion: () => '0.1.0',
    getName: () => 'Signoff',
    getPath: () => join(work, 'user-data'),
    getAppPath: () => work,
    whenReady: async () => {},
    quit: () => {},
    relaunch: () => {},
  })
  const standIn = {
    app,
    net: { request: (options: Parameters<typeof request>[0]) => request(options) },
    session: { fromPartition: () => ({}) },
  }
  require.cache[electronPath] = {
    id: electronPath,
    filename: electronPath,
    loaded: true,
    exports: standIn,
  } as unknown as NodeJS.Module
  saved.XDG_CACHE_HOME = process.env.XDG_CACHE_HOME
  process.env.XDG_CACHE_HOME = join(work, 'cache')
  process.env.APPIMAGE = join(work, 'Signoff-0.1.0-x86_64.AppImage')
  // What electron-builder writes into an installed app's resources (see package.test.ts).
  resources.setFeed(baseUrl)
  writeFileSync(process.env.APPIMAGE, 'the installed version')
})

afterAll(async () => {
  if (savedElectron) require.cache[electronPath] = savedElectron
  else delete require.cache[electronPath]
  delete process.env.APPIMAGE
  proc.resourcesPath = resources.saved as string
  if (saved.XDG_CACHE_HOME === undefined) delete process.env.XDG_CACHE_HOME
  else process.env.XDG_CACHE_HOME = saved.XDG_CACHE_HOME
  await new Promise((resolve) => server.close(resolve))
  rmSync(work, { recursive: true, force: true })
})

/** Auto-update with `updater`, the person answering `answer` to "Restart to update": what was asked and logged. */
function autoUpdate(updater: AppUpdater, answer: boolean, restart?: () => void) {
  const asked: string[] = []
  const log: string[] = []
  const running = startAutoUpdate({
    updater,
    askToRestart: async (version) => {
      asked.push(version)
      return answer
    },
    ...(restart ? { restart } : {}),
    log: (line) => log.push(String(line)),
  })
  return { running, asked, log }
}

describe('auto-update against a local feed', () => {
  it('checks at start, downloads the newer version quietly, then offers “Restart to update”', async () => {
    const { AppImageUpdater } = await import('electron-updater')
    const updater = new AppImageUpdater()
    updater.disableDifferentialDownload = true
    const restart = vi.fn()
    const { running, asked, log } = autoUpdate(updater, true, restart)
    try {
      await vi.waitFor(() => expect(asked, log.join('\n')).toEqual(['9.9.9']), { timeout: 15_000 })
      expect(requests.some((r) => r.startsWith(`/${feedFile}`))).toBe(true)
      expect(requests).toContain(`/${fileName}`)
      expect(restart).toHaveBeenCalledTimes(1)
      // The downloaded file is the served one, checked against the feed's sha512.
      const downloaded = join(work, 'cache', 'signoff-updater', 'pending', fileName)
      expect(createHash('sha512').update(readFileSync(downloaded)).digest('base64')).toBe(sha512)
      // A later check finds the same version: no second notice.
      await running.check()
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(asked).toEqual(['9.9.9'])
    } finally {
      running.stop()
    }
  }, 30_000)

  it('a check that fails (no feed there) is logged, not thrown, and asks nothing', async () => {
    const { AppImageUpdater } = await import('electron-updater')
    const updater = new AppImageUpdater()
    updater.setFeedURL({ provider: 'generic', url: `${baseUrl}missing/` })
    const { running, asked, log } = autoUpdate(updater, false)
    await running.check()
    running.stop()
    expect(log.some((line) => /Update check failed/.test(line))).toBe(true)
    expect(asked).toEqual([])
  })
})
