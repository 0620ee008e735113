/**
 * The host's publishing service: this machine's destination settings (secrets encrypted at rest),
 * publishing a payload with them, and the drift check. The shared workspace document names the
 * destinations; where each one points on this machine is only known here.
 */
import { realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import type {
  DestinationSettings,
  DestinationTest,
  DriftCheck,
  PublishResult,
  SecretStorageStatus,
} from '../../shared/host/publishing.ts'
import type { PublishPayload } from '../../shared/publish/manifest.ts'
import { checkFolder } from './publish/folder.ts'
import { gitRepositoryProblem } from './publish/git.ts'
import {
  createDestinationStore,
  createSecretBox,
  type DestinationStore,
  type FolderReceiptDetail,
  generateWebhookSecret,
  hasSettingsTest,
  publish,
  receiptDrift,
  type SafeStorageLike,
  type SecretBox,
  secretStatus,
  testSettings,
} from './publish/index.ts'

export interface PublishServiceOptions {
  dataDir: string
  /** Electron's `safeStorage` in the desktop shell; absent on the web bridge and in tests. */
  safeStorage?: SafeStorageLike
  now?: () => number
}

export interface PublishService {
  list(workspaceId: string): Promise<DestinationSettings[]>
  save(
    workspaceId: string,
    destinationId: string,
    config: Record<string, unknown>,
  ): Promise<DestinationSettings>
  /**
   * Check settings without saving them: a folder or repository path must be a folder this
   * machine can write into (a probe file is created and removed); a webhook gets one signed test
   * event, an SMTP server a sign-in and no message. A secret left out is the stored one. The
   * message names the cause.
   */
  test(
    config: Record<string, unknown>,
    ids: { workspaceId: string; destinationId: string },
  ): Promise<DestinationTest>
  delete(workspaceId: string, destinationId: string): Promise<boolean>
  secretStatus(): Promise<SecretStorageStatus>
  generateWebhookSecret(): string
  publish(args: {
    workspaceId: string
    destinationId: string
    attemptId: string
    payload: PublishPayload
  }): Promise<PublishResult>
  checkDrift(args: {
    workspaceId: string
    destinationId: string
    receipt: { path: string; fileHash: string; sidecarPath?: string; sidecarHash?: string }
  }): Promise<DriftCheck>
}

/** Why a folder or git destination's path cannot be published into, or null. */
async function folderProblem(config: Record<string, unknown>): Promise<string | null> {
  if (config.kind !== 'folder' && config.kind !== 'git') return null
  // No path at all is the settings schema's to report, with the other fields.
  const path = typeof config.path === 'string' ? config.path.trim() : ''
  if (!path) return null
  try {
    await checkFolder(path)
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
  return config.kind === 'git' ? gitRepositoryProblem(path) : null
}

/** Is `child` the folder itself or inside it (after resolving links where they exist)? */
async function inside(folder: string, child: string): Promise<boolean> {
  const real = async (p: string) => realpath(p).catch(() => resolve(p))
  const base = await real(folder)
  const target = await real(child)
  const rel = relative(base, target)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

export function createPublishService(options: PublishServiceOptions): PublishService {
  const now = options.now ?? Date.now
  let parts: Promise<{ box: SecretBox; store: DestinationStore }> | undefined
  // Created on first use: the local key file is only written when someone publishes or saves.
  const ready = () => {
    parts ??= createSecretBox({
      dataDir: options.dataDir,
      ...(options.safeStorage ? { safeStorage: options.safeStorage } : {}),
    }).then((box) => ({ box, store: createDestinationStore({ dataDir: options.dataDir, secrets: box }) }))
    return parts
  }

  const listing = async (workspaceId: string, destinationId: string) => {
    const { store } = await ready()
    const found = (await store.list(workspaceId)).find((l) => l.destinationId === destinationId)
    if (!found) throw new Error('The destination settings were saved but cannot be listed.')
    return { ...found, configured: true as const }
  }

  return {
    async list(workspaceId) {
      const { store } = await ready()
      return (await store.list(workspaceId)).map((l) => ({ ...l, configured: true as const }))
    },
    async save(workspaceId, destinationId, config) {
      const { store } = await ready()
      // A folder that is missing or cannot be written is refused here, with its cause, rather
      // than at the first publish.
      const problem = await folderProblem(config)
      if (problem) throw new Error(problem)
      await store.set(workspaceId, destinationId, config as never)
      return listing(workspaceId, destinationId)
    },
    async test(config, ids) {
      if (hasSettingsTest(config.kind)) {
        const { store } = await ready()
        let resolved: Awaited<ReturnType<DestinationStore['resolve']>>
        try {
          resolved = await store.resolve(ids.workspaceId, ids.destinationId, config as never)
        } catch (e) {
          return { ok: false, message: e instanceof Error ? e.message : String(e) }
        }
        const tried = await testSettings(resolved)
        if (tried) return tried
      }
      const problem = await folderProblem(config)
      if (problem) return { ok: false, message: problem }
      const kind = config.kind
      if ((kind === 'folder' || kind === 'git') && !String(config.path ?? '').trim())
        return { ok: false, message: `Give the ${kind === 'git' ? 'repository' : 'folder'} path first.` }
      if (kind === 'folder' || kind === 'git')
        return {
          ok: true,
          message:
            kind === 'git'
              ? `Signoff can write to ${String(config.path)}, which is in a git repository: a test file was created there and removed; nothing was committed.`
              : `Signoff can write to ${String(config.path)}: a test file was created there and removed.`,
        }
      return {
        ok: true,
        message: 'Nothing to test on this machine for this kind: publish to it to try the settings.',
      }
    },
    async delete(workspaceId, destinationId) {
      const { store } = await ready()
      return store.delete(workspaceId, destinationId)
    },
    async secretStatus() {
      const { box } = await ready()
      return secretStatus(box)
    },
    generateWebhookSecret,
    async publish({ workspaceId, destinationId, attemptId, payload }) {
      const { store } = await ready()
      let config: Awaited<ReturnType<DestinationStore['get']>>
      try {
        config = await store.get(workspaceId, destinationId)
      } catch (e) {
        return {
          ok: false,
          destinationKind: 'unknown',
          at: now(),
          contentHash: payload.manifest.contentHash,
          error: `The settings of “${payload.manifest.destinationName}” on this machine cannot be read: ${e instanceof Error ? e.message : String(e)}`,
          retryable: false,
        }
      }
      if (!config)
        return {
          ok: false,
          destinationKind: 'unknown',
          at: now(),
          contentHash: payload.manifest.contentHash,
          error: `“${payload.manifest.destinationName}” is not set up on this machine: add its local settings in Settings → Destinations.`,
          retryable: false,
          notConfigured: true,
        }
      const receipt = await publish(config, payload, { webhookId: `msg_${attemptId}`, now })
      return receipt as PublishResult
    },
    async checkDrift({ workspaceId, destinationId, receipt }) {
      const { store } = await ready()
      const config = await store.get(workspaceId, destinationId).catch(() => undefined)
      if (!config || (config.kind !== 'folder' && config.kind !== 'git'))
        return {
          status: 'unknown',
          reason: 'This destination is not set up as a folder or git repository here.',
        }
      // Only files inside the destination's own folder are looked at.
      for (const p of [receipt.path, receipt.sidecarPath])
        if (p !== undefined && !(await inside(config.path, p)))
          return {
            status: 'unknown',
            reason: 'The published file is not inside this machine’s folder for it.',
          }
      const status = await receiptDrift({
        ok: true,
        destinationKind: config.kind,
        at: 0,
        contentHash: '',
        detail: { bytes: 0, ...receipt } as FolderReceiptDetail,
      })
      return { status: status ?? 'unknown' }
    },
  }
}
