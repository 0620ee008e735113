import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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

describe('state files the host cannot read', () => {
  it('are kept aside, said on stderr and in the host log, and the app starts as on a first start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-web-broken-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    mkdirSync(join(dataDir, 'replicas'), { recursive: true })
    mkdirSync(join(dataDir, 'intake'), { recursive: true })
    // Cut short, garbage, and valid JSON of the wrong shape.
    const broken: Record<string, string> = {
      'web-port.json': '{"port": 70000}',
      'replicas/memberships.json': '{"version": 2, "memberships": [{"workspaceId": "w1"',
      'intake/statuses.json': 'garbage',
      'intake/workspaces.json': '{"w1": true}',
    }
    for (const [file, text] of Object.entries(broken)) writeFileSync(join(dataDir, file), text)
    const web = await startWeb(dataDir)
    await expect
      .poll(() => readFileSync(join(dataDir, 'logs', 'host.log'), 'utf8').includes('workspaces.json'))
      .toBe(true)
    for (const [file, text] of Object.entries(broken)) {
      const name = file.split('/').pop()!
      const dir = join(dataDir, file, '..')
      const aside = readdirSync(dir).filter((n) => n.startsWith(`${name}.unreadable-`))
      expect(aside, file).toHaveLength(1)
      // Nothing in it is lost.
      expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(text)
      // stderr comes through a pipe: it may trail the log file by a moment.
      await expect.poll(web.stderr).toContain(`${join(dataDir, file)} did not hold what it should`)
    }
    expect(web.stderr()).toContain('This run picks a new port')
    const log = readFileSync(join(dataDir, 'logs', 'host.log'), 'utf8')
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z .*memberships\.json did not hold what it should/m)
    // The intake API answers, taking intake for no workspace until a window opens one.
    const { url } = JSON.parse(readFileSync(join(dataDir, 'intake', 'endpoint.json'), 'utf8')) as {
      url: string
    }
    const token = readFileSync(join(dataDir, 'intake', 'token'), 'utf8').trim()
    const res = await fetch(`${url}/outputs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'T', type: 'x', content: 'c' }),
    })
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no_workspace')
  }, 120_000)

  it('a SIGNOFF_WEB_PORT in use, or a data folder that cannot be made, is said in words', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done))
    cleanups.push(() => new Promise<void>((done) => blocker.close(() => done())))
    const port = (blocker.address() as { port: number }).port
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(
        process.execPath,
        ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'electron/host/web-main.ts'],
        {
          cwd: root,
          env: { ...process.env, SIGNOFF_INTAKE_PORT: '0', ...env },
          encoding: 'utf8',
          timeout: 45_000,
        },
      )
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-web-port-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const taken = run({ SIGNOFF_DATA_DIR: dataDir, SIGNOFF_WEB_PORT: String(port) })
    expect(taken.status).toBe(1)
    expect(taken.stderr).toBe(
      `Port ${port} is already in use on this computer (another program, or another Signoff, listens there): choose another SIGNOFF_WEB_PORT, or 0 for any free one.\n`,
    )
    const file = join(dataDir, 'a-file')
    writeFileSync(file, 'x')
    const underFile = run({ SIGNOFF_DATA_DIR: join(file, 'data') })
    expect(underFile.status).toBe(1)
    expect(underFile.stderr).toContain(`Signoff cannot use ${join(file, 'data')} as its data folder`)
    expect(underFile.stderr).toContain('set SIGNOFF_DATA_DIR to a folder you can write')
  }, 120_000)
})
