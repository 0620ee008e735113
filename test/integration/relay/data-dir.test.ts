import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startRelay } from '../../../sync-server/relay.ts'
import { DB_FILE } from '../../../sync-server/store/db.ts'
import { tempDir } from './helpers.ts'

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
      /^cannot open \/proc\/signoff-relay-data\/relay\.sqlite: ENOENT/,
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
