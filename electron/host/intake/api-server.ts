import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmod, mkdir, readFile, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { submissionSchema } from '../../../shared/host/intake.ts'
import { drainRequest, readBody, sendJson } from '../http.ts'
import { writeFileAtomic } from './fsutil.ts'
import type { IntakeDrafts } from './service.ts'
import type { Spool } from './spool.ts'

/** How long a submission waits for the host to make its draft before it answers "queued". */
const DRAFT_WAIT_MS = 5000

export const DEFAULT_INTAKE_PORT = 7717
export const INTAKE_MAX_BODY_BYTES = 4 * 1024 * 1024
export const ENDPOINT_FILE = 'endpoint.json'
export const TOKEN_FILE = 'token'

export interface IntakeApiOptions {
  /** 0 picks a free port. */
  port: number
  /** When `port` is taken, fall back to a free one instead of failing. */
  fallbackToFreePort?: boolean
  host?: '127.0.0.1'
  dataDir: string
  spool: Spool
  /** The host's draft maker: a submission to a workspace it holds answers once it is a draft. */
  drafts?: IntakeDrafts
  maxBodyBytes?: number
}

export interface IntakeApi {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

export interface Endpoint {
  url: string
  port: number
  pid: number
  startedAt: number
}

class ApiError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The per-machine token: made once, kept readable by this user only. */
export async function loadOrCreateToken(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'intake')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const file = join(dir, TOKEN_FILE)
  try {
    const token = (await readFile(file, 'utf8')).trim()
    if (token.length >= 32) {
      await chmod(file, 0o600).catch(() => {})
      return token
    }
  } catch {}
  const token = `sot_${randomBytes(32).toString('base64url')}`
  await writeFileAtomic(file, `${token}\n`, 0o600)
  return token
}

/**
 * The local intake API: `POST /outputs` queues a submission, `GET /outputs/:id` says where it
 * stands. Loopback only; every call carries `Authorization: Bearer <token>`. Errors are JSON:
 * `{"error": {"code", "message"}}`.
 */
