// The installers without the binary: build the app with the real electron-vite config into a
// staging folder, run `electron-builder --dir` with the real electron-builder.yml against a
// stand-in Electron folder (an executable placeholder carrying Electron's fuse wire), then open
// what it made: app.asar's file list and size, the fuses flipped in the executable, the update
// feed, and the built main process loading against a stand-in `electron` module with the real
// host behind it. One step, well under a minute.
import { execFile, spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { extractFile, listPackage } from '@electron/asar'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { build } from 'electron-vite'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { parse } from 'yaml'
import { buildCli } from '../../../scripts/build-cli.mjs'
import {
  BEFORE_QUIT_CHANNEL,
  FLUSHED_CHANNEL,
  hostChannel,
  hostMethodNames,
} from '../../../shared/host/api.ts'
import { electron, FakeBrowserWindow } from '../../unit/electron/fake-electron.ts'

vi.mock('electron', async () => (await import('../../unit/electron/fake-electron.ts')).electron)

const repo = resolve(import.meta.dirname, '../../..')
const electronVersion = JSON.parse(
  readFileSync(join(repo, 'node_modules/electron/package.json'), 'utf8'),
).version
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Electron's own fuse defaults (wire version 1, 8 fuses): what the placeholder starts with. */
const DEFAULT_WIRE = '10110001'
const MAX_ASAR_BYTES = 15 * 1024 * 1024

const work = mkdtempSync(join(tmpdir(), 'signoff-package-'))
const stage = join(work, 'app')
const standIn = join(work, 'electron-dist')
const output = join(work, 'dist')
const unpacked = join(output, 'linux-unpacked')

/** A folder shaped like an unpacked Electron for Linux, with a placeholder executable. */
function makeStandInElectron(): void {
  mkdirSync(join(standIn, 'locales'), { recursive: true })
  mkdirSync(join(standIn, 'resources'), { recursive: true })
  const placeholder = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in for the Electron binary"\nexit 0\n# '),
    Buffer.from(SENTINEL),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(`${DEFAULT_WIRE}\n`),
  ])
  writeFileSync(join(standIn, 'electron'), placeholder)
  chmodSync(join(standIn, 'electron'), 0o755)
  for (const locale of ['en-US', 'de', 'fr', 'ko', 'th'])
    writeFileSync(join(standIn, 'locales', `${locale}.pak`), 'x')
  writeFileSync(join(standIn, 'version'), electronVersion)
  writeFileSync(join(standIn, 'LICENSE'), '')
  writeFileSync(join(standIn, 'LICENSES.chromium.html'), '')
}

