// `npm run web`: build the renderer, then serve it with the host API over a localhost bridge
// (random port, per-run secret). Prints one line, the URL to open, and runs until Ctrl-C.
// `--no-build` skips the build (the end-to-end fixture uses it after building once).
import { spawn, spawnSync } from 'node:child_process'
import { requireNode22 } from './node-check.mjs'
import { bin } from './run.mjs'

requireNode22()

if (!process.argv.includes('--no-build')) {
  // The build's own output would bury the one line that matters; show it only when it fails.
  const build = spawnSync(bin('electron-vite'), ['build'], { encoding: 'utf8' })
  if (build.error || build.status !== 0) {
    process.stderr.write(build.stdout ?? '')
    process.stderr.write(build.stderr ?? '')
    console.error(`Signoff could not build the renderer${build.error ? `: ${build.error.message}` : '.'}`)
    process.exit(build.status || 1)
  }
}

const child = spawn(
  process.execPath,
  ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'electron/host/web-main.ts'],
  { stdio: 'inherit' },
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
