// `npm test`: every check the project has, in the order that fails fastest: lint and types,
// unit tests, a production build, then the end-to-end tests in Chromium.
import { requireNode22 } from './node-check.mjs'
import { bin, run } from './run.mjs'

requireNode22()
run(bin('biome'), ['check', '.'])
run(process.execPath, ['scripts/typecheck.mjs'])
run(bin('vitest'), ['run'])
run(bin('electron-vite'), ['build'])
run(bin('playwright'), ['test'])
