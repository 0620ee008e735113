import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDeviceKeyStore, UnreadableDeviceKeyError } from '../../../electron/host/device-keys.ts'
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

  it('a damaged key file is never replaced on its own: the person is told, and chooses', async () => {
    const store = createDeviceKeyStore({ dataDir: dir })
    const first = await store.get('ws1', 'm1')
    const file = join(dir, 'device-keys', 'ws1--m1.json')
    const damaged = '{"v":1,"publicKey":"00","secretKey":"lk1:garbage"'
    await writeFile(file, damaged)
    const again = createDeviceKeyStore({ dataDir: dir })
    await expect(again.get('ws1', 'm1')).rejects.toThrow(UnreadableDeviceKeyError)
    await expect(again.get('ws1', 'm1')).rejects.toThrow(/could not be opened .*Nothing was changed/)
    expect(await readFile(file, 'utf8')).toBe(damaged)
    expect(await readdir(join(dir, 'device-keys'))).toEqual(['ws1--m1.json'])
    // The person chose a new key: the old file is kept aside and the new key says so.
    const next = await again.get('ws1', 'm1', { replaceUnreadable: true })
    expect(next.publicKey).not.toBe(first.publicKey)
    expect(next.notice).toMatch(
      /could not be read .* at your request it was kept as .*unreadable-\d+ and a new key was made/,
    )
    const kept = (await readdir(join(dir, 'device-keys'))).filter((f) => f.includes('unreadable'))
    expect(kept).toHaveLength(1)
    expect(await readFile(join(dir, 'device-keys', kept[0]!), 'utf8')).toBe(damaged)
  })

  it('a key the keychain cannot open now (locked) is kept, and opens again once it can', async () => {
    let locked = false
    const safeStorage = {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(`sealed:${plain}`),
      decryptString: (sealed: Buffer) => {
        if (locked)
          throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
        return sealed.toString().slice('sealed:'.length)
      },
    }
    const first = await createDeviceKeyStore({ dataDir: dir, safeStorage, platform: 'linux' }).get(
      'ws1',
      'm1',
    )
    const file = join(dir, 'device-keys', 'ws1--m1.json')
    const before = await readFile(file, 'utf8')
    expect(JSON.parse(before).secretKey).toMatch(/^os1:/)
    locked = true
    const store = createDeviceKeyStore({ dataDir: dir, safeStorage, platform: 'linux' })
    await expect(store.get('ws1', 'm1')).rejects.toThrow(/could not be opened/)
    expect(await readFile(file, 'utf8')).toBe(before)
    // Retry after unlocking: the same identity, no notice.
    locked = false
    const retried = await store.get('ws1', 'm1')
    expect(retried.publicKey).toBe(first.publicKey)
    expect(retried.notice).toBeUndefined()
    // Asking to replace a key that can be read changes nothing.
    expect((await store.get('ws1', 'm2', { replaceUnreadable: true })).notice).toBeUndefined()
    const same = await createDeviceKeyStore({ dataDir: dir, safeStorage, platform: 'linux' }).get(
      'ws1',
      'm1',
      {
        replaceUnreadable: true,
      },
    )
    expect(same.publicKey).toBe(first.publicKey)
  })

  it('a key whose halves do not belong together is refused the same way', async () => {
    const store = createDeviceKeyStore({ dataDir: dir })
    const a = await store.get('ws1', 'm1')
    const b = await store.get('ws1', 'm2')
    const fileA = join(dir, 'device-keys', 'ws1--m1.json')
    const stored = JSON.parse(await readFile(fileA, 'utf8'))
    await writeFile(fileA, JSON.stringify({ ...stored, publicKey: b.publicKey }))
    await expect(createDeviceKeyStore({ dataDir: dir }).get('ws1', 'm1')).rejects.toThrow(
      /do not belong together/,
    )
    const next = await createDeviceKeyStore({ dataDir: dir }).get('ws1', 'm1', { replaceUnreadable: true })
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
