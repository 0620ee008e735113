/**
 * What the host's loopback JSON servers (the intake API, the web bridge) share: refusals with a
 * status and a stable code, the loopback Host and Origin checks, a secret compared in constant
 * time, one way to read a bounded JSON body, and binding to 127.0.0.1. Each server keeps only its
 * routes and the shape of its answers.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readBody } from './http.ts'

/** A refusal or failure that a loopback server answers with `status` and `{code, message}`. */
export class HttpError<Code extends string = string> extends Error {
  readonly status: number
  readonly code: Code
  constructor(status: number, code: Code, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

/** The error as an HttpError: a thrown HttpError as it is, anything else a 500 with `code`. */
export function asHttpError<Code extends string>(error: unknown, code: Code): HttpError<Code> {
  if (error instanceof HttpError) return error as HttpError<Code>
  return new HttpError(500, code, error instanceof Error ? error.message : String(error))
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/** A check of a given secret against `secret`, in constant time (both are hashed first). */
export function secretCheck(secret: string): (given: string | null | undefined) => boolean {
  const expected = digest(secret)
  return (given) => typeof given === 'string' && timingSafeEqual(digest(given), expected)
}

/** The Host headers a server on this port answers to: a foreign name (DNS rebinding) is refused. */
export function isLoopbackHost(req: IncomingMessage, port: number): boolean {
  return [`127.0.0.1:${port}`, `localhost:${port}`].includes(req.headers.host ?? '')
}

/**
 * Browsers always send Origin on POST and on WebSocket upgrades; a request without one comes from
 * a non-browser client (a script, a test), which the secret alone authorizes.
 */
export function isOwnOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin
  return origin === undefined || [`http://127.0.0.1:${port}`, `http://localhost:${port}`].includes(origin)
}

/**
 * Read a request's JSON body: 415 `unsupported_media_type` unless it is sent as
 * application/json, 413 `body_too_large` over `maxBytes` (the rest is drained first), 400
 * `malformed_body` when it does not parse.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json.')
  const text = await readBody(
    req,
    maxBytes,
    () => new HttpError(413, 'body_too_large', `The request body is over ${maxBytes} bytes.`),
  )
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new HttpError(400, 'malformed_body', 'The body is not valid JSON.')
  }
}

/**
 * Listen on 127.0.0.1 and resolve the port. When `port` is taken and `fallbackToFreePort` is set,
 * take a free one instead of failing.
 */
export async function listenLoopback(
  server: Server,
  port: number,
  fallbackToFreePort = false,
): Promise<number> {
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  try {
    await listen(port)
  } catch (error) {
    if (!fallbackToFreePort || port === 0) throw error
    await listen(0)
  }
  return (server.address() as AddressInfo).port
}

/** Stop listening and cut the connections still open (keep-alive, event streams). */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    server.closeAllConnections()
  })
}
