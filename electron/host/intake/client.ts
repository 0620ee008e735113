import { readFile, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Submission } from '../../../shared/host/intake.ts'
import { ENDPOINT_FILE, type Endpoint, TOKEN_FILE } from './api-server.ts'

/** How a script reaches the running app's intake API. */
export interface IntakeConnection {
  url: string
  token: string
  /** Where it was found (for messages). */
  from: string
}

export class IntakeClientError extends Error {
  readonly status: number | undefined
  readonly code: string
  constructor(code: string, message: string, status?: number) {
    super(message)
    this.code = code
    this.status = status
  }
}

/** The data directories the app may be using on this machine, most specific first. */
export function candidateDataDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = []
  if (env.SIGNOFF_DATA_DIR) dirs.push(resolve(env.SIGNOFF_DATA_DIR))
  const home = homedir()
  const bases =
    process.platform === 'darwin'
      ? [join(home, 'Library', 'Application Support')]
      : process.platform === 'win32'
        ? [env.APPDATA ?? join(home, 'AppData', 'Roaming')]
        : [env.XDG_CONFIG_HOME ?? join(home, '.config')]
  for (const base of bases) for (const name of ['Signoff', 'signoff']) dirs.push(join(base, name))
  // `npm run web` keeps its data in the checkout.
  dirs.push(resolve(import.meta.dirname, '../../../.signoff-data/web'))
  return dirs
}

async function readEndpoint(dataDir: string): Promise<{ endpoint: Endpoint; token: string } | null> {
  try {
    const endpoint = JSON.parse(await readFile(join(dataDir, 'intake', ENDPOINT_FILE), 'utf8')) as Endpoint
    const token = (await readFile(join(dataDir, 'intake', TOKEN_FILE), 'utf8')).trim()
    return { endpoint, token }
  } catch {
    return null
  }
}

/**
 * Find the API: explicit url + token, else SIGNOFF_INTAKE_URL + SIGNOFF_INTAKE_TOKEN, else the
 * endpoint file the running app wrote into its data directory (the newest one found).
 */
export async function connect(
  args: { url?: string; token?: string; dataDir?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<IntakeConnection> {
  const url = args.url || env.SIGNOFF_INTAKE_URL || undefined
  const token = args.token || env.SIGNOFF_INTAKE_TOKEN || undefined
  if (url !== undefined) {
    const named = args.url ? '--url' : 'SIGNOFF_INTAKE_URL'
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {}
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
      throw new IntakeClientError(
        'usage',
        `${named} must be the intake API's address, such as http://127.0.0.1:4456 (Settings → Intake shows it); got "${url}".`,
      )
  }
  if (url && token) {
    const from = args.url ? '--url and --token' : 'SIGNOFF_INTAKE_URL and SIGNOFF_INTAKE_TOKEN'
    return { url: url.replace(/\/$/, ''), token, from }
  }
  const dirs = args.dataDir ? [resolve(args.dataDir)] : candidateDataDirs(env)
  let best: { endpoint: Endpoint; token: string; dir: string } | null = null
  for (const dir of dirs) {
    const found = await readEndpoint(dir)
    if (found && (!best || found.endpoint.startedAt > best.endpoint.startedAt)) best = { ...found, dir }
  }
  if (!best) {
    const where = args.dataDir ? resolve(args.dataDir) : dirs.join(', ')
    const looked = await Promise.all(
      dirs.map((d) =>
        stat(d).then(
          () => d,
          () => null,
        ),
      ),
    )
    throw new IntakeClientError(
      'not_running',
      `Signoff does not seem to be running: no intake endpoint in ${where}${looked.some(Boolean) ? '' : dirs.length === 1 ? ' (that folder does not exist)' : ' (none of these folders exists)'}. Start the app (or \`npm run web\`), or pass --url and --token.`,
    )
  }
  return { url: url ?? best.endpoint.url, token: token ?? best.token, from: best.dir }
}

async function call<T>(
  conn: IntakeConnection,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  let response: Response
  try {
    response = await fetch(`${conn.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${conn.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
  } catch {
    throw new IntakeClientError(
      'not_running',
      `Cannot reach Signoff's intake API at ${conn.url} (from ${conn.from}): is the app running?`,
    )
  }
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = null
  }
  if (!response.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error
    if (response.status === 401)
      throw new IntakeClientError(
        'unauthorized',
        'Signoff refused the token. Copy the current one from Settings → Intake (or pass --data for the right app data folder).',
        401,
      )
    throw new IntakeClientError(
      err?.code ?? 'http_error',
      err?.message ?? `The intake API answered ${response.status}.`,
      response.status,
    )
  }
  return json as T
}

export interface Submitted {
  id: string
  workspaceId: string
  state: string
  status: string
  /** Why it could not become a draft, when `state` is "failed". */
  reason?: string
}

export interface OutputStatus {
  id: string
  workspaceId: string
  state: string
  title: string
  typeId: string | null
  approvals?: number
  approvalsRequired?: number
  reasons?: string[]
  checklist?: { title: string; verdict: 'pass' | 'fail' | 'na' | null; note: string }[]
  reason?: string
  reportedAt?: string
}

export const submitOutput = (conn: IntakeConnection, submission: Submission) =>
  call<Submitted>(conn, 'POST', '/outputs', submission)

export const getOutputStatus = (conn: IntakeConnection, id: string) =>
  call<OutputStatus>(conn, 'GET', `/outputs/${encodeURIComponent(id)}`)

const STATE_WORDS: Record<string, string> = {
  queued: 'queued (waiting for the app to pick it up)',
  failed: 'failed (it did not become an output)',
  draft: 'draft',
  in_review: 'in review',
  changes_requested: 'changes requested',
  approved: 'approved',
  approved_stale: 'approved, but edited since (needs re-approval)',
  published: 'published',
  rejected: 'rejected',
  archived: 'archived',
}

/** A person-readable account of where an output stands and what reviewers said. */
export function formatStatus(s: OutputStatus): string {
  const lines = [`${s.id}  ${JSON.stringify(s.title)}${s.typeId ? ` (${s.typeId})` : ''}`]
  lines.push(`State: ${STATE_WORDS[s.state] ?? s.state}`)
  if (s.reason) lines.push(`Reason: ${s.reason}`)
  if (s.approvalsRequired) lines.push(`Approvals: ${s.approvals ?? 0}/${s.approvalsRequired}`)
  if (s.reasons && s.reasons.length > 0) {
    lines.push('Feedback:')
    for (const r of s.reasons) lines.push(`  - ${r}`)
  }
  const judged = (s.checklist ?? []).filter((c) => c.verdict !== null)
  if (judged.length > 0) {
    lines.push('Checklist:')
    for (const c of judged) {
      const mark = c.verdict === 'pass' ? '✓' : c.verdict === 'fail' ? '✗' : '–'
      lines.push(`  ${mark} ${c.title}${c.note ? `: ${c.note}` : ''}`)
    }
  }
  return lines.join('\n')
}
