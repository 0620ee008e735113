// `npm start` where the Electron binary is missing and cannot be downloaded: it must say how to
// get it for Electron 45 (there is no install script to allow any more) and point at `npm run web`,
// and never print a stack trace. The download is aimed at a closed local port so it fails at once.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { electronBinary } from '../../../scripts/electron-binary.mjs'

const repo = resolve(import.meta.dirname, '../../..')

describe('npm start without the Electron binary', () => {
  it.skipIf(electronBinary() !== undefined)(
    'gives the Electron 45 fix and the browser alternative',
    () => {
      const cache = mkdtempSync(join(tmpdir(), 'signoff-electron-cache-'))
      try {
        const result = spawnSync(process.execPath, ['scripts/start.mjs'], {
          cwd: repo,
          encoding: 'utf8',
          timeout: 30_000,
          env: {
            ...process.env,
            ELECTRON_MIRROR: 'http://127.0.0.1:9/',
            electron_config_cache: cache,
            ELECTRON_GET_USE_PROXY: '',
          },
        })
        const out = `${result.stdout}\n${result.stderr}`
        expect(result.status).toBe(1)
        expect(out).toMatch(/Signoff could not start: the Electron binary is missing/)
        expect(out).toMatch(/npx install-electron/)
        expect(out).toMatch(/ELECTRON_OVERRIDE_DIST_PATH/)
        expect(out).toMatch(/npm run web/)
        expect(out).not.toMatch(/install-scripts approve|npm rebuild electron/)
        expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
      } finally {
        rmSync(cache, { recursive: true, force: true })
      }
    },
    40_000,
  )
})