beforeAll(async () => {
  makeStandInElectron()
  mkdirSync(stage, { recursive: true })
  // The app folder electron-builder sees: the repo's package.json, icons and node_modules (so
  // its dependency collection and the `files` patterns act as in a real `npm run dist`), and a
  // fresh build in a folder of its own, so a build running elsewhere in the repo is not touched.
  writeFileSync(join(stage, 'package.json'), readFileSync(join(repo, 'package.json')))
  symlinkSync(join(repo, 'build'), join(stage, 'build'))
  symlinkSync(join(repo, 'node_modules'), join(stage, 'node_modules'))
  const env = process.env.NODE_ENV
  await build({ root: repo, build: { outDir: join(stage, 'out') }, logLevel: 'silent' })
  await buildCli(join(stage, 'out', 'cli'))
  if (env === undefined) delete process.env.NODE_ENV
  else process.env.NODE_ENV = env
  await promisify(execFile)(
    process.execPath,
    [
      join(repo, 'node_modules/electron-builder/cli.js'),
      '--dir',
      '--linux',
      '--x64',
      '--projectDir',
      stage,
      '--config',
      join(repo, 'electron-builder.yml'),
      `-c.electronDist=${standIn}`,
      `-c.electronVersion=${electronVersion}`,
      `-c.directories.output=${output}`,
    ],
    {
      cwd: stage,
      env: { ...process.env, SIGNOFF_UPDATE_URL: 'https://updates.example.invalid/signoff', CI: '1' },
      maxBuffer: 16 * 1024 * 1024,
    },
  )
}, 120_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('electron-builder --dir against a stand-in Electron', () => {
  const asar = () => join(unpacked, 'resources', 'app.asar')

  it('packs only the bundles and package.json into app.asar', () => {
    const files = listPackage(asar(), { isPack: false })
      .map((f) => f.replaceAll('\\', '/').replace(/^\//, ''))
      .filter((f) => {
        try {
          return !statSync(join(stage, f)).isDirectory()
        } catch {
          return true
        }
      })
    expect(files).toContain('package.json')
    expect(files).toContain('out/main/index.js')
    // The hosted relay's worker thread, an entry of its own (sync-server/thread-relay.ts).
    expect(files).toContain('out/main/relay-thread.js')
    expect(files).toContain('out/preload/index.cjs')
    expect(files).toContain('out/renderer/index.html')
    const unexpected = files.filter(
      (f) =>
        f !== 'package.json' &&
        !/^out\/main\/(chunks\/)?[\w.-]+\.js$/.test(f) &&
        f !== 'out/preload/index.cjs' &&
        f !== 'out/renderer/index.html' &&
        f !== 'out/renderer/favicon.png' &&
        !/^out\/renderer\/assets\/[\w.-]+\.(js|css|woff2?|svg|png)$/.test(f),
    )
    expect(unexpected).toEqual([])
    expect(files.filter((f) => f.includes('node_modules'))).toEqual([])
    expect(files.filter((f) => f.endsWith('.map') || /\.tsx?$/.test(f))).toEqual([])
  })

  it('keeps app.asar under 15 MB', () => {
    const size = statSync(asar()).size
    expect(size).toBeLessThan(MAX_ASAR_BYTES)
  })

  it('ships a package.json that names the main bundle and the app’s author and homepage', () => {
    const pkg = JSON.parse(extractFile(asar(), 'package.json').toString('utf8'))
    expect(pkg.main).toBe('out/main/index.js')
    expect(pkg.type).toBe('module')
    expect(pkg.author?.name).toBeTruthy()
    expect(pkg.homepage).toMatch(/^https:\/\//)
  })

  it('flips the fuses in the packaged executable', async () => {
    const wire = (await getCurrentFuseWire(join(unpacked, 'signoff'))) as unknown as Record<number, number>
    // The wire holds '0' (off) or '1' (on) per fuse.
    const expected: [FuseV1Options, '0' | '1'][] = [
      [FuseV1Options.RunAsNode, '0'],
      [FuseV1Options.EnableCookieEncryption, '1'],
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable, '0'],
      [FuseV1Options.EnableNodeCliInspectArguments, '0'],
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, '1'],
      [FuseV1Options.OnlyLoadAppFromAsar, '1'],
      [FuseV1Options.GrantFileProtocolExtraPrivileges, '0'],
    ]
    for (const [fuse, state] of expected)
      expect(String.fromCharCode(wire[fuse] ?? 0), FuseV1Options[fuse]).toBe(state)
  })

  it('writes the update feed read from the environment', () => {
    const feed = parse(readFileSync(join(unpacked, 'resources', 'app-update.yml'), 'utf8'))
    expect(feed).toMatchObject({ provider: 'generic', url: 'https://updates.example.invalid/signoff' })
  })

  it('ships the intake CLI and MCP server beside the asar, runnable by Node with nothing else', async () => {
    const cli = join(unpacked, 'resources', 'cli')
    expect(readdirSync(cli).sort()).toEqual(['signoff-mcp.mjs', 'signoff.mjs'])
    const run = promisify(execFile)
    const help = await run(process.execPath, [join(cli, 'signoff.mjs'), '--help'], { cwd: work })
    expect(help.stdout).toMatch(/Usage:\n\s+signoff submit/)
    const mcp = spawnSync(process.execPath, [join(cli, 'signoff-mcp.mjs')], {
      cwd: work,
      encoding: 'utf8',
      timeout: 10_000,
      input: `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'test', version: '1' },
        },
      })}\n`,
    })
    expect(JSON.parse(mcp.stdout.split('\n')[0] ?? '')).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'signoff' } },
    })
  })

  it('keeps only the listed UI languages', () => {
    const locales = readdirSync(join(unpacked, 'locales'))
    expect(locales).toContain('en-US.pak')
    expect(locales).not.toContain('th.pak')
  })
})

