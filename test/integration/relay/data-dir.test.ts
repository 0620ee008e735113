import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startRelay } from '../../../sync-server/relay.ts'
import { DB_FILE } from '../../../sync-server/store/db.ts'
import { LOCK_FILE } from '../../../sync-server/store/lock.ts'
import { CLI, NODE, NODE_FLAGS, tempDir } from './helpers.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the data directory', () => {
  it('is created with its missing parents', async () => {
    const root = tempDir()
    dirs.push(root)
    const dataDir = join(root, 'a', 'b', 'relay-data')
    const relay = await startRelay({ port: 0, dataDir })
    expect(existsSync(join(dataDir, DB_FILE))).toBe(true)
    await relay.close()
  })

  it('that cannot be created is refused with its path, not a hang (Node’s recursive mkdir loops under /proc)', async () => {
    await expect(startRelay({ port: 0, dataDir: '/proc/signoff-relay-data' })).rejects.toThrow(
      /^cannot create the folder \/proc\/signoff-relay-data \(ENOENT.*choose a folder you can write for --data$/,
    )
  })

  it('whose WAL cannot be opened is refused with the file’s path', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    mkdirSync(join(dataDir, `${DB_FILE}-wal`)) // a directory where SQLite wants its WAL
    await expect(startRelay({ port: 0, dataDir })).rejects.toThrow(
      `cannot open ${join(dataDir, DB_FILE)}: disk I/O error`,
    )
  })
})

describe('one process owns a data directory', () => {
  const run = (args: string[]) => spawnSync(NODE, [...NODE_FLAGS, CLI, ...args], { encoding: 'utf8' })

  it('a second relay on it, or a repair under a running relay, is refused and says which process holds it', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const relay = await startRelay({ port: 0, dataDir })
    try {
      const second = run(['--port', '0', '--data', dataDir])
      expect(second.status).toBe(1)
      expect(second.stderr).toContain(
        `A relay (process ${process.pid}) is running on ${dataDir}: stop it before starting another`,
      )
      const repair = run(['doc', 'repair', '--data', dataDir, '--doc', 'W1'])
      expect(repair.status).toBe(2)
      expect(repair.stderr).toContain(
        `A relay (process ${process.pid}) is running on ${dataDir}: stop it before repairing`,
      )
    } finally {
      await relay.close()
    }
    // Closed: the directory is free again.
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
    expect(run(['doc', 'repair', '--data', dataDir, '--doc', 'W1']).stderr).toContain(
      'No updates for document W1',
    )
  })

  it('a port in use, a host that is not this machine, or a folder that cannot be made is said in words', async () => {
    const other = tempDir()
    dirs.push(other)
    const first = await startRelay({ port: 0, dataDir: other })
    const port = new URL(first.url).port
    try {
      const taken = run(['--port', port, '--data', tempDir()])
      expect(taken.status).toBe(1)
      expect(taken.stderr).toBe(
        `Port ${port} is already in use on this computer (another program, or another Signoff, listens there): choose another --port, or 0 for any free one.\n`,
      )
    } finally {
      await first.close()
    }
    const notHere = run(['--port', '0', '--host', '192.0.2.7', '--data', tempDir()])
    expect(notHere.status).toBe(1)
    expect(notHere.stderr).toContain('192.0.2.7 is not an address of this machine: check --host')
    const parent = join(tempDir(), 'file')
    writeFileSync(parent, 'x')
    const underFile = run(['--port', '0', '--data', join(parent, 'relay')])
    expect(underFile.status).toBe(1)
    expect(underFile.stderr).toContain(`cannot create the folder ${join(parent, 'relay')}`)
    expect(underFile.stderr).toContain('choose a folder you can write for --data')
  })

  it('list, revoke and repair refuse a directory with no relay data instead of creating one there', () => {
    const root = tempDir()
    dirs.push(root)
    const typo = join(root, 'relay-dta')
    for (const args of [
      ['token', 'list', '--data', typo],
      ['token', 'revoke', '--data', typo, '--id', 'abc'],
      ['doc', 'repair', '--data', typo, '--doc', 'W1'],
    ]) {
      const r = run(args)
      expect(r.status, args.join(' ')).toBe(1)
      expect(r.stderr.trim()).toBe(
        `There is no relay data in ${typo} (no ${DB_FILE} there): check --data, or start the relay there first.`,
      )
    }
    expect(existsSync(typo)).toBe(false)
    const file = join(root, 'a-file')
    writeFileSync(file, 'x')
    expect(run(['token', 'list', '--data', file]).stderr).toBe(
      `${file} is a file, not a folder: --data names the relay's data folder.\n`,
    )
    // Tokens may be made before the first start; then the list shows them, and says when there are none.
    const data = join(root, 'relay-data')
    expect(run(['token', 'list', '--data', data]).status).toBe(1)
    expect(run(['token', 'create', '--data', data, '--workspace', 'W1', '--member', 'ada']).status).toBe(0)
    expect(run(['token', 'list', '--data', data]).stdout).toMatch(/\tW1\tada\twrite\t/)
    const none = run(['token', 'list', '--data', data, '--workspace', 'W2'])
    expect([none.status, none.stdout, none.stderr]).toEqual([0, '', 'No tokens in workspace W2.\n'])
    const revoke = run(['token', 'revoke', '--data', data, '--id', 'nosuchid'])
    expect([revoke.status, revoke.stderr]).toEqual([
      1,
      'No active token with id nosuchid: see relay token list.\n',
    ])
  })

  it('that is a file is said to be one; a mistyped option is named, with the usage', async () => {
    const root = tempDir()
    dirs.push(root)
    const file = join(root, 'notes.txt')
    writeFileSync(file, 'not a folder')
    await expect(startRelay({ port: 0, dataDir: file })).rejects.toThrow(
      `${file} is a file, not a folder: choose a folder for --data`,
    )
    const typo = run(['--prot', '4455'])
    expect(typo.status).toBe(2)
    expect(typo.stderr).toMatch(/^Unknown option --prot\.\n\nUsage:/)
    const negative = run(['--max-connections', '-5', '--data', root])
    expect(negative.status).toBe(2)
    expect(negative.stderr).toMatch(
      /^--max-connections needs a value; a value that starts with '-' is written --max-connections=VALUE\./,
    )
  })

  it('left locked by a process that died is taken over', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    })
    writeFileSync(join(dataDir, LOCK_FILE), `${dead.stdout}\n`)
    const relay = await startRelay({ port: 0, dataDir })
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`)
    await relay.close()
  })

  it('is released when the port cannot be taken, so a retry works', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const other = tempDir()
    dirs.push(other)
    const first = await startRelay({ port: 0, dataDir: other })
    const port = Number(new URL(first.url).port)
    await expect(startRelay({ port, dataDir })).rejects.toThrow(/EADDRINUSE/)
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
    await first.close()
    const again = await startRelay({ port: 0, dataDir })
    await again.close()
  })
})
