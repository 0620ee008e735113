import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

/** Flags that keep Chromium from reaching out to the network on a closed machine. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]

/**
 * The browser the end-to-end tests drive: Playwright's own Chromium where it is installed,
 * otherwise the system Chromium (`SIGNOFF_CHROMIUM`, then /usr/bin/chromium).
 * Returns undefined for "Playwright's own", throws a clear message when there is none.
 */
export function resolveChromium(): string | undefined {
  const fromEnv = process.env.SIGNOFF_CHROMIUM
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`SIGNOFF_CHROMIUM points at ${fromEnv}, which does not exist.`)
    return fromEnv
  }
  try {
    if (existsSync(chromium.executablePath())) return undefined
  } catch {
    // Playwright has no browser of its own here; fall through to the system one.
  }
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(candidate)) return candidate
  }
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one (Debian: `apt-get install chromium`, ' +
      'or `npx playwright install chromium` where downloads work) or set SIGNOFF_CHROMIUM to its path.',
  )
}
