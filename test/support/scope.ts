/**
 * What one test starts, undone after it: `defer` a clean-up, or take a temp folder that is
 * removed. Clean-ups run after each test, the last registered first, even when the test failed.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

export interface TestScope {
  defer(...cleanups: (() => Promise<void> | void)[]): void
  /** A fresh folder under the system's temp folder, removed after the test. */
  dir(prefix: string): string
}

/** Call at the top of a test file: registers the afterEach that runs the clean-ups. */
export function testScope(): TestScope {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })
  return {
    defer: (...more) => void cleanups.push(...more),
    dir(prefix) {
      const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)))
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
      return dir
    },
  }
}
