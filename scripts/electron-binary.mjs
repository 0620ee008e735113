import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * The Electron binary's path, or undefined when it is not installed. Does not `require('electron')`:
 * that tries to download the binary when it is missing, which hangs or fails on offline machines.
 */
export function electronBinary() {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const pathFile = join(dir, 'path.txt')
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
    const candidate = override
      ? join(override, relative ?? 'electron')
      : relative
        ? join(dir, 'dist', relative)
        : undefined
    return candidate && existsSync(candidate) ? candidate : undefined
  } catch {
    return undefined
  }
}
