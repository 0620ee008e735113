/**
 * Words for an operator when PostgreSQL (or Redis) cannot be used: which server, where, why, and
 * what to check, instead of `connect ECONNREFUSED 127.0.0.1:5432` or, for a --database value
 * that is not a URL at all, pg's `getaddrinfo ENOTFOUND base`. Passwords in URLs are never echoed.
 */

const SCHEMES = {
  database: ['postgres:', 'postgresql:'],
  fanout: ['redis:', 'rediss:'],
} as const

/** Refuse a --database / --fanout value that is not a URL of the right kind; undefined if fine. */
export function serviceUrlProblem(flag: keyof typeof SCHEMES, value: string): string | undefined {
  const example = flag === 'database' ? 'postgres://user@host:5432/signoff' : 'redis://host:6379'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `--${flag} must be a URL such as ${example}`
  }
  if (!(SCHEMES[flag] as readonly string[]).includes(url.protocol))
    return `--${flag} must be a ${SCHEMES[flag].map((s) => `${s}//`).join(' or ')} URL such as ${example} (it starts with ${url.protocol}//)`
  return undefined
}

/** host:port/path of a service URL, without its user or password. */
export function whereOf(value: string): string {
  try {
    const u = new URL(value)
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`
  } catch {
    return 'the given address'
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is it running, and on that port?)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the connection was reset',
  // PostgreSQL's SQLSTATEs for the usual set-up mistakes.
  '28P01': 'the password was refused',
  '28000': 'this user may not connect',
  '3D000': 'that database does not exist (create it first)',
  '42501': 'this user lacks a permission Signoff needs (to create its tables)',
}

/** An Error that says PostgreSQL at <where> cannot be used, why, and which flag to check. */
export function postgresError(database: string, err: unknown): Error {
  const e = err as { code?: string; message?: string }
  const message = e?.message ?? String(err)
  const reason =
    (e?.code && REASONS[e.code]) ||
    (/timeout/i.test(message) ? 'no answer in time' : message.replace(/\s+/g, ' ').trim())
  return new Error(`cannot use PostgreSQL at ${whereOf(database)}: ${reason}. Check --database.`)
}
