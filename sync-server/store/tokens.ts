import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { isValidId } from '../../shared/docnames.ts'

export type Access = 'read' | 'write'

export interface TokenInfo {
  id: string
  workspaceId: string
  memberId: string
  access: Access
  createdAt: number
  revoked: boolean
}

/** A relay's token operations where they are answered asynchronously (a cluster node, a relay thread). */
export interface TokenAdmin {
  createToken(args: {
    workspaceId: string
    memberId: string
    access: Access
  }): Promise<{ id: string; token: string }>
  listTokens(workspaceId?: string): Promise<TokenInfo[]>
  /** Revokes the token and closes its open connections (4401). False when no live token has the id. */
  revokeToken(id: string): Promise<boolean>
}

/** What a verified token grants: used for every connection and trace request. */
export interface Grant {
  tokenId: string
  workspaceId: string
  memberId: string
  access: Access
}

/** A token row as both stores keep it (SQLite and PostgreSQL use the same columns). */
export interface TokenRow {
  id: string
  workspace: string
  member: string
  access: Access
  secret_hash: Uint8Array
  created_at: number
  revoked_at: number | null
}

const TOKEN_RE = /^so_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/

function hashSecret(secret: string): Buffer {
  // The secret is 256 random bits, so a plain sha256 is enough: there is nothing to brute-force.
  return createHash('sha256').update(secret).digest()
}

/** A new token for a validated request: the id, what is stored (the secret's hash) and the token. */
export function newToken(args: { workspaceId: string; memberId: string; access: Access }): {
  id: string
  hash: Buffer
  token: string
} {
  if (!isValidId(args.workspaceId))
    throw new Error(`Invalid workspace id: ${JSON.stringify(args.workspaceId)}`)
  if (!isValidId(args.memberId)) throw new Error(`Invalid member id: ${JSON.stringify(args.memberId)}`)
  if (args.access !== 'read' && args.access !== 'write') throw new Error('Access must be "read" or "write"')
  const id = randomBytes(8).toString('hex')
  const secret = randomBytes(32).toString('base64url')
  return { id, hash: hashSecret(secret), token: `so_${id}_${secret}` }
}

/** The token's id and secret when it is well-formed, else null. */
export function parseToken(token: string | null | undefined): { id: string; secret: string } | null {
  const m = token ? TOKEN_RE.exec(token) : null
  return m ? { id: m[1]!, secret: m[2]! } : null
}

/** Whether the secret hashes to the stored hash (compared in constant time). */
export function secretMatches(stored: Uint8Array, secret: string): boolean {
  const given = hashSecret(secret)
  const s = Buffer.from(stored)
  return s.length === given.length && timingSafeEqual(s, given)
}

/** The grant of a stored row, null when it is missing or revoked or the secret is wrong. */
export function grantOf(row: TokenRow | undefined, secret: string): Grant | null {
  if (!row || row.revoked_at !== null || !secretMatches(row.secret_hash, secret)) return null
  return { tokenId: row.id, workspaceId: row.workspace, memberId: row.member, access: row.access }
}

export function tokenInfo(r: TokenRow): TokenInfo {
  return {
    id: r.id,
    workspaceId: r.workspace,
    memberId: r.member,
    access: r.access,
    createdAt: Number(r.created_at),
    revoked: r.revoked_at !== null,
  }
}

/** The id part of a well-formed token (not secret; refusals are logged with it), else undefined. */
export function tokenIdOf(token: string | null | undefined): string | undefined {
  return token ? TOKEN_RE.exec(token)?.[1] : undefined
}

/**
 * Tokens look like `so_<16 hex id>_<43 char secret>`. Only sha256(secret) is stored; the id
 * finds the row, timingSafeEqual compares the hash.
 */
export class TokenStore {
  private readonly insert: StatementSync
  private readonly byId: StatementSync
  private readonly all: StatementSync
  private readonly inWorkspace: StatementSync
  private readonly revoke: StatementSync
  private readonly revokedSince: StatementSync

  constructor(db: DatabaseSync) {
    this.insert = db.prepare(
      'INSERT INTO tokens (id, workspace, member, access, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.byId = db.prepare('SELECT * FROM tokens WHERE id = ?')
    this.all = db.prepare('SELECT * FROM tokens ORDER BY created_at, id')
    this.inWorkspace = db.prepare('SELECT * FROM tokens WHERE workspace = ? ORDER BY created_at, id')
    this.revoke = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
    this.revokedSince = db.prepare('SELECT id FROM tokens WHERE revoked_at IS NOT NULL AND revoked_at >= ?')
  }

  create(args: { workspaceId: string; memberId: string; access: Access }): { id: string; token: string } {
    const { id, hash, token } = newToken(args)
    this.insert.run(id, args.workspaceId, args.memberId, args.access, hash, Date.now())
    return { id, token }
  }

  list(workspaceId?: string): TokenInfo[] {
    const rows = (workspaceId === undefined
      ? this.all.all()
      : this.inWorkspace.all(workspaceId)) as unknown as TokenRow[]
    return rows.map(tokenInfo)
  }

  /** Returns false when no live token has that id. */
  revokeToken(id: string): boolean {
    return Number(this.revoke.run(Date.now(), id).changes) > 0
  }

  /** Ids revoked at or after `since` (ms), so a running relay can drop their connections. */
  revokedSinceTime(since: number): string[] {
    return (this.revokedSince.all(since) as { id: string }[]).map((r) => r.id)
  }

  /** null for anything but a well-formed, known, unrevoked token with the right secret. */
  verify(token: string | null | undefined): Grant | null {
    const t = parseToken(token)
    return t ? grantOf(this.byId.get(t.id) as TokenRow | undefined, t.secret) : null
  }
}
