// `npm start`: build the app and open it in Electron. Where the Electron binary is missing (npm
// did not run its install script, or the machine cannot download it), try to fetch it once and
// otherwise say what to do instead of failing with a stack trace.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { electronBinary } from './electron-binary.mjs'
import { requireNode22 } from './node-check.mjs'
import { bin, run } from './run.mjs'

requireNode22()
const require = createRequire(import.meta.url)

if (!electronBinary()) {
  console.log('The Electron binary is not installed yet; downloading it (npm skips install scripts)…')
  const download = spawnSync(process.execPath, [require.resolve('electron/install.js')], { encoding: 'utf8' })
  if (download.status !== 0) {
    const reason =
      `${download.stderr ?? ''}`.split('\n').find((line) => /error/i.test(line)) ?? 'no reason given'
    console.error(`The download failed: ${reason.trim()}`)
  }
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
