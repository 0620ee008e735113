/**
 * Secrets at rest (webhook secrets, SMTP passwords, this device's signing keys). Under Electron
 * the main process passes in `safeStorage`, which encrypts with the OS keychain (macOS Keychain,
 * Windows DPAPI, libsecret or kwallet on Linux). Where that is not available (no keyring on Linux,
 * the web bridge, tests), the fallback is AES-256-GCM under a random key kept in a 0600 file in
 * the data folder: it keeps secrets out of plain sight in the settings file and its backups, but
 * anyone who can read the user's files can read the key too. The status says which mode is in
 * use, so the UI can tell.
 *
 * On Linux without a keyring, `safeStorage` still says encryption is available but uses its
 * `basic_text` backend: a password fixed in Chromium's source, no protection at all. That (and an
 * `unknown` backend) counts as "no keychain": new values use the local key file and the status
 * says so; values stored that way earlier are still opened with safeStorage.
 *
 * Stored values carry their mode: `os1:<base64>` or `lk1:<base64(iv | tag | ciphertext)>`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createFileOnce } from '../fsutil.ts'

export type SecretMode = 'os-keychain' | 'local-key'

export interface SecretBox {
  readonly mode: SecretMode
  /** Why the local key is used (no keychain at all, or Linux's fixed-password backend). */
  readonly fallback?: 'unavailable' | 'basic-text'
  encrypt(plain: string): string
  /** Throws a readable error when the value was tampered with or cannot be opened here. */
  decrypt(stored: string): string
}

/** The part of Electron's `safeStorage` this needs; the main process passes the real one. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only in Electron: which store protects safeStorage's key. */
  getSelectedStorageBackend?(): string
}

/** Linux safeStorage backends that are not a keychain: a fixed password, or nothing known. */
const NOT_A_KEYCHAIN = ['basic_text', 'unknown']

export interface SecretStatus {
  mode: SecretMode
  /** One sentence for the settings screen. */
  description: string
}

export const KEY_FILE = 'publish-secrets.key'
const AAD = Buffer.from('signoff/publish-secret/v1')

export function secretStatus(box: SecretBox): SecretStatus {
  if (box.mode === 'os-keychain')
    return {
      mode: box.mode,
      description: "Secrets and this device's signing keys are encrypted with this computer's keychain.",
    }
  const why =
    box.fallback === 'basic-text'
      ? 'No system keychain is running (GNOME Keyring or KWallet; without one, Electron would only use a fixed password)'
      : 'The system keychain is not available'
  return {
    mode: box.mode,
    description: `${why}, so secrets and this device's signing keys are encrypted with a key file in your Signoff data folder: anyone who can read your files can read them.`,
  }
}

/**
 * Read the local key, creating it (0600) on first use. The key is written whole to a temporary
 * file and then linked into place, so a second opener (device keys and publish settings start
 * together) never reads a half-written key, and the first key to land is the one both use.
 */
async function localKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, KEY_FILE)
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  await createFileOnce(file, randomBytes(32))
  const key = await readFile(file)
  if (key.length !== 32) throw new Error(`The secrets key file ${file} is damaged (it should hold 32 bytes).`)
  await chmod(file, 0o600).catch(() => {})
  return key
}

function localBox(key: Buffer) {
  return {
    encrypt(plain: string): string {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', key, iv)
      c.setAAD(AAD)
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return `lk1:${Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64')}`
    },
    decrypt(stored: string): string {
      const raw = Buffer.from(stored.slice(4), 'base64')
      if (raw.length < 28) throw new Error('A stored secret is damaged; enter it again.')
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
      d.setAAD(AAD)
      d.setAuthTag(raw.subarray(12, 28))
      try {
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')
      } catch {
        throw new Error('A stored secret was changed or belongs to another key; enter it again.')
      }
    },
  }
}

/**
 * The secret box for this machine: the OS keychain when `safeStorage` is given and available,
 * else the local key. Values stored under the local key stay readable after the keychain
 * becomes available.
 */
export async function createSecretBox(options: {
  dataDir: string
  safeStorage?: SafeStorageLike
  platform?: NodeJS.Platform
}): Promise<SecretBox> {
  const available = options.safeStorage?.isEncryptionAvailable() ? options.safeStorage : undefined
  const backend =
    (options.platform ?? process.platform) === 'linux' ? available?.getSelectedStorageBackend?.() : undefined
  const weak = backend !== undefined && NOT_A_KEYCHAIN.includes(backend)
  // `safe` opens values (old ones too); only a real keychain encrypts new ones.
  const safe = available
  const useOs = available !== undefined && !weak
  let local: ReturnType<typeof localBox> | undefined
  if (!useOs) local = localBox(await localKey(options.dataDir))
  // The local key only opens older values; load it if it exists so decrypt can stay synchronous.
  else
    await readFile(join(options.dataDir, KEY_FILE)).then(
      (k) => {
        if (k.length === 32) local = localBox(k)
      },
      () => {},
    )
  return {
    mode: useOs ? 'os-keychain' : 'local-key',
    ...(useOs ? {} : { fallback: weak ? ('basic-text' as const) : ('unavailable' as const) }),
    encrypt(plain) {
      if (useOs && safe) return `os1:${safe.encryptString(plain).toString('base64')}`
      return local!.encrypt(plain)
    },
    decrypt(stored) {
      if (stored.startsWith('lk1:')) {
        if (!local)
          throw new Error('A stored secret was encrypted with a local key that is missing; enter it again.')
        return local.decrypt(stored)
      }
      if (stored.startsWith('os1:')) {
        if (!safe)
          throw new Error(
            "A stored secret was encrypted with this computer's keychain, which is not available now; enter it again.",
          )
        try {
          return safe.decryptString(Buffer.from(stored.slice(4), 'base64'))
        } catch {
          throw new Error('The keychain could not open a stored secret; enter it again.')
        }
      }
      throw new Error('A stored secret is in an unknown format; enter it again.')
    },
  }
}
