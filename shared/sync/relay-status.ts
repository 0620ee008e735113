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

/**
 * Close codes the relay uses for refusals that retrying will not fix: what happened, and what the
 * person can do. The same words whether the token was an invite or one entered in Settings.
 */
const FATAL_CLOSE = new Map<number, { what: string; help: string }>([
  [4401, { what: 'The relay refused the token', help: 'Ask whoever runs the relay for a new one.' }],
  [
    4403,
    {
      what: 'The relay refused this token access to this workspace',
      help: 'It was revoked, or it is for another workspace: ask for a new one.',
    },
  ],
])

/** A close code after which the connection must not be retried. */
export const isFatalClose = (code: number): boolean => FATAL_CLOSE.has(code)

/** What to say when the relay closed the connection; undefined for an ordinary close. */
export function closeMessage(code: number, reason: string): string | undefined {
  const fatal = FATAL_CLOSE.get(code)
  // The relay's own reason ("token revoked") goes in once, in brackets.
  if (fatal) return `${fatal.what}${reason ? ` (${reason})` : ''}. ${fatal.help}`
  if (code >= 4000) return `The relay closed the connection: ${reason || code}`
  return undefined
}

export const unreachableMessage = (url: string): string =>
  `Cannot reach the relay at ${url}; working offline.`
