import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, resolveChromium } from './test/support/browser.ts'

const executablePath = resolveChromium()

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: process.env.CI ? 'list' : 'list',
  use: {
    headless: true,
    launchOptions: { args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) },
    trace: 'retain-on-failure',
  },
})
