import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Real PostgreSQL and Redis from the system packages, on free ports in temp folders, for the
 * relay cluster's tests and benchmark. PostgreSQL refuses to run as root: as root the cluster
 * is initialised and run as the `postgres` user on a folder chowned to it.
 */

const PG_BIN = process.env.SIGNOFF_PG_BIN ?? '/usr/lib/postgresql/15/bin'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

function asPostgres(cmd: string, args: string[]): string[] {
  const root = process.getuid?.() === 0
  return root ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args]
}

function run(argv: string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/**
 * A freshly initialised PostgreSQL cluster to copy from, made once per machine (by whichever test
 * gets there first: each builds its own and renames it into place; the losers use the winner's).
 */
function clusterTemplate(): string {
  const template = join(tmpdir(), `signoff-pg-template-15-${process.getuid?.() ?? 'u'}`)
  if (existsSync(join(template, 'PG_VERSION'))) return template
  const building = mkdtempSync(join(tmpdir(), 'signoff-pg-init-'))
  if (process.getuid?.() === 0) {
    const uid = Number(run(['id', '-u', 'postgres']).trim())
    const gid = Number(run(['id', '-g', 'postgres']).trim())
    chownSync(building, uid, gid)
  }
  const data = join(building, 'data')
  run(
    asPostgres(join(PG_BIN, 'initdb'), [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
    ]),
  )
  try {
    renameSync(data, template)
  } catch {
    // another test made it first
  }
  rmSync(building, { recursive: true, force: true })
  return template
}

export interface Postgres {
  url: string
  port: number
  dir: string
  /** pg_ctl stop with the given mode ('immediate' is a crash: no checkpoint, WAL replay on start). */
  stop(mode?: 'fast' | 'immediate'): void
  start(): void
  /** A fresh database on this server, for one test. */
  createDatabase(name: string): string
  destroy(): void
}

export async function startPostgres(): Promise<Postgres> {
  if (!existsSync(join(PG_BIN, 'postgres')))
    throw new Error(
      `PostgreSQL 15 not found in ${PG_BIN} (apt-get install postgresql, or set SIGNOFF_PG_BIN)`,
    )
  const dir = mkdtempSync(join(tmpdir(), 'signoff-pg-'))
  const data = join(dir, 'data')
  const sockets = join(dir, 'run')
  mkdirSync(sockets)
  if (process.getuid?.() === 0) {
    const uid = Number(run(['id', '-u', 'postgres']).trim())
    const gid = Number(run(['id', '-g', 'postgres']).trim())
    chownSync(dir, uid, gid)
    chownSync(sockets, uid, gid)
  }
  // initdb once per machine (seconds), then a copy of it per server (a fraction of that).
  run(['cp', '-a', clusterTemplate(), data])
  const port = await freePort()
  const opts = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c synchronous_commit=on -c max_connections=200 -c shared_buffers=32MB`
  const start = () => {
    run(
      asPostgres(join(PG_BIN, 'pg_ctl'), [
        '-D',
        data,
        '-o',
        opts,
        '-l',
        join(dir, 'log'),
        '-w',
        '-t',
        '30',
        'start',
      ]),
    )
  }
  start()
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  return {
    url,
    port,
    dir,
    start,
    stop(mode = 'fast') {
      run(asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']))
    },
    createDatabase(name) {
      run(
        asPostgres(join(PG_BIN, 'psql'), [
          '-h',
          sockets,
          '-p',
          String(port),
          '-U',
          'postgres',
          '-qc',
          `CREATE DATABASE "${name}"`,
        ]),
      )
      return `postgres://postgres@127.0.0.1:${port}/${name}`
    },
    destroy() {
      try {
        run(asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']))
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export interface Redis {
  url: string
  port: number
  /** SIGKILL: pub/sub messages in flight are lost, subscribers are cut off. */
  kill(): Promise<void>
  start(): Promise<void>
  destroy(): Promise<void>
}

export async function startRedis(): Promise<Redis> {
  const port = await freePort()
  let proc: ChildProcess | null = null
  const start = async () => {
    proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    )
    await waitForPort(port)
  }
  const kill = async () => {
    const p = proc
    proc = null
    if (!p || p.exitCode !== null) return
    const exited = new Promise((r) => p.once('exit', r))
    p.kill('SIGKILL')
    await exited
  }
  await start()
  return { url: `redis://127.0.0.1:${port}`, port, start, kill, destroy: kill }
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > until) throw new Error(`nothing listens on port ${port}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * A small TCP load balancer: each connection goes to the next backend in turn (or to the one
 * `pick` names), and to the following one when that refuses. A backend that died leaves its
 * clients disconnected; they reconnect through here to a live one.
 */
export interface Balancer {
  port: number
  url: string
  backends: number[]
  /** Route new connections with this function (an index into backends), or round-robin (null). */
  pick: ((path: string) => number) | null
  close(): Promise<void>
}

export async function startBalancer(backends: number[]): Promise<Balancer> {
  let next = 0
  const sockets = new Set<Socket>()
  const b: Balancer = { port: 0, url: '', backends, pick: null, close: async () => {} }
  const server: Server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => {})
    client.pause()
    const first = b.pick ? -1 : next++ % b.backends.length
    let tries = 0
    const tryBackend = (i: number, head: Buffer | null) => {
      if (tries++ >= b.backends.length) {
        client.destroy()
        return
      }
      const upstream = connect(b.backends[i]!, '127.0.0.1')
      sockets.add(upstream)
      upstream.on('close', () => sockets.delete(upstream))
      let connected = false
      upstream.once('connect', () => {
        connected = true
        if (head) upstream.write(head)
        upstream.on('close', () => client.destroy())
        client.on('close', () => upstream.destroy())
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
      upstream.on('error', () => {
        if (!connected) tryBackend((i + 1) % b.backends.length, head)
        else client.destroy()
      })
    }
    if (b.pick) {
      // Read the request line to route on the path (the workspace), then replay it.
      client.once('data', (chunk: Buffer) => {
        client.pause()
        const path = /^[A-Z]+ (\S+)/.exec(chunk.toString('latin1'))?.[1] ?? '/'
        tryBackend(b.pick!(path) % b.backends.length, chunk)
      })
      client.resume()
    } else {
      tryBackend(first, null)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  b.port = (server.address() as { port: number }).port
  b.url = `ws://127.0.0.1:${b.port}`
  b.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
  return b
}
