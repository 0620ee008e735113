import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { submissionSchema } from '../../../shared/host/intake.ts'
import { submissionIssueInWords } from '../../../shared/host/issue-words.ts'
import { writeFileAtomic } from '../fsutil.ts'
import { drainRequest, sendJson } from '../http.ts'
import {
  asHttpError,
  closeServer,
  HttpError,
  isLoopbackHost,
  listenLoopback,
  readJsonBody,
  secretCheck,
} from '../loopback.ts'
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

type Answer = [status: number, body: unknown]

const unauthorized = () =>
  new HttpError(
    401,
    'unauthorized',
    'Missing or wrong token: send "Authorization: Bearer <token>" with the token from Settings → Intake.',
  )

/** `POST /outputs`: queue a submission and answer once the host made it a draft, or "queued". */
async function submit(req: IncomingMessage, spool: Spool, maxBody: number): Promise<unknown> {
  const body = await readJsonBody(req, maxBody)
  const parsed = submissionSchema.safeParse(body)
  if (!parsed.success) {
    // Every field's first problem, so a script's author fixes them in one go.
    const said = new Set<string>()
    const words: string[] = []
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '')
      if (said.has(field)) continue
      said.add(field)
      words.push(submissionIssueInWords(issue, body))
    }
    throw new HttpError(400, 'invalid_body', words.join(' ') || 'The body was rejected.')
  }
  const s = parsed.data
  const known = await spool.knownWorkspaces()
  const workspaceId = s.workspaceId ?? known[0]
  if (!workspaceId)
    throw new HttpError(
      404,
      'no_workspace',
      'This machine takes intake for no workspace yet: open Signoff with a workspace once.',
    )
  if (!known.includes(workspaceId))
    throw new HttpError(
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
  const taken = taking
    ? await Promise.race([taking, new Promise<null>((r) => setTimeout(r, DRAFT_WAIT_MS, null).unref())])
    : null
  const answer = { id: item.id, workspaceId, status: `/outputs/${item.id}` }
  if (!taken) return { ...answer, state: 'queued' }
  // Known at once (an output type the workspace does not have): said now, not at the next look.
  if (!taken.ok) return { ...answer, state: 'failed', reason: taken.reason }
  return { ...answer, state: taken.status.state }
}

/** `GET /outputs/:id`: the host's replica first (what the trail says now), then the spool. */
async function status(id: string, spool: Spool, drafts: IntakeDrafts | undefined): Promise<unknown> {
  const held = await drafts?.status(id)
  if (held) return held
  const found = await spool.lookup(id)
  if (!found) throw new HttpError(404, 'not_found', `There is no output ${id} from intake on this machine.`)
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

interface IntakeRoutes {
  port: () => number
  authorized: (given: string | undefined) => boolean
  spool: Spool
  drafts: IntakeDrafts | undefined
  maxBody: number
}

async function route(req: IncomingMessage, r: IntakeRoutes): Promise<Answer> {
  if (!isLoopbackHost(req, r.port())) throw new HttpError(403, 'bad_host', 'Wrong Host header.')
  const authorize = () => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
    if (!r.authorized(m?.[1])) throw unauthorized()
  }
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  if (path === '/health' && req.method === 'GET') return [200, { ok: true, service: 'signoff-intake' }]
  if (path === '/outputs') {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST /outputs.')
    authorize()
    return [202, await submit(req, r.spool, r.maxBody)]
  }
  const m = /^\/outputs\/([^/]+)$/.exec(path)
  if (m) {
    if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'Use GET /outputs/:id.')
    authorize()
    return [200, await status(decodeURIComponent(m[1]!), r.spool, r.drafts)]
  }
  throw new HttpError(404, 'not_found', 'Use POST /outputs or GET /outputs/:id.')
}

/** Answer a refusal as `{"error": {code, message}}`, after reading what the client still sends. */
function refuse(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const e = asHttpError(error, 'internal')
  if (res.headersSent) return
  // Read (and discard) what the client is still sending before answering, so it is listening
  // when the answer comes; then close, as a refused upload ends the exchange.
  void drainRequest(req).then(() => {
    if (res.headersSent) return
    if (e.status === 413 || e.status === 401) res.setHeader('Connection', 'close')
    sendJson(res, e.status, { error: { code: e.code, message: e.message } })
  })
}

/** Publish where the API listens, for the CLI and MCP server; remove it on close if still ours. */
async function advertise(dataDir: string, port: number): Promise<() => Promise<void>> {
  const endpointFile = join(dataDir, 'intake', ENDPOINT_FILE)
  const endpoint: Endpoint = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: process.pid,
    startedAt: Date.now(),
  }
  await writeFileAtomic(endpointFile, JSON.stringify(endpoint), 0o600)
  return async () => {
    // Only remove the endpoint if it is still ours (another start may have replaced it).
    try {
      const current = JSON.parse(await readFile(endpointFile, 'utf8')) as Endpoint
      if (current.port === port && current.pid === process.pid) await rm(endpointFile, { force: true })
    } catch {}
  }
}

/**
 * The local intake API: `POST /outputs` queues a submission, `GET /outputs/:id` says where it
 * stands. Loopback only; every call carries `Authorization: Bearer <token>`. Errors are JSON:
 * `{"error": {"code", "message"}}`.
 */
export async function startIntakeApi(options: IntakeApiOptions): Promise<IntakeApi> {
  if ((options.host ?? '127.0.0.1') !== '127.0.0.1') throw new Error('The intake API binds 127.0.0.1 only.')
  const token = await loadOrCreateToken(options.dataDir)
  let port = 0
  const routes: IntakeRoutes = {
    port: () => port,
    authorized: secretCheck(token),
    spool: options.spool,
    drafts: options.drafts,
    maxBody: options.maxBodyBytes ?? INTAKE_MAX_BODY_BYTES,
  }
  const server: Server = createServer((req, res) => {
    route(req, routes).then(
      ([code, body]) => sendJson(res, code, body),
      (error: unknown) => refuse(req, res, error),
    )
  })
  port = await listenLoopback(server, options.port, options.fallbackToFreePort)
  const withdraw = await advertise(options.dataDir, port)
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    close: async () => {
      await closeServer(server).catch(() => {})
      await withdraw()
    },
  }
}
