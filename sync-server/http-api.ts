import type { IncomingMessage, ServerResponse } from 'node:http'
import { checkGrant, tokenFrom } from './auth.ts'
import { contentAt } from './content.ts'
import type { Grant, TokenStore } from './store/tokens.ts'
import type { LogEntryInfo, LogQuery, UpdateLog } from './store/update-log.ts'

type Maybe<T> = T | Promise<T>

/** What the trace API reads: the SQLite log (`sqliteTrace`) or PostgreSQL (cluster/pg-store.ts). */
export interface TraceStore {
  verify(token: string | null): Maybe<Grant | null>
  update(doc: string, seq: number): Maybe<Uint8Array | undefined>
  list(doc: string, q: LogQuery): Maybe<LogEntryInfo[]>
  head(doc: string): Maybe<number>
  checkpoint(doc: string): Maybe<{ seq: number; data: Uint8Array } | undefined>
  updates(doc: string, afterSeq: number, uptoSeq: number): Maybe<Uint8Array[]>
}

/** `beforeRead` writes the rows still waiting for SQLite (group-commit.ts), so reads see every durable update. */
export function sqliteTrace(
  log: UpdateLog,
  tokens: TokenStore,
  beforeRead: () => void = () => {},
): TraceStore {
  const read =
    <A extends unknown[], R>(f: (...args: A) => R) =>
    (...args: A): R => {
      beforeRead()
      return f(...args)
    }
  return {
    verify: (token) => tokens.verify(token),
    update: read((doc: string, seq: number) => log.update(doc, seq)),
    list: read((doc: string, q: LogQuery) => log.list(doc, q)),
    head: read((doc: string) => log.stats(doc).seq),
    checkpoint: read((doc: string) => log.checkpoint(doc)),
    updates: read((doc: string, after: number, upto?: number) => log.updates(doc, after, upto)),
  }
}

const MAX_PAGE = 1000

/**
 * The trace API, on the relay's port:
 *   GET /health                                   → {"ok":true, "workspaceId"} for any valid token
 *   GET /api/docs/<name>/updates?after&limit&member&since&until → a page of the log
 *   GET /api/docs/<name>/content?at=N             → the document after update N (default: latest),
 *                                                   entries holding several kinds of content in `mixed`
 *   GET /api/docs/<name>/updates/<seq>            → that update's raw bytes
 *   GET /api/whoami                               → the token's workspace, member and access
 * <name> is the document name, URL-encoded or not (`W`, `W%2Fout1`, `W/out1`). Every /api route
 * takes the same tokens as the WebSocket (Bearer header or ?token=) and only for their workspace.
 * The app calls the API from its own origin (signoff://app, or the web bridge's), so responses
 * allow any origin: the token travels in a header, never in a cookie, so CORS grants nothing more.
 * The log is read once everything committed so far is durable (`durable`), so the API never shows
 * an update the relay has not acknowledged.
 */
export function makeHttpHandler(log: TraceStore, durable: () => Promise<boolean>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    route(log, durable, req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: 'internal', message: (err as Error).message })
      else res.destroy()
    })
  }
}

async function route(
  log: TraceStore,
  durable: () => Promise<boolean>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<undefined> {
  const url = new URL(req.url ?? '/', 'http://relay')
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'access-control-max-age': '600' })
    res.end()
    return
  }
  if (req.method !== 'GET') return json(res, 405, { error: 'method_not_allowed' })
  if (url.pathname === '/health') {
    // Behind the tokens like the rest: an unauthenticated caller learns nothing, not even that
    // this is a Signoff relay that is up. (A proxy's own health check can use a read token.)
    const grant = await log.verify(tokenFrom(url, req.headers.authorization))
    if (!grant) return json(res, 401, { error: 'unauthorized', message: 'missing, invalid or revoked token' })
    return json(res, 200, { ok: true, workspaceId: grant.workspaceId })
  }
  if (url.pathname === '/api/whoami') {
    const grant = await log.verify(tokenFrom(url, req.headers.authorization))
    if (!grant) return json(res, 401, { error: 'unauthorized', message: 'missing, invalid or revoked token' })
    return json(res, 200, { workspaceId: grant.workspaceId, memberId: grant.memberId, access: grant.access })
  }
  const m = /^\/api\/docs\/(.+?)\/(updates|content)(?:\/(\d+))?$/.exec(url.pathname)
  if (!m) return json(res, 404, { error: 'not_found' })
  let name: string
  try {
    name = decodeURIComponent(m[1]!)
  } catch {
    return json(res, 400, { error: 'bad_request', message: 'invalid document name' })
  }
  const token = tokenFrom(url, req.headers.authorization)
  const auth = checkGrant(token, token ? await log.verify(token) : null, name)
  if (!auth.ok) return json(res, auth.status, { error: errorName(auth.status), message: auth.reason })
  if (!(await durable()))
    return json(res, 503, {
      error: 'unavailable',
      message: 'the relay could not make recent updates durable',
    })
  const q = url.searchParams
  if (m[2] === 'updates' && m[3] !== undefined) {
    const data = await log.update(name, Number(m[3]))
    if (!data) return json(res, 404, { error: 'not_found', message: `no update ${m[3]}` })
    res.writeHead(200, { ...CORS, 'content-type': 'application/octet-stream', 'content-length': data.length })
    res.end(data)
    return
  }
  if (m[2] === 'updates') {
    const query: LogQuery = {}
    for (const key of ['after', 'limit', 'since', 'until'] as const) {
      const v = q.get(key)
      if (v === null) continue
      const n = Number(v)
      if (!Number.isSafeInteger(n) || n < 0)
        return json(res, 400, { error: 'bad_request', message: `${key} must be an integer ≥ 0` })
      query[key] = n
    }
    query.limit = Math.min(query.limit ?? 100, MAX_PAGE)
    const member = q.get('member')
    if (member !== null) query.member = member
    const updates = await log.list(name, query)
    const last = updates[updates.length - 1]
    const next = updates.length === query.limit && last ? last.seq : null
    return json(res, 200, { doc: name, updates, next })
  }
  if (m[3] !== undefined) return json(res, 404, { error: 'not_found' })
  const latest = await log.head(name)
  const atParam = q.get('at')
  const at = atParam === null ? latest : Number(atParam)
  if (!Number.isSafeInteger(at) || at < 0)
    return json(res, 400, { error: 'bad_request', message: 'at must be an integer ≥ 0' })
  if (at > latest) return json(res, 404, { error: 'not_found', message: `the log has ${latest} updates` })
  const cp = await log.checkpoint(name)
  const useCp = cp && cp.seq <= at ? cp : undefined
  const view = contentAt(useCp?.data, await log.updates(name, useCp?.seq ?? 0, at))
  return json(res, 200, { doc: name, at, latest, ...view })
}

function errorName(status: number): string {
  return status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'bad_request'
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, OPTIONS',
  'access-control-allow-headers': 'authorization',
}

function json(res: ServerResponse, status: number, body: unknown): undefined {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...CORS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  })
  res.end(text)
}
