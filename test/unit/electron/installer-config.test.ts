// What electron-builder.yml promises for the installers that can only be built on machines with
// the binary and the platform's tools (dmg, nsis, AppImage/deb/rpm), checked as configuration;
// test/integration/electron/package.test.ts builds the unpacked Linux app for real.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { decodePng, deriveIcons, ICNS_TYPES, ICO_SIZES } from '../../../scripts/icons.mjs'

const repo = resolve(import.meta.dirname, '../../..')
const config = parse(readFileSync(join(repo, 'electron-builder.yml'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'))

type Target = { target: string; arch: string[] }
const targets = (platform: string): Target[] => config[platform].target

describe('electron-builder.yml', () => {
  it('has the metadata the Linux packages require', () => {
    expect(pkg.author?.name).toBeTruthy()
    expect(pkg.author?.email).toMatch(/@/)
    expect(pkg.homepage).toMatch(/^https:\/\//)
    expect(config.appId).toBe('app.signoff.desktop')
    expect(config.productName).toBe('Signoff')
  })

  it('macOS: dmg and zip for x64 and arm64, hardened runtime, entitlements, notarization from the environment', () => {
    expect(targets('mac')).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ])
    expect(config.mac.hardenedRuntime).toBe(true)
    expect(config.mac.notarize).toBe(true)
    for (const key of ['entitlements', 'entitlementsInherit']) {
      const plist = readFileSync(join(repo, config.mac[key]), 'utf8')
      expect(plist).toContain('com.apple.security.cs.allow-jit')
      expect(plist).not.toContain('disable-library-validation')
      expect(plist).not.toContain('allow-dyld-environment-variables')
    }
    // No credentials in the file: they come from the environment.
    expect(JSON.stringify(config)).not.toMatch(/APPLE_|password|cscLink/i)
  })

  it('Windows: nsis for x64 and arm64, signed with SHA-256 when a certificate is in the environment', () => {
    expect(targets('win')).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }])
    expect(config.win.signtoolOptions.signingHashAlgorithms).toEqual(['sha256'])
  })

  it('Linux: AppImage, deb and rpm with a desktop entry, icon and MIME types', () => {
    expect(targets('linux').map((t) => t.target)).toEqual(['AppImage', 'deb', 'rpm'])
    const entry = config.linux.desktop.entry
    expect(entry.MimeType.split(';')).toEqual(
      expect.arrayContaining(['x-scheme-handler/signoff', 'text/markdown', 'text/plain', 'text/html']),
    )
    expect(config.linux.mimeTypes).toContain('x-scheme-handler/signoff')
    expect(config.linux.maintainer).toMatch(/@/)
  })

  it('registers signoff:// and the .md/.txt/.html file associations', () => {
    expect(config.protocols).toEqual([{ name: expect.any(String), schemes: ['signoff'] }])
    const exts = config.fileAssociations.flatMap((a: { ext: string | string[] }) => [a.ext].flat())
    expect(exts).toEqual(expect.arrayContaining(['md', 'txt', 'html']))
  })

  it('sets the fuses the security checklist asks for', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it('packs only the bundles: no node_modules, no source maps, nothing to rebuild', () => {
    expect(config.asar).toBe(true)
    expect(config.files).toEqual(['out/**', '!out/**/*.map', 'package.json', '!node_modules/**'])
    expect(config.npmRebuild).toBe(false)
  })

  it('publishes updates to the address in the environment', () => {
    expect(config.publish).toMatchObject({
      provider: 'generic',
      url: expect.stringMatching(/^\$\{env\.SIGNOFF_UPDATE_URL\}$/),
    })
  })
})

describe('icons', () => {
  it('every platform’s icon is derived from build/icon.png and up to date', () => {
    const derived = deriveIcons()
    for (const [path, bytes] of derived) {
      expect(existsSync(join(repo, path)), path).toBe(true)
      expect(readFileSync(join(repo, path)).equals(bytes), `${path} is stale: run npm run icons`).toBe(true)
    }
    expect(config.mac.icon).toBe('build/icon.icns')
    expect(config.win.icon).toBe('build/icon.ico')
    expect(config.linux.icon).toBe('build/icons')
  })

  it('the containers hold every size the platforms ask for', () => {
    const icns = readFileSync(join(repo, 'build/icon.icns'))
    expect(icns.toString('latin1', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const types: string[] = []
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4))
      types.push(icns.toString('latin1', offset, offset + 4))
    expect(types).toEqual(ICNS_TYPES.map(([type]) => type))
    const ico = readFileSync(join(repo, 'build/icon.ico'))
    expect(ico.readUInt16LE(2)).toBe(1)
    expect(ico.readUInt16LE(4)).toBe(ICO_SIZES.length)
    const first = ico.readUInt32LE(6 + 12)
    expect(decodePng(ico.subarray(first, first + ico.readUInt32LE(6 + 8))).width).toBe(ICO_SIZES[0])
  })
})
