/**
 * What a publish carries: the exact approved content and a manifest saying what it is, who
 * approved it and against which checklist. Every destination gets both; files carry the manifest
 * in their front matter, in a JSON script element, or in a `.signoff.json` sidecar.
 */
import { z } from 'zod'
import { contentHash } from '../domain/hash.ts'
import { RISK_TIERS } from '../domain/types.ts'

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'an ISO time in UTC')
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest')

export const publishManifestSchema = z.object({
  outputId: z.string().min(1).max(200),
  workspaceId: z.string().min(1).max(200),
  title: z.string().max(1000),
  typeId: z.string().min(1).max(200),
  typeName: z.string().max(200),
  risk: z.enum(RISK_TIERS),
  contentHash: hex64,
  approvers: z
    .array(z.object({ memberId: z.string().max(200), name: z.string().max(200), at: isoTime }))
    .max(100),
  checklist: z
    .array(
      z.object({
        itemId: z.string().max(200),
        title: z.string().max(500),
        verdict: z.enum(['pass', 'fail', 'na']),
        note: z.string().max(5000),
        by: z.string().max(200),
        /**
         * Set when the verdict was given in an earlier review round, on an earlier version, and
         * carried into the approved round by its rules: the round and the version it was judged on.
         */
        carriedFrom: z.object({ round: z.number().int().min(1).max(100_000), contentHash: hex64 }).optional(),
      }),
    )
    .max(500),
  publishedBy: z.string().min(1).max(200),
  publishedAt: isoTime,
  destinationId: z.string().min(1).max(200),
  destinationName: z.string().max(200),
})

export type PublishManifest = z.infer<typeof publishManifestSchema>

export const publishPayloadSchema = z.object({
  manifest: publishManifestSchema,
  content: z.string().max(20_000_000),
})

export interface PublishPayload {
  manifest: PublishManifest
  /** The approved bytes, exactly: their hash is `manifest.contentHash`. */
  content: string
}

/**
 * Only the approved bytes can be published: the content must hash to the manifest's hash.
 * Returns the reason it cannot be published, or null.
 */
export function checkPayload(payload: PublishPayload): string | null {
  const parsed = publishPayloadSchema.safeParse(payload)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    return `The publish request is malformed: ${first ? `${first.path.join('.')} ${first.message}` : 'rejected'}.`
  }
  if (contentHash(payload.content) !== payload.manifest.contentHash)
    return 'The content does not match the approved version (its hash differs), so nothing was published.'
  return null
}
