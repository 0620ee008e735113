import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDeviceKeyStore } from '../../../electron/host/device-keys.ts'
import { isDeviceKey } from '../../../shared/domain/signing.ts'

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signoff-keys-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('device signing keys on disk', () => {
  it('are made once per membership, kept with the private half encrypted, and read back', async () => {
    const store = createDeviceKeyStore({ dataDir: dir })
    const [a, b] = await Promise.all([store.get('ws1', 'm1'), store.get('ws1', 'm1')])
    expect(a).toEqual(b)
    expect(isDeviceKey(a)).toBe(true)
    expect(a.notice).toBeUndefined()
    const file = join(dir, 'device-keys', 'ws1--m1.json')
    const raw = await readFile(file, 'utf8')
    expect(raw).toContain(a.publicKey)
    expect(raw).not.toContain(a.secretKey)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    // Another process (a restart) reads the same key.
    const again = await createDeviceKeyStore({ dataDir: dir }).get('ws1', 'm1')
    expect(again.publicKey).toBe(a.publicKey)
    expect(again.secretKey).toBe(a.secretKey)
    // Another membership gets its own key.
    expect((await store.get('ws1', 'm2')).publicKey).not.toBe(a.publicKey)
  })

  it('a damaged key file is kept aside, never overwritten, and the person is told', async () => {
    const store = createDeviceKeyStore({ dataDir: dir })
    const first = await store.get('ws1', 'm1')
    const file = join(dir, 'device-keys', 'ws1--m1.json')
    await writeFile(file, '{"v":1,"publicKey":"00","secretKey":"lk1:garbage"')
    const next = await createDeviceKeyStore({ dataDir: dir }).get('ws1', 'm1')
    expect(next.publicKey).not.toBe(first.publicKey)
    expect(next.notice).toMatch(/could not be read .* it was kept as .*unreadable-\d+ and a new key was made/)
    const kept = (await readdir(join(dir, 'device-keys'))).filter((f) => f.includes('unreadable'))
    expect(kept).toHaveLength(1)
    expect(await readFile(join(dir, 'device-keys', kept[0]!), 'utf8')).toBe(
      '{"v":1,"publicKey":"00","secretKey":"lk1:garbage"',
    )
  })

  it('a key whose halves do not belong together is refused the same way', async () => {
    const store = createDeviceKeyStore({ dataDir: dir })
    const a = await store.get('ws1', 'm1')
    const b = await store.get('ws1', 'm2')
    const fileA = join(dir, 'device-keys', 'ws1--m1.json')
    const stored = JSON.parse(await readFile(fileA, 'utf8'))
    await writeFile(fileA, JSON.stringify({ ...stored, publicKey: b.publicKey }))
    const next = await createDeviceKeyStore({ dataDir: dir }).get('ws1', 'm1')
    expect(next.notice).toMatch(/do not belong together/)
    expect(next.publicKey).not.toBe(a.publicKey)
  })

  it('refuses ids that are not ids (no path tricks)', async () => {
    const store = createDeviceKeyStore({ dataDir: dir })
    for (const [w, m] of [
      ['../x', 'm'],
      ['w', '../../etc'],
      ['', 'm'],
      ['w/x', 'm'],
    ])
      await expect(store.get(w!, m!)).rejects.toThrow('That workspace or member id is not valid.')
  })
})
