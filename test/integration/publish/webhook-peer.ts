import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedHook {
  headers: IncomingHttpHeaders
  body: string
  /** Did the Standard Webhooks signature check out (verified here, independently of the sender)? */
  verified: boolean
  reason: string
}

export interface WebhookPeer {
  url: string
  received: ReceivedHook[]
  /** What the next requests get: a status (and body), or 'hang' to never answer. */
  script: (number | 'hang')[]
  /** Answer after the script runs out. */
  fallback: number | 'hang'
  /** Headers added to every answer (a Retry-After). */
  answerHeaders: Record<string, string>
  close(): Promise<void>
}

/**
 * A real HTTP receiver on 127.0.0.1 that verifies Standard Webhooks signatures the way the spec's
 * reference verifier does: base64-decode the secret after `whsec_`, HMAC-SHA256 over
 * `id.timestamp.body`, constant-time compare with any `v1,` entry, and a 5-minute tolerance.
 */
export async function startWebhookPeer(secret: string): Promise<WebhookPeer> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const hanging = new Set<import('node:http').ServerResponse>()
  const peer: WebhookPeer = {
    url: '',
    received: [],
    script: [],
    fallback: 200,
    answerHeaders: {},
    close: async () => {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const { verified, reason } = verify(key, req.headers, body)
      peer.received.push({ headers: req.headers, body, verified, reason })
      const next = peer.script.shift() ?? peer.fallback
      if (next === 'hang') {
        hanging.add(res)
        return
      }
      const status = verified ? next : 401
      res.writeHead(status, { 'content-type': 'text/plain', ...peer.answerHeaders })
      res.end(verified ? `status ${status} for ${req.headers['webhook-id']}` : `bad signature: ${reason}`)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/signoff`
  return peer
}

function verify(key: Buffer, h: IncomingHttpHeaders, body: string): { verified: boolean; reason: string } {
  const id = h['webhook-id']
  const ts = h['webhook-timestamp']
  const sigs = h['webhook-signature']
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string')
    return { verified: false, reason: 'missing headers' }
  if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300)
    return { verified: false, reason: 'timestamp outside tolerance' }
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest()
  for (const entry of sigs.split(' ')) {
    const [version, b64] = entry.split(',')
    if (version !== 'v1' || !b64) continue
    const got = Buffer.from(b64, 'base64')
    if (got.length === expected.length && timingSafeEqual(got, expected))
      return { verified: true, reason: '' }
  }
  return { verified: false, reason: 'no matching signature' }
}
