import type { IncomingMessage, ServerResponse } from 'node:http'

/** A JSON answer that is never cached or sniffed: what every loopback API of the host sends. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  res.end(text)
}

/** How much of a refused upload is read and thrown away so the client can see the answer. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024
const DRAIN_MAX_MS = 10_000

/**
 * Read and discard the rest of a request body (up to `maxBytes` or `maxMs`) before answering it.
 * A server that answers and closes while the client is still sending makes the client's next
 * write fail (EPIPE, "broken pipe" in curl) and most clients then report that instead of the
 * answer. Resolves false when the body was too big or too slow to drain: close after answering.
 */
export function drainRequest(
  req: IncomingMessage,
  maxBytes = DRAIN_MAX_BYTES,
  maxMs = DRAIN_MAX_MS,
): Promise<boolean> {
  if (req.complete || req.readableEnded) return Promise.resolve(true)
  return new Promise((resolve) => {
    let size = 0
    const finish = (drained: boolean) => {
      clearTimeout(timer)
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onEnd)
      req.off('aborted', onEnd)
      if (!drained) req.pause()
      resolve(drained)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) finish(false)
    }
    const onEnd = () => finish(true)
    const timer = setTimeout(() => finish(false), maxMs)
    req.on('data', onData)
    req.once('end', onEnd)
    req.once('error', onEnd)
    req.once('aborted', onEnd)
    req.resume()
  })
}

/**
 * Read a request body as UTF-8, refusing anything over `limit` bytes (declared or actual) with
 * the caller's error. The rest of an oversized body is read and discarded (up to
 * DRAIN_MAX_BYTES) before the refusal, so the client is still listening when the answer comes.
 */
export function readBody(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const refuse = () => {
      req.removeAllListeners('data')
      void drainRequest(req).then(() => reject(tooLarge()))
    }
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      refuse()
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    req.on('data', (chunk: Buffer) => {
      if (done) return
      size += chunk.length
      if (size > limit) {
        done = true
        chunks.length = 0
        refuse()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', (error) => {
      if (!done) reject(error)
    })
  })
}
