import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { type HostApi, type HostMethodName, hostMethodNames, parseHostInput } from '../../shared/host/api.ts'
import { HOST_SYNC_PATH } from '../../shared/host/doc-sync.ts'
import { HOST_EVENTS_PATH, type HostEvent } from '../../shared/host/events.ts'
import { BRIDGE_SECRET_HEADER, type BridgeErrorCode } from '../../shared/host/web-bridge.ts'
import { SECURITY_HEADERS } from './csp.ts'
import { hostLog } from './host-log.ts'
import { sendJson } from './http.ts'
import { createHost } from './index.ts'
import {
  asHttpError,
  closeServer,
  HttpError,
  isLoopbackHost,
  isOwnOrigin,
  listenLoopback,
  readJsonBody,
  secretCheck,
} from './loopback.ts'
import { readStaticFile } from './static.ts'
import type { SyncChannel, SyncConnection } from './sync/hub.ts'

export const SECRET_HEADER = BRIDGE_SECRET_HEADER
/**
 * The largest host call is a new output with the most content an output holds (2,000,000
 * characters: up to 6 MB as UTF-8, more where JSON escapes it) and the document changes beside it;
 * anything bigger is refused before it is parsed.
 */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024

export interface WebServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  /** Loopback only: the bridge hands out host powers to whoever has the secret. */
  host?: '127.0.0.1'
  /** The built renderer (`out/renderer`). */
  rendererDir: string
  /** Where host services keep files for this run (kept for services that need it). */
  dataDir?: string
  /** Fixed secret (tests); by default a fresh random one per start. */
  secret?: string
  version?: string
  maxBodyBytes?: number
  /** The host services to serve; by default `createHost({ shell: 'web' })`. */
  hostApi?: HostApi & {
    onEvent?(listener: (event: HostEvent) => void): () => void
    connectWindow?(docName: string, channel: SyncChannel, memberId?: string): SyncConnection | null
  }
}

export interface WebServer {
  /** The one URL to open: the app, with the secret in the fragment (never sent to the server). */
  url: string
  origin: string
  port: number
  secret: string
  dataDir: string | undefined
  close(): Promise<void>
}

type BridgeHost = NonNullable<WebServerOptions['hostApi']>

/** What every handler of one running bridge needs. */
interface Bridge {
  host: BridgeHost
  /** The port, known once listening. */
  port: () => number
  authorized: (given: string | null | undefined) => boolean
  maxBody: number
  rendererDir: string
}

const refusal = (status: number, code: BridgeErrorCode, message: string) =>
  new HttpError<BridgeErrorCode>(status, code, message)

/** `POST /host/<method>`: the checks in order (origin, method, secret, name, body, schema), then the call. */
async function callHost(req: IncomingMessage, name: string, b: Bridge): Promise<unknown> {
  const origin = req.headers.origin
  if (!isOwnOrigin(req, b.port()))
    throw refusal(403, 'bad_origin', `Calls from origin ${origin} are refused.`)
  if (req.method !== 'POST') throw refusal(405, 'method_not_allowed', 'Host calls are POST requests.')
  if (!b.authorized(req.headers[SECRET_HEADER] as string | undefined))
    throw refusal(
      401,
      'unauthorized',
      `Missing or wrong secret: send the one from the URL \`npm run web\` printed in the ${SECRET_HEADER} header.`,
    )
  if (!(hostMethodNames as string[]).includes(name))
    throw refusal(404, 'unknown_method', `There is no host method called ${JSON.stringify(name)}.`)
  const body = await readJsonBody(req, b.maxBody)
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw refusal(400, 'malformed_body', 'The body must be a JSON object: {"input": …}.')
  const method = name as HostMethodName
  let input: unknown
  try {
    input = parseHostInput(method, (body as { input?: unknown }).input)
  } catch (error) {
    throw refusal(400, 'invalid_argument', (error as Error).message)
  }
  const handler = b.host[method] as (arg: unknown) => Promise<unknown>
  try {
    return await handler(input)
  } catch (error) {
    throw refusal(500, 'host_error', error instanceof Error ? error.message : String(error))
  }
}

/** Anything that is not a host call: the built renderer's files. */
async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  rendererDir: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
    res.end('Method not allowed.\n')
    return
  }
  const file = await readStaticFile(rendererDir, path)
  if (!file) {
    const missingBuild = !existsSync(join(rendererDir, 'index.html'))
    res.writeHead(missingBuild ? 503 : 404, { 'Content-Type': 'text/plain; charset=utf-8' })
    res.end(
      missingBuild
        ? `The renderer is not built (${rendererDir} has no index.html): run \`npm run build\`.\n`
        : 'Not found.\n',
    )
    return
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': file.contentType,
    'Content-Length': file.body.length,
    'Cache-Control': cacheControl(path),
  })
  res.end(req.method === 'HEAD' ? undefined : file.body)
}

/**
 * The build names every script and stylesheet under /assets/ by a hash of its content, so one
 * name never holds other bytes: the browser keeps them without asking again, and keeps V8's
 * compiled code beside them (a reload of a 10,000-output board spent ~130 ms fetching and
 * compiling the same bundle again). The page itself is asked for each time, so a new build's
 * page names its new files.
 */
export function cacheControl(path: string): string {
  return /^\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.(js|css)$/.test(path)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache'
}

/** Keep-alive comments let both ends notice a dead connection (and the page, a stopped host). */
const SSE_PING_MS = 15_000

/**
 * `GET /host-events?secret=…`: the host's events as server-sent events, one `data:` line of
 * JSON `{name, payload}` each, for as long as the page keeps the stream open. Same checks as a
 * call (secret, origin), with the secret in the query: EventSource sends no headers.
 */
