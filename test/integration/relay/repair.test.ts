import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE } from '../../../sync-server/close-codes.ts'
import { openDatabase } from '../../../sync-server/store/db.ts'
import { UpdateLog } from '../../../sync-server/store/update-log.ts'
import {
  CLI,
  type Client,
  client,
  getJson,
  NODE,
  NODE_FLAGS,
  rawSocket,
  startTestRelay,
  synced,
  type TestRelay,
  tempDir,
  waitFor,
} from './helpers.ts'

/**
 * A document poisoned before the relay checked updates (the rows are written into the log
 * directly, as the old relay did): it refuses to load, `relay doc repair` rebuilds it without the
 * offending rows, marks them and says which, and the relay serves it again.
 */
let t: TestRelay | null = null
const dirs: string[] = []
const clients: Client[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await t?.stop()
  t = null
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'))
/** The 18-byte frame's update: one client's overlapping delete ranges near 2^53. */
const BRICK = hex('00 01 07 02 00 ff ff ff ff ff ff ff 0f 00 01')

function appendRaw(dataDir: string, doc: string, member: string, data: Uint8Array): void {
  const db = openDatabase(dataDir)
  const log = new UpdateLog(db)
  const seq = log.stats(doc).seq + 1
  log.begin()
  log.append({ doc, seq, time: Date.now(), member, token: '0000000000000000', clients: [], data })
  log.commit()
  db.close()
}

describe('relay doc repair', () => {
  it('rebuilds a poisoned document without the offending updates and keeps them in the log, marked', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    t = await startTestRelay({}, dataDir)
    const alice = client(t.relay.url, 'W1', t.writer('W1', 'alice'))
    clients.push(alice)
    await synced(alice)
    alice.doc.getText('t').insert(0, 'the approved text')
    await waitFor(() => t!.relay.stats().commits > 0, 'committed')
    const reader = t.reader('W1')
    await t.relay.close()
    alice.destroy()

    // What the old relay logged: the brick, then an honest edit it still accepted before it.
    appendRaw(dataDir, 'W1', 'mallory', BRICK)
    const other = new Y.Doc()
    other.clientID = 99
    other.getText('t').insert(0, 'x')
    appendRaw(dataDir, 'W1', 'bob', Y.encodeStateAsUpdate(other))

    t = await startTestRelay({}, dataDir)
    const refused = rawSocket(t.relay.url, 'W1', reader)
    expect(await refused.closed).toEqual({ code: CLOSE.loadFailed, reason: 'document failed to load' })
    await t.relay.close()

    const out = execFileSync(NODE, [...NODE_FLAGS, CLI, 'doc', 'repair', '--data', dataDir, '--doc', 'W1'], {
      encoding: 'utf8',
    })
    expect(out).toContain('Repaired W1: 3 updates in the log, 2 kept, 1 skipped now')
    expect(out).toMatch(/skipped seq 2 \(member mallory, [^)]+\): delete range of client 7 out of range/)

    t = await startTestRelay({}, dataDir)
    const carol = client(t.relay.url, 'W1', t.writer('W1', 'carol'))
    clients.push(carol)
    await synced(carol)
    expect(carol.doc.getText('t').toString()).toBe('xthe approved text')
    carol.doc.getText('t').insert(0, '> ')
    await waitFor(() => t!.relay.stats().commits > 0, 'a new update is accepted')
    const log = await getJson(t.relay.url, '/api/docs/W1/updates', reader)
    expect(
      log.body.updates.map((u: { seq: number; skipped?: string }) => [u.seq, u.skipped ?? null]),
    ).toEqual([
      [1, null],
      [2, 'delete range of client 7 out of range'],
      [3, null],
      [4, null],
    ])
    const raw = await fetch(`${t.relay.url.replace('ws', 'http')}/api/docs/W1/updates/2?token=${reader}`)
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(BRICK)

    // Running it again (the relay stopped, as it must be) finds nothing more to skip.
    await t.relay.close()
    const again = execFileSync(
      NODE,
      [...NODE_FLAGS, CLI, 'doc', 'repair', '--data', dataDir, '--doc', 'W1'],
      {
        encoding: 'utf8',
      },
    )
    expect(again).toContain('0 skipped now, 1 skipped by an earlier repair')
  })
})
