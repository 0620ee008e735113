import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CHECKPOINT_POLICY, checkpointDue } from '../../../sync-server/sqlite-backend.ts'
import { type CheckpointResult, startCheckpointer } from '../../../sync-server/store/checkpointer.ts'
import { DB_FILE, openDatabase } from '../../../sync-server/store/db.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'
import { WAL_PREALLOCATE_BYTES } from '../../../sync-server/store/wal-sync.ts'
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

describe('when the relay checkpoints', () => {
  it('runs when the relay goes quiet, else by volume, and still checkpoints an idle relay within a minute', () => {
    const policy = CHECKPOINT_POLICY
    const busy = 0 // a commit in the last check
    // Nothing written since the last one: never, however long ago.
    expect(checkpointDue({ commits: 0, bytes: 0, ms: 10 * policy.idleMs, quietMs: 10 * policy.idleMs })).toBe(
      false,
    )
    // A few commits a second: not every few seconds (each checkpoint slows the syncs beside it).
    expect(checkpointDue({ commits: 40, bytes: 4_000, ms: 10_000, quietMs: busy })).toBe(false)
    // Writes that never pause: by volume.
    expect(checkpointDue({ commits: policy.commits - 1, bytes: 50_000, ms: 3_000, quietMs: busy })).toBe(
      false,
    )
    expect(checkpointDue({ commits: policy.commits, bytes: 50_000, ms: 3_000, quietMs: busy })).toBe(true)
    // A pause after enough commits: now, when it delays no one; not for a handful.
    const quiet = policy.quiet
    expect(checkpointDue({ commits: quiet.commits, bytes: 5_000, ms: 2_000, quietMs: quiet.ms })).toBe(true)
    expect(checkpointDue({ commits: quiet.commits, bytes: 5_000, ms: 2_000, quietMs: quiet.ms - 1 })).toBe(
      false,
    )
    expect(checkpointDue({ commits: quiet.commits - 1, bytes: 5_000, ms: 2_000, quietMs: 30_000 })).toBe(
      false,
    )
    // Few but large updates fill the WAL as fast as many small ones.
    expect(checkpointDue({ commits: 3, bytes: policy.bytes, ms: 100, quietMs: busy })).toBe(true)
    // A relay that went quiet gets its WAL folded in, so a restart has little to replay.
    expect(checkpointDue({ commits: 1, bytes: 10, ms: policy.idleMs, quietMs: policy.idleMs })).toBe(true)
    // The WAL holds what the policy lets in: 4 frames (16.5 KiB) a commit fit the preallocation.
    expect(policy.commits * 4 * 4120).toBeLessThan(WAL_PREALLOCATE_BYTES)
  })
})
