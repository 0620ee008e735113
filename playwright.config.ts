import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, resolveChromium } from './test/support/browser.ts'

const executablePath = resolveChromium()

export default defineConfig({
  testDir: 'test/e2e',
  // Builds the app first, so the bridge serves (and Electron starts) the current code.
  globalSetup: './test/e2e/fixtures/build.ts',
  timeout: 60_000,
  workers: 1,
  reporter: 'list',
  use: {
    headless: true,
    launchOptions: { args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) },
    trace: 'retain-on-failure',
  },
})