describe('the built main process', () => {
  it('imports nothing but electron, Node’s own modules and its own chunks (the asar has no node_modules)', () => {
    const dir = join(stage, 'out/main')
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))
    expect(files).toContain('index.js')
    for (const file of files) {
      const code = readFileSync(join(dir, file), 'utf8')
      const specifiers = [
        ...code.matchAll(/^import\s[^;]*?from\s*["']([^"']+)["']/gm),
        ...code.matchAll(/^import\s*["']([^"']+)["']/gm),
        ...code.matchAll(/\b(?:__require|require)\(\s*["']([^"']+)["']\s*\)/g),
        ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ].map((m) => m[1] ?? '')
      const foreign = specifiers.filter((s) => {
        if (s === 'electron' || s.startsWith('node:') || builtinModules.includes(s)) return false
        // Its own chunks, which must be there.
        if (s.startsWith('./') || s.startsWith('../')) return !existsSync(join(dir, dirname(file), s))
        return true
      })
      expect(foreign, file).toEqual([])
    }
  })

  it('loads with only electron external, wires every host method to the real host, and closes it on quit', async () => {
    process.env.SIGNOFF_USER_DATA = join(work, 'user-data')
    process.env.SIGNOFF_INTAKE_PORT = '0'
    await import(join(stage, 'out/main/index.js'))
    electron.app.becomeReady()
    await vi.waitFor(() => expect(FakeBrowserWindow.getAllWindows()).toHaveLength(1))
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(hostMethodNames.map(hostChannel).sort())
    const window = FakeBrowserWindow.getAllWindows()[0]!
    // The preload and renderer it points at are the ones built beside it.
    expect(existsSync(String(window.options.webPreferences?.preload))).toBe(true)
    const page = await electron.protocol.handlers.get('signoff')?.(new Request('signoff://app/index.html'))
    expect(page?.status).toBe(200)
    expect(await page?.text()).toMatch(/<div id="root">/)
    const appInfo = electron.ipcMain.handlers.get(hostChannel('appInfo')) as (
      e: unknown,
      i: unknown,
    ) => Promise<unknown>
    await expect(appInfo({ senderFrame: window.webContents.mainFrame }, undefined)).resolves.toMatchObject({
      name: 'Signoff',
      shell: 'electron',
    })
    // Hosting starts the relay in a worker thread from the relay-thread.js built beside it, and
    // stops it.
    const call = (name: string, input: unknown) =>
      (
        electron.ipcMain.handlers.get(hostChannel(name as never)) as (
          e: unknown,
          i: unknown,
        ) => Promise<unknown>
      )({ senderFrame: window.webContents.mainFrame }, input)
    const started = (await call('startHosting', {
      workspaceId: 'w1',
      memberId: 'admin',
      port: 0,
      lan: false,
    })) as { running: boolean; url: string; ownToken: string }
    expect(started).toMatchObject({ running: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/) })
    const refused = new WebSocket(`${started.url}/w1?token=bogus`)
    expect(await new Promise((resolve) => refused.on('close', (code) => resolve(code)))).toBe(4401)
    await expect(call('stopHosting', undefined)).resolves.toMatchObject({ running: false })
    // Quit: the window is asked to flush (answered here as its preload would), then the real host
    // closes its intake server, then the app quits.
    electron.app.quit()
    for (const { channel, args } of window.webContents.sent)
      if (channel === BEFORE_QUIT_CHANNEL)
        electron.ipcMain.emit(
          FLUSHED_CHANNEL,
          { sender: window.webContents, senderFrame: window.webContents.mainFrame },
          args[0],
        )
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true), { timeout: 10_000 })
  }, 30_000)
})
