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

/**
 * Read a request body as UTF-8, refusing anything over `limit` bytes (declared or actual) with
 * the caller's error. The rest of an oversized body is drained, not read into memory, so the
 * caller can still answer 413.
 */
export function readBody(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(tooLarge())
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
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', reject)
  })
}
