import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDestinationStore, DESTINATIONS_FILE } from '../../../electron/host/publish/config-store.ts'
import {
  createSecretBox,
  KEY_FILE,
  type SafeStorageLike,
  secretStatus,
} from '../../../electron/host/publish/secrets.ts'

const dataDir = () => mkdtempSync(join(tmpdir(), 'signoff-secrets-'))

/** A stand-in for Electron's safeStorage: reversible, and visibly not the plaintext. */
function fakeSafeStorage(available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(`KC:${Buffer.from(s).toString('hex')}`),
    decryptString: (b) => {
      const t = b.toString()
      if (!t.startsWith('KC:')) throw new Error('bad')
      return Buffer.from(t.slice(3), 'hex').toString()
    },
  }
}

describe('SecretBox', () => {
  it('boxes opened together on a first run share one whole key (no half-written key file)', async () => {
    for (let round = 0; round < 50; round++) {
      const dir = dataDir()
      const [first, ...others] = await Promise.all(
        Array.from({ length: 8 }, () => createSecretBox({ dataDir: dir })),
      )
      if (!first) throw new Error('no box')
      const stored = first.encrypt('shared')
      for (const b of [first, ...others]) expect(b.decrypt(stored)).toBe('shared')
      expect(readFileSync(join(dir, KEY_FILE)).length).toBe(32)
      expect(readdirSync(dir)).toEqual([KEY_FILE])
    }
  })

  it('local key: round trip, a 0600 key file, ciphertext without the plaintext, tampering refused', async () => {
    const dir = dataDir()
    const box = await createSecretBox({ dataDir: dir })
    expect(box.mode).toBe('local-key')
    expect(secretStatus(box).description).toMatch(/keychain is not available/)
    const secret = 'hunter2-päss-✓'
    const stored = box.encrypt(secret)
    expect(stored).toMatch(/^lk1:/)
    expect(stored).not.toContain(secret)
    expect(box.encrypt(secret)).not.toBe(stored) // fresh IV each time
    expect(box.decrypt(stored)).toBe(secret)
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600)
    // Flip one bit of the ciphertext, tag or IV: refused, not garbage.
    const raw = Buffer.from(stored.slice(4), 'base64')
    for (const i of [0, 13, raw.length - 1]) {
      const t = Buffer.from(raw)
      t[i]! ^= 1
      expect(() => box.decrypt(`lk1:${t.toString('base64')}`)).toThrow(/changed or belongs to another key/)
    }
    // The same data folder opens it again; another folder's key does not.
    expect((await createSecretBox({ dataDir: dir })).decrypt(stored)).toBe(secret)
    const other = await createSecretBox({ dataDir: dataDir() })
    expect(() => other.decrypt(stored)).toThrow(/changed or belongs to another key/)
  })

  it('uses the OS keychain when safeStorage is available, and says so', async () => {
    const dir = dataDir()
    const box = await createSecretBox({ dataDir: dir, safeStorage: fakeSafeStorage() })
    expect(box.mode).toBe('os-keychain')
    expect(secretStatus(box).description).toMatch(/keychain/)
    const stored = box.encrypt('pw')
    expect(stored).toMatch(/^os1:/)
    expect(box.decrypt(stored)).toBe('pw')
  })

  it('falls back to the local key when safeStorage says encryption is unavailable', async () => {
    const dir = dataDir()
    const box = await createSecretBox({ dataDir: dir, safeStorage: fakeSafeStorage(false) })
    expect(box.mode).toBe('local-key')
    const stored = box.encrypt('pw')
    // Later the keychain works: old values still open.
    const later = await createSecretBox({ dataDir: dir, safeStorage: fakeSafeStorage(true) })
    expect(later.decrypt(stored)).toBe('pw')
    // And a keychain value cannot be opened without the keychain: a clear error.
    expect(() => box.decrypt(later.encrypt('x'))).toThrow(/keychain, which is not available/)
  })

  it('on Linux, safeStorage’s basic_text or unknown backend counts as no keychain, and the status says so', async () => {
    for (const backend of ['basic_text', 'unknown']) {
      const dir = dataDir()
      const weak = { ...fakeSafeStorage(true), getSelectedStorageBackend: () => backend }
      // A value sealed the weak way before this check existed still opens.
      const old = weak.encryptString('old')
      const box = await createSecretBox({ dataDir: dir, safeStorage: weak, platform: 'linux' })
      expect(box.mode, backend).toBe('local-key')
      expect(box.encrypt('pw')).toMatch(/^lk1:/)
      expect(box.decrypt(`os1:${old.toString('base64')}`)).toBe('old')
      const { description } = secretStatus(box)
      expect(description).toMatch(/No system keychain is running/)
      expect(description).toMatch(/key file in your Signoff data folder/)
      expect(description).not.toMatch(/encrypted with this computer's keychain/)
    }
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6']) {
      const real = { ...fakeSafeStorage(true), getSelectedStorageBackend: () => backend }
      const box = await createSecretBox({ dataDir: dataDir(), safeStorage: real, platform: 'linux' })
      expect(box.mode, backend).toBe('os-keychain')
    }
    // macOS and Windows have no such backend question.
    const mac = { ...fakeSafeStorage(true), getSelectedStorageBackend: () => 'unknown' }
    expect((await createSecretBox({ dataDir: dataDir(), safeStorage: mac, platform: 'darwin' })).mode).toBe(
      'os-keychain',
    )
  })
})

