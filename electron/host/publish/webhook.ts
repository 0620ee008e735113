/**
 * Publishing to a webhook: one HTTP POST of `{type, timestamp, data: {manifest, content}}` signed
 * the Standard Webhooks way. The webhook id doubles as the `Idempotency-Key` and stays the same
 * across the retries of one publish (the receiver can drop duplicates); the timestamp and
 * signature are made afresh for each attempt. Network errors, timeouts, 5xx and the 4xx that
 * mean "later" (408, 425, 429) are retried with exponential backoff and jitter, or after the wait
 * a Retry-After header asks for (10 s at most); any other 4xx is the receiver's final word and is
 * not; redirects are not followed (the signature is for the configured URL).
 */
import { randomBytes } from 'node:crypto'
import { type WebhookConfig, webhookUrlProblem } from '../../../shared/publish/destinations.ts'
import type { PublishPayload } from '../../../shared/publish/manifest.ts'
import {
  formatWebhookSecret,
  parseWebhookSecret,
  signWebhook,
  WEBHOOK_TEST_EVENT_TYPE,
  webhookBody,
  webhookTestBody,
} from '../../../shared/publish/webhook-sign.ts'
import { PublishError } from './errors.ts'

export interface WebhookPublishResult {
  status: number
  attempts: number
  webhookId: string
  /** The first characters of the receiver's answer. */
  response: string
}

export interface WebhookOptions {
  /** Same id for the same publish attempt, so a retry of the whole publish stays idempotent. */
  webhookId?: string
  /** First backoff delay; doubled each retry, plus up to 50 % jitter, capped at 10 s. */
  backoffMs?: number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

const SNIPPET = 500
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** The longest wait between two attempts, whatever the receiver asks (Retry-After). */
const MAX_WAIT_MS = 10_000
/**
 * Statuses under 500 that mean "not now" rather than "no": request timeout, too early, too many
 * requests. They are retried like a 5xx, after the wait the receiver asks for, if any.
 */
const LATER = new Set([408, 425, 429])

/** A Retry-After header (seconds, or an HTTP date) as ms from now; undefined when absent or unreadable. */
export function retryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // An HTTP date names its day and month in words; anything else ("-5") is not one.
  if (!/[a-z]{3}/i.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined
}

/** A new `whsec_` secret of 32 random bytes, for the settings screen's "generate" button. */
export const generateWebhookSecret = (): string => formatWebhookSecret(randomBytes(32))

export const newWebhookId = (): string => `msg_${randomBytes(16).toString('hex')}`

export async function publishToWebhook(
  config: Pick<WebhookConfig, 'url' | 'secret' | 'timeoutMs' | 'maxAttempts'>,
  payload: PublishPayload,
  options: WebhookOptions = {},
): Promise<WebhookPublishResult> {
  const urlProblem = webhookUrlProblem(config.url)
  if (urlProblem) throw new PublishError(urlProblem, { retryable: false })
  const secret = parseWebhookSecret(config.secret)
  if (!secret.ok) throw new PublishError(secret.reason, { retryable: false })
  const webhookId = options.webhookId ?? newWebhookId()
  const body = webhookBody(payload)
  const sleep = options.sleep ?? delay
  const now = options.now ?? Date.now
  const backoff = options.backoffMs ?? 250
  const host = new URL(config.url).host

  let last = { status: 0, response: '', problem: '' }
  /** The wait the receiver asked for (Retry-After), for the next attempt. */
  let asked: number | undefined
  for (let attempt = 1; attempt <= config.maxAttempts; attempt++) {
    if (attempt > 1)
      await sleep(Math.min(MAX_WAIT_MS, asked ?? backoff * 2 ** (attempt - 2) * (1 + Math.random() / 2)))
    asked = undefined
    const sent = await postSigned(config, secret.key, webhookId, body, now)
    if ('problem' in sent) {
      last = { status: 0, response: '', problem: sent.problem }
      continue
    }
    const { status, response } = sent
    if (status >= 200 && status < 300) return { status, attempts: attempt, webhookId, response }
    const detail = { status, attempts: attempt, webhookId, response }
    if (status < 500 && !LATER.has(status))
      throw new PublishError(finalAnswer(host, status, response, 'the publish'), { retryable: false, detail })
    asked = sent.retryAfterMs
    last = {
      status,
      response,
      problem: `HTTP ${status}${said(response)}${LATER.has(status) ? ' (it asked to be sent this later)' : ''}`,
    }
  }
  throw new PublishError(
    `The webhook at ${host} failed after ${config.maxAttempts} attempt${config.maxAttempts === 1 ? '' : 's'}: ${last.problem}.`,
    {
      retryable: true,
      detail: { status: last.status, attempts: config.maxAttempts, webhookId, response: last.response },
    },
  )
}

/**
 * Settings → Destinations → Test: one signed POST of a `signoff.test` event (no retries), so the
 * person setting up the destination learns now whether the URL answers and takes the signature.
 * Resolves with what to tell them; throws `PublishError` with the cause otherwise.
 */
export async function testWebhook(
  config: Pick<WebhookConfig, 'url' | 'secret' | 'timeoutMs'>,
  now: () => number = Date.now,
): Promise<string> {
  const urlProblem = webhookUrlProblem(config.url)
  if (urlProblem) throw new PublishError(urlProblem, { retryable: false })
  const secret = parseWebhookSecret(config.secret)
  if (!secret.ok) throw new PublishError(secret.reason, { retryable: false })
  const host = new URL(config.url).host
  const sent = await postSigned(config, secret.key, newWebhookId(), webhookTestBody(new Date(now())), now)
  if ('problem' in sent)
    throw new PublishError(`The webhook at ${host} could not be reached: ${sent.problem}.`, {
      retryable: true,
    })
  const { status, response } = sent
  if (status >= 200 && status < 300)
    return `The webhook at ${host} answered HTTP ${status} to a signed test event (type “${WEBHOOK_TEST_EVENT_TYPE}”). Nothing was published.`
  throw new PublishError(finalAnswer(host, status, response, 'the test event'), { retryable: status >= 500 })
}

/** One signed POST: the receiver's status and the start of its answer, or why there was none. */
async function postSigned(
  config: Pick<WebhookConfig, 'url' | 'timeoutMs'>,
  key: Uint8Array,
  webhookId: string,
  body: string,
  now: () => number,
): Promise<{ status: number; response: string; retryAfterMs?: number } | { problem: string }> {
  const timestamp = Math.floor(now() / 1000)
  try {
    const res = await fetch(config.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(config.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Signoff-Publisher/1',
        'webhook-id': webhookId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(key, webhookId, timestamp, body),
        'idempotency-key': webhookId,
      },
      body,
    })
    const retryAfterMs = retryAfter(res.headers.get('retry-after'), now())
    return {
      status: res.status,
      response: await readSnippet(res),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    }
  } catch (e) {
    return { problem: networkProblem(e, config.timeoutMs) }
  }
}

