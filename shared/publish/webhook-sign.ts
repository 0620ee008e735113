/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, the signature is HMAC-SHA256 under the secret's
 * bytes, sent as `v1,<base64>` in `webhook-signature`. Secrets are `whsec_` + base64 of the key.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { fromBase64, toBase64 } from 'lib0/buffer'
import { canonicalJson } from './canonical.ts'
import type { PublishPayload } from './manifest.ts'

export const WEBHOOK_SECRET_PREFIX = 'whsec_'
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const encoder = new TextEncoder()

/** The key bytes of a `whsec_…` secret, or a reason it is not one. */
export function parseWebhookSecret(
  secret: string,
): { ok: true; key: Uint8Array } | { ok: false; reason: string } {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX))
    return { ok: false, reason: 'A webhook secret starts with "whsec_" followed by base64.' }
  const b64 = secret.slice(WEBHOOK_SECRET_PREFIX.length)
  if (!BASE64.test(b64))
    return { ok: false, reason: 'The part of the webhook secret after "whsec_" is not base64.' }
  const key = fromBase64(b64)
  if (key.length < 16 || key.length > 64)
    return { ok: false, reason: 'A webhook secret holds between 16 and 64 bytes.' }
  return { ok: true, key }
}

/** A secret in the `whsec_` form from random key bytes (the caller supplies the randomness). */
export const formatWebhookSecret = (key: Uint8Array): string => WEBHOOK_SECRET_PREFIX + toBase64(key)

export const webhookSigningInput = (id: string, timestamp: number, body: string): string =>
  `${id}.${timestamp}.${body}`

/** The `webhook-signature` header value for one attempt. */
export function signWebhook(key: Uint8Array, id: string, timestamp: number, body: string): string {
  const mac = hmac(sha256, key, encoder.encode(webhookSigningInput(id, timestamp, body)))
  return `v1,${toBase64(mac)}`
}

export const WEBHOOK_EVENT_TYPE = 'output.published'

/** The body: Standard Webhooks' `{type, timestamp, data}` envelope, as canonical JSON. */
export function webhookBody(payload: PublishPayload): string {
  return canonicalJson({
    type: WEBHOOK_EVENT_TYPE,
    timestamp: payload.manifest.publishedAt,
    data: { manifest: payload.manifest, content: payload.content },
  })
}

/** The event Settings → Destinations → Test sends: signed like a publish, and publishes nothing. */
export const WEBHOOK_TEST_EVENT_TYPE = 'signoff.test'

/** A test event's body, in the same envelope; `data` says what it is for a person reading logs. */
export function webhookTestBody(at: Date): string {
  return canonicalJson({
    type: WEBHOOK_TEST_EVENT_TYPE,
    timestamp: at.toISOString(),
    data: { message: 'A test from Signoff: check the signature and answer 2xx. Nothing was published.' },
  })
}
