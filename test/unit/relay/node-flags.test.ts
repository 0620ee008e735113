import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RELAY_V8_FLAGS } from '../../../sync-server/node-flags.ts'

describe('the V8 flags the relay ships with', () => {
  it('are the ones `npm run relay` starts Node with, before the relay script', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))
    const words = (pkg.scripts.relay as string).split(/\s+/)
    const script = words.indexOf('sync-server/cli.ts')
    expect(words[0]).toBe('node')
    expect(script).toBeGreaterThan(0)
    for (const flag of RELAY_V8_FLAGS) {
      expect(words.indexOf(flag), flag).toBeGreaterThan(0)
      expect(words.indexOf(flag), flag).toBeLessThan(script)
    }
    // And nothing else V8 takes crept into the script unrecorded: every other flag is Node's own.
    const others = words.slice(1, script).filter((w) => !RELAY_V8_FLAGS.includes(w))
    expect(others).toEqual(['--experimental-strip-types', '--disable-warning=ExperimentalWarning'])
  })

  it('are flags this Node accepts', async () => {
    const { execFileSync } = await import('node:child_process')
    expect(
      execFileSync(process.execPath, [...RELAY_V8_FLAGS, '-e', 'process.stdout.write("ok")'], {
        encoding: 'utf8',
      }),
    ).toBe('ok')
  })
})
