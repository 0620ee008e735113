// `npm start`: build the app and open it in Electron. Where the Electron binary is missing (npm
// did not run its install script, or the machine cannot download it), try to fetch it once and
// otherwise say what to do instead of failing with a stack trace.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { requireNode22 } from './node-check.mjs'
import { bin, run } from './run.mjs'

requireNode22()
const require = createRequire(import.meta.url)

function electronBinary() {
  try {
    const path = require('electron')
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

if (!electronBinary()) {
  console.log('The Electron binary is not installed yet; downloading it (npm skips install scripts)…')
  spawnSync(process.execPath, [require.resolve('electron/install.js')], { stdio: 'inherit' })
}
if (!electronBinary()) {
  console.error(
    '\nSignoff could not start: the Electron binary is missing and could not be downloaded.\n' +
      'Fix: allow the download (`npm install-scripts approve electron && npm rebuild electron`) on a machine with internet access,\n' +
      'or set ELECTRON_MIRROR / ELECTRON_OVERRIDE_DIST_PATH to a local copy.\n' +
      'Meanwhile the same app runs in a browser: `npm run web`.',
  )
  process.exit(1)
}
run(bin('electron-vite'), ['preview'])
