/**
 * This device's signing keys, one per workspace membership, kept in the data folder with the
 * private half encrypted by the secret box (the OS keychain under Electron, else the local key
 * file; see publish/secrets.ts).
 *
 * A key file that exists but cannot be opened (a locked or changed keychain, a damaged file) is
 * never replaced on its own: replacing it would quietly change the member's signing identity.
 * `get` fails with a message that says so, and the person chooses: try again (after unlocking the
 * keychain, say), or ask for a new key with `replaceUnreadable`, which moves the old file aside
 * (never overwrites it) and makes a key that must be confirmed again like any second device.
 */

import { mkdir, readFile, rename } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { type DeviceKey, isDeviceKey, newDeviceKey } from '../../shared/domain/signing.ts'
import type { DeviceKeyInfo } from '../../shared/host/api.ts'
import { createFileOnce } from './fsutil.ts'
import { errnoCode } from './publish/errors.ts'
import { createSecretBox, type SafeStorageLike, type SecretBox } from './publish/secrets.ts'

const DIR = 'device-keys'
const SAFE = /^[A-Za-z0-9_-]{1,128}$/

interface Stored {
  v: 1
  publicKey: string
  secretKey: string
  createdAt: number
}

/** A key as the host holds it: the private half stays in the host process (see publicInfo). */
export type HeldDeviceKey = DeviceKey & Omit<DeviceKeyInfo, 'publicKey'>

export interface DeviceKeyStore {
  get(
    workspaceId: string,
    memberId: string,
    options?: { replaceUnreadable?: boolean },
  ): Promise<HeldDeviceKey>
}

/** What a window may know of a held key: everything but its private half. */
export function publicInfo(key: HeldDeviceKey): DeviceKeyInfo {
  return {
    publicKey: key.publicKey,
    device: key.device,
    ...(key.notice ? { notice: key.notice } : {}),
  }
}

/** A key file is there but cannot be used; nothing was changed. */
export class UnreadableDeviceKeyError extends Error {
  constructor(reason: string) {
    super(
      `This device's signing key could not be opened (${reason}). Nothing was changed. Try again (after unlocking this computer's keychain, if it is locked), or make a new signing key: the old file is kept, and the new key must be confirmed again from another of your devices or by an admin.`,
    )
    this.name = 'UnreadableDeviceKeyError'
  }
}

export function createDeviceKeyStore(options: {
  dataDir: string
  safeStorage?: SafeStorageLike
  platform?: NodeJS.Platform
}): DeviceKeyStore {
  let box: Promise<SecretBox> | undefined
  const secretBox = () => {
    box ??= createSecretBox({
      dataDir: options.dataDir,
      ...(options.safeStorage ? { safeStorage: options.safeStorage } : {}),
      ...(options.platform ? { platform: options.platform } : {}),
    })
    return box
  }
  // One load per membership at a time, so two windows asking at once get the same key.
  const loading = new Map<string, Promise<HeldDeviceKey>>()
  const device = hostname().slice(0, 60) || 'this computer'

  async function load(
    workspaceId: string,
    memberId: string,
    replaceUnreadable: boolean,
  ): Promise<HeldDeviceKey> {
    if (!SAFE.test(workspaceId) || !SAFE.test(memberId))
      throw new Error('That workspace or member id is not valid.')
    const dir = join(options.dataDir, DIR)
    const file = join(dir, `${workspaceId}--${memberId}.json`)
    const secrets = await secretBox()
    let notice: string | undefined
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as Stored
      const key: DeviceKey = { publicKey: stored.publicKey, secretKey: secrets.decrypt(stored.secretKey) }
      if (!isDeviceKey(key)) throw new Error('its two halves do not belong together')
      return { ...key, device }
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') {
        const reason = e instanceof Error ? e.message : String(e)
        if (!replaceUnreadable) throw new UnreadableDeviceKeyError(reason)
        const aside = `${file}.unreadable-${Date.now()}`
        await rename(file, aside)
        notice = `This device's signing key could not be read (${reason}); at your request it was kept as ${aside} and a new key was made. Confirm this device from another of your devices or ask an admin.`
      }
    }
    const key = newDeviceKey()
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const stored: Stored = {
      v: 1,
      publicKey: key.publicKey,
      secretKey: secrets.encrypt(key.secretKey),
      createdAt: Date.now(),
    }
    // Written whole or not at all, so a crash cannot leave a cut-off key behind. If another
    // process made it first, use that one.
    if (!(await createFileOnce(file, `${JSON.stringify(stored)}\n`)))
      return load(workspaceId, memberId, false)
    return { ...key, device, ...(notice ? { notice } : {}) }
  }

  return {
    get(workspaceId, memberId, options = {}) {
      const id = `${workspaceId}--${memberId}`
      let p = loading.get(id)
      if (!p) {
        p = load(workspaceId, memberId, options.replaceUnreadable === true)
        loading.set(id, p)
        // A failure is not remembered: the next call tries again.
        p.catch(() => loading.delete(id))
      }
      return p
    },
  }
}
