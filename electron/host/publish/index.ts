/**
 * The publishing engine's one entry point: publish a payload to a destination and get a receipt.
 * It never throws: every failure becomes `{ ok: false, error, retryable }` with a sentence fit for
 * the card, and the caller records it in the trail (`recordPublishOutcome`). The output stays
 * approved either way; a retry is simply another publish.
 */
import type { DestinationKind } from '../../../shared/domain/types.ts'
import { type DestinationConfigInput, destinationConfigSchema } from '../../../shared/publish/destinations.ts'
import { checkPayload, type PublishPayload } from '../../../shared/publish/manifest.ts'
import { publishToEmail } from './email.ts'
import { PublishError } from './errors.ts'
import { checkDrift, type DriftStatus, publishToFolder } from './folder.ts'
import { publishToGit } from './git.ts'
import { publishToWebhook, type WebhookOptions } from './webhook.ts'

export { createDestinationStore, type DestinationListing, type DestinationStore } from './config-store.ts'
export { PublishError } from './errors.ts'
export { checkDrift, type DriftStatus } from './folder.ts'
export {
  createSecretBox,
  type SafeStorageLike,
  type SecretBox,
  type SecretStatus,
  secretStatus,
} from './secrets.ts'
export { generateWebhookSecret, newWebhookId } from './webhook.ts'

export interface FolderReceiptDetail {
  path: string
  fileHash: string
  bytes: number
  sidecarPath?: string
  sidecarHash?: string
}
export interface GitReceiptDetail extends FolderReceiptDetail {
  commit: string
  repoPath: string
  pushed: boolean
  pushError?: string
}
export interface WebhookReceiptDetail {
  status: number
  attempts: number
  webhookId: string
  response: string
}
export interface EmailReceiptDetail {
  messageId: string
  accepted: string[]
  rejected: string[]
}

export type PublishReceipt =
  | {
      ok: true
      destinationKind: DestinationKind
      /** When the publish finished, ms since the epoch. */
      at: number
      contentHash: string
      detail: FolderReceiptDetail | GitReceiptDetail | WebhookReceiptDetail | EmailReceiptDetail
    }
  | {
      ok: false
      destinationKind: DestinationKind | 'unknown'
      at: number
      contentHash: string
      error: string
      /** Whether trying again unchanged may work (network, 5xx, full disk), versus needing a fix first. */
      retryable: boolean
      /** What is known of a failed attempt, e.g. the last HTTP status and the attempt count. */
      detail?: Record<string, unknown>
    }

export type PublishOptions = WebhookOptions

export async function publish(
  config: DestinationConfigInput,
  payload: PublishPayload,
  options: PublishOptions = {},
): Promise<PublishReceipt> {
  const now = options.now ?? Date.now
  const hash = typeof payload?.manifest?.contentHash === 'string' ? payload.manifest.contentHash : ''
  const kind: DestinationKind | 'unknown' =
    typeof config === 'object' &&
    config !== null &&
    ['folder', 'git', 'webhook', 'email'].includes(config.kind)
      ? config.kind
      : 'unknown'
  const fail = (error: string, retryable: boolean, detail?: Record<string, unknown>): PublishReceipt => ({
    ok: false,
    destinationKind: kind,
    at: now(),
    contentHash: hash,
    error,
    retryable,
    ...(detail ? { detail } : {}),
  })

  const refused = checkPayload(payload)
  if (refused) return fail(refused, false)
  const parsed = destinationConfigSchema.safeParse(config)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    return fail(
      `The destination is not set up correctly on this computer: ${first ? `${first.path.join('.') || 'value'} ${first.message}` : 'invalid settings'}.`,
      false,
    )
  }
  const c = parsed.data
  try {
    let detail: FolderReceiptDetail | GitReceiptDetail | WebhookReceiptDetail | EmailReceiptDetail
    switch (c.kind) {
      case 'folder':
        detail = await publishToFolder(c, payload)
        break
      case 'git':
        detail = await publishToGit(c, payload)
        break
      case 'webhook':
        detail = await publishToWebhook(c, payload, options)
        break
      case 'email': {
        const { messageId, accepted, rejected } = await publishToEmail(c, payload)
        detail = { messageId, accepted, rejected }
        break
      }
    }
    return { ok: true, destinationKind: c.kind, at: now(), contentHash: hash, detail }
  } catch (e) {
    if (e instanceof PublishError) return fail(e.message, e.retryable, e.detail)
    return fail(`Publishing failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`, false)
  }
}

/**
 * The drift check for a receipt: folder and git receipts compare the file with the bytes
 * written; other kinds have nothing on this machine to compare and return undefined.
 */
export async function receiptDrift(receipt: PublishReceipt): Promise<DriftStatus | undefined> {
  if (!receipt.ok || (receipt.destinationKind !== 'folder' && receipt.destinationKind !== 'git'))
    return undefined
  return checkDrift(receipt.detail as FolderReceiptDetail)
}