export async function startIntakeApi(options: IntakeApiOptions): Promise<IntakeApi> {
  const host = options.host ?? '127.0.0.1'
  if (host !== '127.0.0.1') throw new Error('The intake API binds 127.0.0.1 only.')
  const token = await loadOrCreateToken(options.dataDir)
  const tokenDigest = digest(token)
  const maxBody = options.maxBodyBytes ?? INTAKE_MAX_BODY_BYTES
  const spool = options.spool
  let port = 0

  function authorize(req: IncomingMessage) {
    const header = req.headers.authorization ?? ''
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!m || !timingSafeEqual(digest(m[1]!), tokenDigest))
      throw new ApiError(
        401,
        'unauthorized',
        'Missing or wrong token: send "Authorization: Bearer <token>" with the token from Settings → Intake.',
      )
  }

  async function submit(req: IncomingMessage): Promise<unknown> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.')
    const text = await readBody(
      req,
      maxBody,
      () => new ApiError(413, 'body_too_large', `The request body is over ${maxBody} bytes.`),
    )
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new ApiError(400, 'malformed_body', 'The body is not valid JSON.')
    }
    const parsed = submissionSchema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new ApiError(
        400,
        'invalid_body',
        issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'The body was rejected.',
      )
    }
    const s = parsed.data
    const known = await spool.knownWorkspaces()
    const workspaceId = s.workspaceId ?? known[0]
    if (!workspaceId)
      throw new ApiError(
        404,
        'no_workspace',
        'This machine takes intake for no workspace yet: open Signoff with a workspace once.',
      )
    if (!known.includes(workspaceId))
      throw new ApiError(
        404,
        'unknown_workspace',
        `This machine takes no intake for workspace ${workspaceId}.`,
      )
    const item = await spool.add({
      workspaceId,
      title: s.title,
      type: s.type,
      content: s.content,
      source: s.source ?? {},
      tags: s.tags ?? [],
      ...(s.due ? { due: s.due } : {}),
      via: 'api',
    })
    // Held by the host: answer once the draft, content included, is durable in its log.
    const taking = spool.outcome(item.id)
    const drafted = taking
      ? await Promise.race([taking, new Promise<null>((r) => setTimeout(r, DRAFT_WAIT_MS, null).unref())])
      : null
    return { id: item.id, workspaceId, state: drafted?.state ?? 'queued', status: `/outputs/${item.id}` }
  }

  async function status(id: string): Promise<unknown> {
    // The host's replica first: what the trail says now, with no window needed.
    const held = await options.drafts?.status(id)
    if (held) return held
    const found = await spool.lookup(id)
    if (!found) throw new ApiError(404, 'not_found', `There is no output ${id} from intake on this machine.`)
    if (found.kind === 'status') {
      const { updatedAt, ...s } = found.status
      return { ...s, reportedAt: new Date(updatedAt).toISOString() }
    }
    const { entry } = found
    const base = {
      id,
      workspaceId: entry.workspaceId,
      title: entry.item.title,
      typeId: entry.item.type ?? null,
    }
    if (entry.stage === 'pending') return { ...base, state: 'queued' }
    if (entry.stage === 'failed') return { ...base, state: 'failed', reason: entry.reason ?? 'failed' }
    return { ...base, state: 'draft' }
  }

  async function route(req: IncomingMessage): Promise<[number, unknown]> {
    if (![`127.0.0.1:${port}`, `localhost:${port}`].includes(req.headers.host ?? ''))
      throw new ApiError(403, 'bad_host', 'Wrong Host header.')
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path === '/health' && req.method === 'GET') return [200, { ok: true, service: 'signoff-intake' }]
    if (path === '/outputs') {
      if (req.method !== 'POST') throw new ApiError(405, 'method_not_allowed', 'Use POST /outputs.')
      authorize(req)
      return [202, await submit(req)]
    }
    const m = /^\/outputs\/([^/]+)$/.exec(path)
    if (m) {
      if (req.method !== 'GET') throw new ApiError(405, 'method_not_allowed', 'Use GET /outputs/:id.')
      authorize(req)
      return [200, await status(decodeURIComponent(m[1]!))]
    }
    throw new ApiError(404, 'not_found', 'Use POST /outputs or GET /outputs/:id.')
  }

  const server: Server = createServer((req, res) => {
    route(req).then(
      ([code, body]) => sendJson(res, code, body),
      (error: unknown) => {
        const e =
          error instanceof ApiError
            ? error
            : new ApiError(500, 'internal', error instanceof Error ? error.message : String(error))
        if (res.headersSent) return
        // Read (and discard) what the client is still sending before answering, so it is
        // listening when the answer comes; then close, as a refused upload ends the exchange.
        void drainRequest(req).then(() => {
          if (res.headersSent) return
          if (e.status === 413 || e.status === 401) res.setHeader('Connection', 'close')
          sendJson(res, e.status, { error: { code: e.code, message: e.message } })
        })
      },
    )
  })
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(p, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  try {
    await listen(options.port)
  } catch (error) {
    if (!options.fallbackToFreePort || options.port === 0) throw error
    await listen(0)
  }
  port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`
  const endpointFile = join(options.dataDir, 'intake', ENDPOINT_FILE)
  const endpoint: Endpoint = { url, port, pid: process.pid, startedAt: Date.now() }
  await writeFileAtomic(endpointFile, JSON.stringify(endpoint), 0o600)
  return {
    url,
    port,
    token,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      // Only remove the endpoint if it is still ours (another start may have replaced it).
      try {
        const current = JSON.parse(await readFile(endpointFile, 'utf8')) as Endpoint
        if (current.port === port && current.pid === process.pid) await rm(endpointFile, { force: true })
      } catch {}
    },
  }
}