function streamEvents(req: IncomingMessage, res: ServerResponse, b: Bridge): void {
  if (!isOwnOrigin(req, b.port())) {
    sendJson(res, 403, {
      ok: false,
      error: { code: 'bad_origin', message: `Origin ${req.headers.origin} is refused.` },
    })
    return
  }
  if (!b.authorized(new URL(req.url ?? '/', 'http://bridge').searchParams.get('secret'))) {
    sendJson(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Missing or wrong secret.' } })
    return
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  })
  // Reconnect a second after a drop (the default is about three).
  res.write('retry: 1000\n\n')
  const off = b.host.onEvent?.((event) => res.write(`data: ${JSON.stringify(event)}\n\n`))
  const ping = setInterval(() => res.write(': ping\n\n'), SSE_PING_MS)
  const stop = () => {
    clearInterval(ping)
    off?.()
  }
  req.on('close', stop)
  res.on('error', stop)
}

async function handle(req: IncomingMessage, res: ServerResponse, b: Bridge): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  const isHostCall = path.startsWith('/host/')
  // DNS rebinding: a foreign name that resolves to 127.0.0.1 still carries its own Host.
  if (!isLoopbackHost(req, b.port())) {
    if (isHostCall)
      sendJson(res, 403, {
        ok: false,
        error: { code: 'bad_host', message: `Host ${req.headers.host ?? '(none)'} is not this bridge.` },
      })
    else {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Wrong Host header.\n')
    }
    return
  }
  if (path === HOST_EVENTS_PATH && req.method === 'GET') return streamEvents(req, res, b)
  if (!isHostCall) return serveStatic(req, res, path, b.rendererDir)
  try {
    const result = await callHost(req, decodeURIComponent(path.slice('/host/'.length)), b)
    sendJson(res, 200, { ok: true, result: result ?? null })
  } catch (error) {
    const failure = asHttpError<BridgeErrorCode>(error, 'host_error')
    if (!res.headersSent)
      sendJson(res, failure.status, { ok: false, error: { code: failure.code, message: failure.message } })
  }
}

/**
 * `GET /host-sync?doc=…&member=…&secret=…` upgraded to a WebSocket: the page syncs one document with the
 * host's replica (shared/host/doc-sync.ts). Same checks as a call: loopback Host, the app's own
 * origin, the secret (in the query: a browser's WebSocket sends no custom headers).
 */
function upgradeRefusal(req: IncomingMessage, b: Bridge): [number, string] | null {
  const url = new URL(req.url ?? '/', 'http://bridge')
  if (url.pathname !== HOST_SYNC_PATH) return [404, 'Not Found']
  if (!isLoopbackHost(req, b.port())) return [403, 'Forbidden']
  if (!isOwnOrigin(req, b.port())) return [403, 'Forbidden']
  if (!b.authorized(url.searchParams.get('secret'))) return [401, 'Unauthorized']
  if (!b.host.connectWindow) return [503, 'Service Unavailable']
  return null
}

function syncUpgrades(sockets: WebSocketServer, b: Bridge) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // An upgrading socket has no error listener of its own: a window that resets its connection
    // (a stale secret refused after a restart) would otherwise end the whole host process.
    socket.on('error', () => socket.destroy())
    const refused = upgradeRefusal(req, b)
    if (refused) {
      socket.end(`HTTP/1.1 ${refused[0]} ${refused[1]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    const query = new URL(req.url ?? '/', 'http://bridge').searchParams
    const docName = query.get('doc') ?? ''
    const memberId = query.get('member') ?? undefined
    sockets.handleUpgrade(req, socket, head, (ws) => {
      ws.binaryType = 'nodebuffer'
      const connection = b.host.connectWindow?.(
        docName,
        {
          send: (data) => {
            if (ws.readyState === ws.OPEN) ws.send(data)
          },
          close: () => ws.close(),
        },
        memberId,
      )
      if (!connection) {
        ws.close(1011, 'The host keeps no workspaces.')
        return
      }
      ws.on('message', (data: Buffer) =>
        connection.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
      )
      ws.on('close', () => connection.closed())
      ws.on('error', () => ws.terminate())
    })
  }
}

/**
 * Serve the built renderer and the host API to a browser on this machine. Each host call is
 * `POST /host/<method>` with `{"input": …}` and answers `{ok: true, result}` or
 * `{ok: false, error: {code, message}}`. A call must carry the per-run secret, come from the
 * app's own origin (or from no browser at all), name a loopback Host (DNS rebinding), and pass
 * the method's schema, in that order of checks.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  if ((options.host ?? '127.0.0.1') !== '127.0.0.1') throw new Error('The web bridge binds 127.0.0.1 only.')
  const secret = options.secret ?? randomBytes(32).toString('base64url')
  const host =
    options.hostApi ??
    createHost({
      shell: 'web',
      version: options.version ?? '0.0.0',
      ...(options.dataDir ? { dataDir: options.dataDir, log: hostLog(options.dataDir) } : {}),
    })
  let port = 0
  const bridge: Bridge = {
    host,
    port: () => port,
    authorized: secretCheck(secret),
    maxBody: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    rendererDir: options.rendererDir,
  }
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 })
  const server: Server = createServer((req, res) => {
    handle(req, res, bridge).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'host_error', message: String(error) } })
      else res.destroy()
    })
  })
  port = await listenLoopback(server, options.port ?? 0)
  server.on('upgrade', syncUpgrades(sockets, bridge))
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/#secret=${secret}`,
    origin,
    port,
    secret,
    dataDir: options.dataDir,
    close: async () => {
      const closing = closeServer(server)
      for (const ws of sockets.clients) ws.terminate()
      await closing
      // Host services that hold resources (a hosted relay) stop with the bridge.
      await (host as { close?: () => Promise<void> }).close?.()
    },
  }
}
