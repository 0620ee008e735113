import { type DocName, parseDocName } from '../shared/docnames.ts'
import { CLOSE } from './close-codes.ts'
import type { Grant, TokenStore } from './store/tokens.ts'

export type AuthResult =
  | { ok: true; grant: Grant; doc: DocName }
  | { ok: false; code: number; status: number; reason: string; grant?: Grant }

/**
 * The onAuthenticate hook: a token for workspace W opens `W` and `W/<outputId>`, nothing else.
 * Used for WebSocket upgrades (close code) and trace requests (HTTP status).
 */
export function authorize(tokens: TokenStore, token: string | null, docName: string): AuthResult {
  return checkGrant(token, token ? tokens.verify(token) : null, docName)
}

/** `authorize` for a token already verified (a cluster node verifies against PostgreSQL). */
export function checkGrant(token: string | null, grant: Grant | null, docName: string): AuthResult {
  const doc = parseDocName(docName)
  if (!doc) return { ok: false, code: CLOSE.malformed, status: 400, reason: 'invalid document name' }
  if (!token) return { ok: false, code: CLOSE.unauthorized, status: 401, reason: 'missing token' }
  if (!grant) return { ok: false, code: CLOSE.unauthorized, status: 401, reason: 'invalid or revoked token' }
  if (grant.workspaceId !== doc.workspaceId) {
    return {
      ok: false,
      code: CLOSE.forbidden,
      status: 403,
      reason: 'token is not valid for this workspace',
      grant,
    }
  }
  return { ok: true, grant, doc }
}

/** Token from `Authorization: Bearer …` or the `token` query parameter (what y-websocket sends). */
export function tokenFrom(url: URL, authorization: string | undefined): string | null {
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim()
  return url.searchParams.get('token')
}
