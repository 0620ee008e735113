/**
 * Where a document stands with the team's relay, as the app tells it: the same words whether a
 * window talks to the relay itself (a page without a host) or the host does it for the window
 * (doc-sync.ts, RELAY messages).
 */

export type RelayState = 'connecting' | 'synced' | 'offline'

export interface RelayStatus {
  state: RelayState
  /** Why it is not synced, when something failed (a refused token, an unreachable relay). */
  error?: string
  /** Offline because the person chose "Work offline". */
  chosen?: boolean
}

/** Close codes the relay uses for refusals that retrying will not fix. */
const FATAL_CLOSE = new Map<number, string>([
  [4401, 'The relay refused the invite token (missing or unknown).'],
  [4403, 'The relay refused access to this workspace with this token (revoked or for another workspace).'],
])

/** A close code after which the connection must not be retried. */
export const isFatalClose = (code: number): boolean => FATAL_CLOSE.has(code)

/** What to say when the relay closed the connection; undefined for an ordinary close. */
export function closeMessage(code: number, reason: string): string | undefined {
  const fatal = FATAL_CLOSE.get(code)
  if (fatal) return `${fatal}${reason ? ` (${reason})` : ''}`
  if (code >= 4000) return `The relay closed the connection: ${reason || code}`
  return undefined
}

export const unreachableMessage = (url: string): string =>
  `Cannot reach the relay at ${url}; working offline.`