describe('destination store', () => {
  it('validates, stores secrets encrypted, lists them redacted, and deletes', async () => {
    const dir = dataDir()
    const box = await createSecretBox({ dataDir: dir })
    const store = createDestinationStore({ dataDir: dir, secrets: box })
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`
    await store.set('w1', 'd_hook', { kind: 'webhook', url: 'https://example.test/hook', secret })
    await store.set('w1', 'd_mail', {
      kind: 'email',
      host: 'smtp.example.test',
      from: 'signoff@example.test',
      to: ['team@example.test'],
      user: 'u',
      password: 'p4ssw0rd-secret',
    })
    await store.set('w1', 'd_dir', { kind: 'folder', path: '/srv/out' })
    await store.set('w2', 'd_dir', { kind: 'folder', path: '/other', overwrite: true })

    const file = readFileSync(join(dir, DESTINATIONS_FILE), 'utf8')
    expect(file).not.toContain(secret)
    expect(file).not.toContain(secret.slice(6))
    expect(file).not.toContain('p4ssw0rd-secret')
    expect(statSync(join(dir, DESTINATIONS_FILE)).mode & 0o777).toBe(0o600)

    const hook = await store.get('w1', 'd_hook')
    expect(hook).toMatchObject({ kind: 'webhook', secret, timeoutMs: 10_000, maxAttempts: 3 })
    expect(await store.get('w1', 'd_dir')).toMatchObject({ format: 'markdown', overwrite: false })
    expect(await store.get('w2', 'd_dir')).toMatchObject({ path: '/other', overwrite: true })

    const listed = await store.list('w1')
    expect(listed.map((l) => l.destinationId).sort()).toEqual(['d_dir', 'd_hook', 'd_mail'])
    expect(JSON.stringify(listed)).not.toContain('lk1:')
    expect(listed.find((l) => l.destinationId === 'd_mail')!.config.password).toEqual({ set: true })

    // Editing without re-entering the secret keeps it.
    await store.set('w1', 'd_hook', { kind: 'webhook', url: 'https://example.test/v2', maxAttempts: 5 })
    expect(await store.get('w1', 'd_hook')).toMatchObject({
      url: 'https://example.test/v2',
      secret,
      maxAttempts: 5,
    })

    expect(await store.delete('w1', 'd_hook')).toBe(true)
    expect(await store.delete('w1', 'd_hook')).toBe(false)
    expect(await store.get('w1', 'd_hook')).toBeUndefined()
  })

  it('refuses invalid settings with a readable reason and leaves the file as it was', async () => {
    const dir = dataDir()
    const store = createDestinationStore({ dataDir: dir, secrets: await createSecretBox({ dataDir: dir }) })
    await store.set('w', 'ok', { kind: 'folder', path: '/x' })
    const before = readFileSync(join(dir, DESTINATIONS_FILE), 'utf8')
    const bad = [
      { kind: 'webhook', url: 'file:///etc/passwd', secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAA==' },
      { kind: 'webhook', url: 'https://u:p@example.test', secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAA==' },
      { kind: 'webhook', url: 'https://example.test', secret: 'plain' },
      { kind: 'git', path: '/r', remote: '--upload-pack=evil' },
      { kind: 'folder', path: '/x\u0000y' },
      { kind: 'email', host: 'h', from: 'a@b', to: [] },
      { kind: 'ftp', path: '/x' },
    ]
    for (const config of bad)
      await expect(store.set('w', 'bad', config as never)).rejects.toThrow(
        /The destination settings are not valid/,
      )
    expect(readFileSync(join(dir, DESTINATIONS_FILE), 'utf8')).toBe(before)
  })

  it('says the file is damaged instead of guessing', async () => {
    const dir = dataDir()
    writeFileSync(join(dir, DESTINATIONS_FILE), '{"v":2}')
    const store = createDestinationStore({ dataDir: dir, secrets: await createSecretBox({ dataDir: dir }) })
    await expect(store.list('w')).rejects.toThrow(/damaged/)
    // Cut short: the same words, not the JSON parser's.
    writeFileSync(join(dir, DESTINATIONS_FILE), '{"v":1,"entries":{"w')
    await expect(store.list('w')).rejects.toThrow(/is damaged; it was left as it is\. .*move it away/)
    expect(readFileSync(join(dir, DESTINATIONS_FILE), 'utf8')).toBe('{"v":1,"entries":{"w')
  })

  it('keeps every one of many concurrent writes', async () => {
    const dir = dataDir()
    const store = createDestinationStore({ dataDir: dir, secrets: await createSecretBox({ dataDir: dir }) })
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.set('w', `d${i}`, { kind: 'folder', path: `/p/${i}` })),
    )
    expect((await store.list('w')).length).toBe(30)
  })
})
