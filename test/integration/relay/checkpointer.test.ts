import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type CheckpointResult, startCheckpointer } from '../../../sync-server/store/checkpointer.ts'
import { DB_FILE, openDatabase } from '../../../sync-server/store/db.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'
import { waitFor } from './helpers.ts'

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the WAL checkpointer thread', () => {
  it('copies committed updates into the database file while the relay thread keeps writing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'signoff-ckpt-'))
    const db = openDatabase(dir, 'normal')
    const log = new UpdateLog(db)
    const file = join(dir, DB_FILE)
    const before = statSync(file).size
    const data = new Uint8Array(2000)
    log.begin()
    for (let seq = 1; seq <= 200; seq++)
      log.append({ doc: 'w/o', seq, time: seq, member: 'm', token: 't', clients: [1], data })
    log.commit()
    expect(statSync(file).size).toBe(before) // still only in the WAL
    const errors: string[] = []
    const results: CheckpointResult[] = []
    const checkpointer = startCheckpointer(
      file,
      (e) => errors.push(e),
      (r) => results.push(r),
    )
    checkpointer.request()
    checkpointer.request() // while one runs, a second request is dropped, not queued
    // The relay thread is not blocked: it commits more while the checkpoint runs.
    log.begin()
    log.append({ doc: 'w/o', seq: 201, time: 201, member: 'm', token: 't', clients: [1], data })
    log.commit()
    await waitFor(() => statSync(file).size > before + 200 * 2000, 'the checkpoint')
    expect(errors).toEqual([])
    // It says how long the WAL is and how much of it is copied: the relay checkpoints again at
    // once while the WAL is long (relay.ts), so that it is reused instead of growing.
    await waitFor(() => results.length === 1, 'the result')
    expect(results[0]!.log).toBeGreaterThan(100) // 4 KiB frames: 200 rows of 2,000 bytes
    expect(results[0]!.checkpointed).toBeGreaterThan(0)
    expect(results[0]!.checkpointed).toBeLessThanOrEqual(results[0]!.log)
    await checkpointer.close()
    expect(log.updates('w/o', 0)).toHaveLength(201)
    db.close()
  })

  it('reports a checkpoint that fails instead of throwing on the relay thread', async () => {
    dir = mkdtempSync(join(tmpdir(), 'signoff-ckpt-'))
    const errors: string[] = []
    const checkpointer = startCheckpointer(join(dir, 'missing', DB_FILE), (e) => errors.push(e))
    checkpointer.request()
    await waitFor(() => errors.length > 0, 'the error')
    expect(errors[0]).toMatch(/WAL checkpoint(er stopped| failed)/)
    await checkpointer.close()
  })
})
