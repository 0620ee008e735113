import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../../..')
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
}, 60_000)

/** Start `npm run web`'s server (without the build) and wait for the URL it prints. */
async function startWeb(
  dataDir: string,
): Promise<{ port: number; stderr: () => string; stop: () => Promise<void> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SIGNOFF_DATA_DIR: dataDir, SIGNOFF_INTAKE_PORT: '0' }
  delete env.SIGNOFF_WEB_PORT
  const child: ChildProcess = spawn(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'electron/host/web-main.ts'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  // SIGTERM lets it flush and close; one that has not exited 15 s later (a busy CI machine) is killed.
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done()
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000)
      child.once('exit', () => {
        clearTimeout(kill)
        done()
      })
      child.kill('SIGTERM')
    })
  cleanups.push(stop)
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no URL printed; stderr: ${err}`)), 45_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /open http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)
      if (m) {
        clearTimeout(timer)
        done(Number(m[1]))
      }
    })
  })
  return { port, stderr: () => err, stop }
}

describe('npm run web keeps its address per data folder (issue 12 #14)', () => {
  it('restarts on the same port, so the browser finds its data again; says so when the port is taken', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-web-port-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const first = await startWeb(dataDir)
    await first.stop()
    const second = await startWeb(dataDir)
    expect(second.port).toBe(first.port)
    await second.stop()

    // Another program holds the port: Signoff still starts, elsewhere, and says what that means.
    const blocker: Server = createServer()
    await new Promise<void>((done) => blocker.listen(first.port, '127.0.0.1', done))
    cleanups.push(() => new Promise<void>((done) => blocker.close(() => done())))
    const third = await startWeb(dataDir)
    expect(third.port).not.toBe(first.port)
    expect(third.stderr()).toContain(`Port ${first.port}, where this data folder's app lives, is taken`)
    await third.stop()
    await new Promise<void>((done) => blocker.close(() => done()))
    // The folder's port stays the first one.
    const fourth = await startWeb(dataDir)
    expect(fourth.port).toBe(first.port)
  }, 240_000)
})
