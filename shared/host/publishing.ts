/**
 * The publishing part of the host API: argument schemas and result shapes. The machine-local half
 * of a destination (folder path, credentials) lives with the host; the renderer sends the shared
 * half (ids) and the payload, and gets a receipt back.
 */
import { z } from 'zod'
import { ID_PATTERN } from '../docnames.ts'
import type { DestinationKind } from '../domain/types.ts'
import { publishPayloadSchema } from '../publish/manifest.ts'

const id = z.string().regex(ID_PATTERN, 'must be an id of letters, digits, - and _')

/**
 * The most content one publish carries through the host API. The web bridge also caps a whole
 * request body (1 MiB by default), so in the browser shell the smaller of the two applies.
 */
export const MAX_PUBLISH_CONTENT_CHARS = 5_000_000

/** Settings as edited: validated for shape here, fully by `destinationConfigSchema` in the host. */
export const destinationSettingsInputSchema = z
  .object({
    workspaceId: id,
    destinationId: id,
    // A secret left out keeps the stored one, so it is checked in the host where that is known.
    config: z
      .record(z.string(), z.unknown())
      .refine((c) => JSON.stringify(c).length < 100_000, 'is too large'),
  })
  .strict()

export const publishOutputInputSchema = z
  .object({
    workspaceId: id,
    destinationId: id,
    attemptId: id,
    payload: publishPayloadSchema.extend({ content: z.string().max(MAX_PUBLISH_CONTENT_CHARS) }),
  })
  .strict()

export const driftCheckInputSchema = z
  .object({
    workspaceId: id,
    destinationId: id,
    receipt: z
      .object({
        path: z.string().min(1).max(4096),
        fileHash: z.string().regex(/^[0-9a-f]{64}$/),
        sidecarPath: z.string().min(1).max(4096).optional(),
        sidecarHash: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .optional(),
      })
      .passthrough(),
  })
  .strict()

export interface DestinationSettings {
  workspaceId: string
  destinationId: string
  kind: DestinationKind
  configured: true
  /** The config with secret fields replaced by `{ set: boolean }`. */
  config: Record<string, unknown>
}

export interface SecretStorageStatus {
  mode: 'os-keychain' | 'local-key'
  description: string
}

/** What a publish answered; the same shape the engine's `PublishReceipt` has. */
export type PublishResult =
  | {
      ok: true
      destinationKind: DestinationKind
      at: number
      contentHash: string
      detail: Record<string, unknown>
    }
  | {
      ok: false
      destinationKind: DestinationKind | 'unknown'
      at: number
      contentHash: string
      error: string
      retryable: boolean
      detail?: Record<string, unknown>
      /** Set when the destination has no settings on this machine. */
      notConfigured?: boolean
    }

/**
 * 'ok': the file still holds the published bytes; 'changed' / 'missing': it does not;
 * 'unknown': this machine cannot tell (the destination is not set up here, or the file is not
 * inside its folder).
 */
export type DriftCheck = { status: 'ok' | 'changed' | 'missing' | 'unknown'; reason?: string }

/** What Settings → Destinations → Test says about settings, before or without saving them. */
export interface DestinationTest {
  ok: boolean
  message: string
}