/** What a receiver's answer other than 2xx means for `what` (the publish, the test event). */
function finalAnswer(host: string, status: number, response: string, what: string): string {
  if (status >= 300 && status < 400)
    return `The webhook at ${host} answered with a redirect (${status}); set the final URL in the destination.`
  if (status === 401 || status === 403)
    return `The webhook at ${host} refused ${what}: HTTP ${status}${said(response)}. If it checks signatures, give it this destination's secret.`
  return `The webhook at ${host} refused ${what}: HTTP ${status}${said(response)}.`
}

const said = (response: string) =>
  response ? ` (“${response.slice(0, 120).replace(/\s+/g, ' ').trim()}”)` : ''

async function readSnippet(res: Response): Promise<string> {
  // Read at most a little more than the snippet, then let the rest go.
  const reader = res.body?.getReader()
  if (!reader) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < SNIPPET * 4) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.length
    }
  } catch {
    // A body cut short still has a status worth keeping.
  } finally {
    await reader.cancel().catch(() => {})
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')
    .slice(0, SNIPPET)
}

function networkProblem(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; cause?: { code?: string; message?: string }; message?: string }
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms`
  const code = err.cause?.code
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused (is the receiver running?)'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name could not be found'
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed before an answer came'
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out'
    default:
      // Fetch never connects to the ports of other protocols (25 mail, 6667 IRC, …): the Fetch
      // standard's "bad port" list.
      if ((err.cause?.message ?? err.message) === 'bad port')
        return 'its port is one that Signoff, like a web browser, never connects to, being the port of another kind of service (such as 25 for mail): give the receiver another port'
      return err.cause?.message ?? err.message ?? String(e)
  }
}
