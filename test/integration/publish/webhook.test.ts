import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { publish, type WebhookReceiptDetail } from '../../../electron/host/publish/index.ts'
import { makePayload } from '../../unit/publish/fixture.ts'
import { detailOf, failed } from './helpers.ts'
import { startWebhookPeer, type WebhookPeer } from './webhook-peer.ts'

const secret = `whsec_${randomBytes(32).toString('base64')}`
const hook = (url: string, extra: Record<string, unknown> = {}) => ({
  kind: 'webhook' as const,
  url,
  secret,
  ...extra,
})
const fast = { backoffMs: 5 }

const peers: WebhookPeer[] = []
async function peer(): Promise<WebhookPeer> {
  const p = await startWebhookPeer(secret)
  peers.push(p)
  return p
}
afterEach(async () => {
  for (const p of peers.splice(0)) await p.close()
})

const ok = detailOf<WebhookReceiptDetail>

describe('webhook destination', () => {
  it('POSTs the output and manifest as JSON, signed so an independent verifier accepts it', async () => {
    const p = await peer()
    const payload = makePayload()
    const d = ok(await publish(hook(p.url), payload, fast))
    expect(d).toMatchObject({ status: 200, attempts: 1 })
    expect(d.response).toBe(`status 200 for ${d.webhookId}`)
    expect(p.received).toHaveLength(1)
    const got = p.received[0]!
    expect(got.verified).toBe(true)
    expect(got.headers['content-type']).toBe('application/json')
    expect(got.headers['webhook-id']).toBe(d.webhookId)
    expect(got.headers['idempotency-key']).toBe(d.webhookId)
    const body = JSON.parse(got.body)
    expect(body.type).toBe('output.published')
    expect(body.data.content).toBe(payload.content)
    expect(body.data.manifest).toEqual(payload.manifest)
  })

  it('retries 5xx with backoff and the same webhook id / idempotency key, re-signing each attempt', async () => {
    const p = await peer()
    p.script = [500, 503]
    const delays: number[] = []
    const d = ok(
      await publish(hook(p.url), makePayload(), {
        backoffMs: 100,
        sleep: async (ms) => {
          delays.push(ms)
        },
      }),
    )
    expect(d).toMatchObject({ status: 200, attempts: 3 })
    expect(p.received).toHaveLength(3)
    expect(new Set(p.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([d.webhookId]))
    expect(new Set(p.received.map((r) => r.headers['idempotency-key']))).toEqual(new Set([d.webhookId]))
    expect(p.received.every((r) => r.verified)).toBe(true)
    // Exponential backoff with up to 50 % jitter: 100–150 ms, then 200–300 ms.
    expect(delays).toHaveLength(2)
    expect(delays[0]).toBeGreaterThanOrEqual(100)
    expect(delays[0]).toBeLessThanOrEqual(150)
    expect(delays[1]).toBeGreaterThanOrEqual(200)
    expect(delays[1]).toBeLessThanOrEqual(300)
  })

  it('a 500 that persists is a retryable failure naming the status, with the attempts kept', async () => {
    const p = await peer()
    p.fallback = 500
    const r = failed(await publish(hook(p.url, { maxAttempts: 4 }), makePayload(), fast))
    expect(r.error).toMatch(/^The webhook at 127\.0\.0\.1:\d+ failed after 4 attempts: HTTP 500/)
    expect(r.retryable).toBe(true)
    expect(r.detail).toMatchObject({ status: 500, attempts: 4 })
    expect(p.received).toHaveLength(4)
  })

  it('a 4xx is final: no retry, the status and the answer are in the error', async () => {
    for (const status of [400, 404, 422]) {
      const p = await peer()
      p.fallback = status
      const r = failed(await publish(hook(p.url), makePayload(), fast))
      expect(r.error).toMatch(new RegExp(`refused the publish: HTTP ${status} \\(“status ${status} for msg_`))
      expect(r.retryable).toBe(false)
      expect(r.detail).toMatchObject({ status, attempts: 1 })
      expect(p.received).toHaveLength(1)
    }
  })

  it('a 4xx that means "later" (408, 425, 429) is retried, after the wait Retry-After asks for', async () => {
    for (const status of [408, 425, 429]) {
      const p = await peer()
      p.script = [status]
      p.answerHeaders = { 'retry-after': '2' }
      const delays: number[] = []
      const d = ok(await publish(hook(p.url), makePayload(), { sleep: async (ms) => void delays.push(ms) }))
      expect(d).toMatchObject({ status: 200, attempts: 2 })
      expect(delays).toEqual([2000])
    }
    // Asked to wait longer than 10 s: waited 10 s; still refused at the end: retryable, and said.
    const p = await peer()
    p.fallback = 429
    p.answerHeaders = { 'retry-after': '3600' }
    const delays: number[] = []
    const r = failed(
      await publish(hook(p.url, { maxAttempts: 2 }), makePayload(), {
        sleep: async (ms) => void delays.push(ms),
      }),
    )
    expect(delays).toEqual([10_000])
    expect(r.retryable).toBe(true)
    expect(r.error).toMatch(
      /failed after 2 attempts: HTTP 429 \(“status 429 for msg_\w+”\) \(it asked to be sent this later\)\.$/,
    )
  })

  it('a receiver with another secret refuses it (the signature really is checked)', async () => {
    const other = await startWebhookPeer(`whsec_${randomBytes(32).toString('base64')}`)
    peers.push(other)
    const r = failed(await publish(hook(other.url), makePayload(), fast))
    expect(r.error).toMatch(/HTTP 401 \(“bad signature: no matching signature/)
    expect(other.received[0]!.verified).toBe(false)
  })

  it('a receiver that never answers times out per attempt and is retried', async () => {
    const p = await peer()
    p.fallback = 'hang'
    const started = Date.now()
    const r = failed(await publish(hook(p.url, { timeoutMs: 200, maxAttempts: 2 }), makePayload(), fast))
    expect(r.error).toMatch(/failed after 2 attempts: no answer within 200 ms/)
    expect(r.retryable).toBe(true)
    expect(p.received).toHaveLength(2)
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('an unreachable receiver is a retryable "connection refused"', async () => {
    const server = createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as AddressInfo).port
    await new Promise<void>((r) => server.close(() => r()))
    const r = failed(await publish(hook(`http://127.0.0.1:${port}/x`), makePayload(), fast))
    expect(r.error).toMatch(/failed after 3 attempts: the connection was refused/)
    expect(r.retryable).toBe(true)
    expect(r.detail).toMatchObject({ status: 0, attempts: 3 })
  })

  it('a port web clients never connect to (6667, IRC) is named as such, not as "bad port"', async () => {
    const r = failed(await publish(hook('http://127.0.0.1:6667/x'), makePayload(), fast))
    expect(r.error).toMatch(/its port is one that Signoff, like a web browser, never connects to/)
  })

  it('does not follow redirects (the signature is for the configured URL)', async () => {
    const p = await peer()
    p.fallback = 302
    const r = failed(await publish(hook(p.url), makePayload(), fast))
    expect(r.error).toMatch(/answered with a redirect \(302\)/)
    expect(p.received).toHaveLength(1)
  })

  it('refuses URLs that are not http(s), and secrets that are not whsec_', async () => {
    for (const url of [
      'ftp://127.0.0.1/x',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http://u:p@127.0.0.1/',
      'not a url',
    ])
      expect(failed(await publish(hook(url), makePayload(), fast)).error).toMatch(
        /^The destination is not set up correctly on this computer\. Webhook URL: (A|The) webhook URL .*\. Fix it in Settings → Destinations\.$/,
      )
    expect(
      failed(await publish({ kind: 'webhook', url: 'http://127.0.0.1/', secret: 'abc' }, makePayload()))
        .error,
    ).toMatch(/secret/)
  })

  it('a retry of the same publish after the receiver is fixed succeeds under the same idempotency key', async () => {
    const p = await peer()
    p.fallback = 503
    const webhookId = 'msg_retry_same_attempt'
    failed(await publish(hook(p.url, { maxAttempts: 2 }), makePayload(), { ...fast, webhookId }))
    p.fallback = 200
    const d = ok(await publish(hook(p.url), makePayload(), { ...fast, webhookId }))
    expect(d.webhookId).toBe(webhookId)
    expect(p.received.map((r) => r.headers['idempotency-key'])).toEqual([webhookId, webhookId, webhookId])
  })
})
