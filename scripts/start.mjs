// `npm start`: build the app and open it in Electron. Electron 45 has no install script: its
// binary is downloaded on first use (`install-electron`). Where it is missing, try that download
// once, and when it fails say what to do instead of failing with a stack trace.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { electronBinary } from './electron-binary.mjs'
import { requireNode22 } from './node-check.mjs'
import { bin, run } from './run.mjs'

requireNode22()
const require = createRequire(import.meta.url)

if (!electronBinary()) {
  console.log(
    'The Electron binary is not downloaded yet (Electron 45 fetches it on first use); downloading it…',
  )
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
      'Fix: run `npx install-electron` where github.com is reachable (Electron 45 downloads its binary on\n' +
      'first use; there is no install script to allow), then `npm start` again. Or point ELECTRON_MIRROR at\n' +
      'a mirror of the Electron releases, or ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron 45.\n' +
      'Meanwhile the same app runs in a browser: `npm run web`.',
  )
  process.exit(1)
}
run(bin('electron-vite'), ['preview'])
