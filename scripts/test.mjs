// `npm test`: every check the project has, in the order that fails fastest: lint and types,
// unit tests, a production build, then the end-to-end tests in Chromium.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { requireNode22 } from './node-check.mjs'
import { bin, run } from './run.mjs'

/** Whether the end-to-end tests have a Chromium (the same places test/support/browser.ts looks). */
async function haveChromium() {
  if (process.env.SIGNOFF_CHROMIUM) return true
  try {
    const { chromium } = await import('@playwright/test')
    if (existsSync(chromium.executablePath())) return true
  } catch {
    // No browser of Playwright's own: look for the system one.
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].some((p) =>
    existsSync(p),
  )
}

requireNode22()
run(bin('biome'), ['check', '.'])
run(process.execPath, ['scripts/typecheck.mjs'])
run(bin('vitest'), ['run'])
run(bin('electron-vite'), ['build'])
// On a connected machine with no browser, fetch Playwright's own; where that cannot download,
// playwright.config.ts stops with its clear "No Chromium found" message and the ways to get one.
if (!(await haveChromium())) {
  console.log('\nNo Chromium for the end-to-end tests yet: trying `playwright install chromium`…')
  spawnSync(bin('playwright'), ['install', 'chromium'], { stdio: 'inherit' })
}
run(bin('playwright'), ['test'])
