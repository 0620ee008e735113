import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serviceUrlProblem, whereOf } from '../../../sync-server/cluster/service-errors.ts'
import { freePort, type Postgres, startPostgres } from '../../support/services.ts'
import { CLI, NODE, NODE_FLAGS } from '../relay/helpers.ts'

/** The relay's command line, run to its end: exit code and what it printed. */
function relay(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [...NODE_FLAGS, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      err += d
    })
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

describe('cluster commands with a database that cannot be used', () => {
  let pg: Postgres
  beforeAll(async () => {
    pg = await startPostgres()
  }, 60_000)
  afterAll(() => pg?.destroy())

  it('a --database or --fanout that is not a URL of its kind is refused before connecting', async () => {
    expect(serviceUrlProblem('database', 'postgres://h:5432/db')).toBeUndefined()
    expect(serviceUrlProblem('fanout', 'rediss://h:6380')).toBeUndefined()
    const notUrl = await relay(['token', 'list', '--database', 'signoff'])
    expect(notUrl.code).toBe(2)
    expect(notUrl.err).toMatch(/^--database must be a URL such as postgres:\/\//)
    const mysql = await relay(['--database', 'mysql://h/x', '--fanout', 'redis://h'])
    expect(mysql.err).toMatch(
      /--database must be a postgres:\/\/ or postgresql:\/\/ URL .*\(it starts with mysql:\/\/\)/,
    )
    const http = await relay(['--database', 'postgres://h/x', '--fanout', 'http://h'])
    expect(http.err).toMatch(/--fanout must be a redis:\/\/ or rediss:\/\/ URL/)
  })

  it('says which server, where and why, and never prints the password', async () => {
    const port = await freePort()
    const refused = await relay([
      'token',
      'list',
      '--database',
      `postgres://ops:hunter2@127.0.0.1:${port}/signoff`,
    ])
    expect(refused.code).toBe(1)
    expect(refused.err).toContain(`cannot use PostgreSQL at 127.0.0.1:${port}/signoff: connection refused`)
    expect(refused.err).toContain('Check --database.')
    expect(refused.err).not.toContain('hunter2')

    const missing = new URL(pg.url)
    missing.pathname = '/no_such_db'
    const noDb = await relay(['doc', 'repair', '--doc', 'w/x', '--database', missing.href])
    expect(noDb.code).toBe(1)
    expect(noDb.err).toContain(
      `cannot use PostgreSQL at ${whereOf(missing.href)}: that database does not exist`,
    )

    // A node that cannot use its database says so and exits, instead of listening half-alive.
    const node = await relay(['--port', '0', '--database', missing.href, '--fanout', 'redis://127.0.0.1:1'])
    expect(node.code).toBe(1)
    expect(node.err).toContain('that database does not exist')
    expect(node.out).not.toContain('listening')
  }, 60_000)
})
