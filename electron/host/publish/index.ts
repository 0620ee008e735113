/**
 * The publishing engine's one entry point: publish a payload to a destination and get a receipt.
 * It never throws: every failure becomes `{ ok: false, error, retryable }` with a sentence fit for
 * the card, and the caller records it in the trail (`recordPublishOutcome`). The output stays
 * approved either way; a retry is simply another publish.
 */
import type { PublishResult } from '../../../shared/host/publishing.ts'
import {
  type DestinationConfig,
  type DestinationConfigInput,
  destinationConfigSchema,
  isDestinationKind,
} from '../../../shared/publish/destinations.ts'
import { describeProblems, settingsProblems } from '../../../shared/publish/kinds/problems.ts'
import { checkPayload, type PublishPayload } from '../../../shared/publish/manifest.ts'
import { PublishError } from './errors.ts'
import type { DriftStatus } from './folder.ts'
import { type HostKind, hostKind, type PublishOptions } from './kinds/index.ts'

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

export type FolderReceiptDetail = {
  path: string
  fileHash: string
  bytes: number
  sidecarPath?: string
  sidecarHash?: string
}
export type GitReceiptDetail = FolderReceiptDetail & {
  commit: string
  repoPath: string
  pushed: boolean
  pushError?: string
}
export type WebhookReceiptDetail = {
  status: number
  attempts: number
  webhookId: string
  response: string
}
export type EmailReceiptDetail = {
  messageId: string
  accepted: string[]
  rejected: string[]
}

/** The one receipt shape, as the host API answers it; `detail` is the kind's own (see above). */
export type PublishReceipt = PublishResult

export type { PublishOptions } from './kinds/index.ts'

export async function publish(
  config: DestinationConfigInput,
  payload: PublishPayload,
  options: PublishOptions = {},
): Promise<PublishReceipt> {
  const now = options.now ?? Date.now
  const hash = typeof payload?.manifest?.contentHash === 'string' ? payload.manifest.contentHash : ''
  const kind =
    typeof config === 'object' && config !== null && isDestinationKind(config.kind) ? config.kind : 'unknown'
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
    const k = (config as { kind?: unknown } | null)?.kind
    return fail(
      `The destination is not set up correctly on this computer. ${
        isDestinationKind(k)
          ? describeProblems(k, settingsProblems(k, config as Record<string, unknown>))
          : `There is no destination kind ${JSON.stringify(String(k))}.`
      } Fix it in Settings → Destinations.`,
      false,
    )
  }
  const c = parsed.data
  try {
    const detail = await (hostKind(c.kind) as HostKind<typeof c.kind>).publish(c as never, payload, options)
    return { ok: true, destinationKind: c.kind, at: now(), contentHash: hash, detail: { ...detail } }
  } catch (e) {
    if (e instanceof PublishError) return fail(e.message, e.retryable, e.detail)
    return fail(`Publishing failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`, false)
  }
}

/**
 * The drift check for a receipt: kinds that write files on this machine compare the file with
 * the bytes written; other kinds have nothing here to compare and return undefined.
 */
export async function receiptDrift(receipt: PublishReceipt): Promise<DriftStatus | undefined> {
  if (!receipt.ok) return undefined
  return hostKind(receipt.destinationKind).drift?.(receipt.detail)
}

/** Whether the kind has its own Test in the host (a kind that publishes off this machine). */
export const hasSettingsTest = (kind: unknown): boolean =>
  isDestinationKind(kind) && hostKind(kind).test !== undefined

/**
 * Tries validated settings of a kind that publishes off this machine (webhook, email) without
 * publishing: what to tell the person, or null for a kind with no such test.
 */
export async function testSettings(
  config: DestinationConfig,
): Promise<{ ok: boolean; message: string } | null> {
  const test = (hostKind(config.kind) as HostKind<typeof config.kind>).test
  if (!test) return null
  try {
    return { ok: true, message: await test(config as never) }
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) }
  }
}
