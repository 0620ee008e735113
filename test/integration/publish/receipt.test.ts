import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { publish, receiptDrift } from '../../../electron/host/publish/index.ts'
import { makePayload } from '../../unit/publish/fixture.ts'
import { tempDir } from './helpers.ts'

describe('publish() receipts', () => {
  it('never throws: junk settings and junk payloads become failed receipts with a reason', async () => {
    const junkConfigs: unknown[] = [
      null,
      undefined,
      42,
      'folder',
      {},
      { kind: 'ftp', path: '/x' },
      { kind: 'folder' },
      { kind: 'folder', path: 7 },
      { kind: 'webhook', url: 'http://127.0.0.1:1/' },
      { kind: 'email', host: '127.0.0.1' },
      { kind: 'git', path: '/x', remote: '-oProxyCommand=evil' },
    ]
    for (const c of junkConfigs) {
      const r = await publish(c as never, makePayload())
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error).toMatch(/not set up correctly/)
        expect(r.retryable).toBe(false)
      }
    }
    const dir = tempDir()
    for (const p of [null, {}, { manifest: {} }, { ...makePayload(), content: 42 }]) {
      const r = await publish({ kind: 'folder', path: dir }, p as never)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error).toMatch(/malformed/)
    }
    expect(readdirSync(dir)).toEqual([])
  })

  it('a successful receipt is plain JSON (fit for the trail) and carries the drift check', async () => {
    const dir = tempDir()
    const r = await publish({ kind: 'folder', path: dir }, makePayload(), { now: () => 1_750_000_000_000 })
    expect(r).toMatchObject({ ok: true, destinationKind: 'folder', at: 1_750_000_000_000 })
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
    expect(await receiptDrift(r)).toBe('ok')
    expect(await receiptDrift({ ...r, destinationKind: 'webhook' } as never)).toBeUndefined()
  })
})
