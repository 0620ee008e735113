/**
 * Whose a relay token is, as the relay says (`GET /api/whoami`). The host signs for a member of a
 * relay workspace only with a token the relay vouches is that member's, so one member's window on
 * a shared computer cannot have the host sign as another member who also uses it. Answers are
 * remembered for the run: a member confirmed once may act while the relay is away.
 */

export type TokenCheck = { ok: true } | { ok: false; reason: string }

export class TokenIdentities {
  private readonly known = new Map<string, string>()

  /** Does the relay say `token` is `memberId`'s, with write access, in `workspaceId`? */
  async check(relayUrl: string, token: string, workspaceId: string, memberId: string): Promise<TokenCheck> {
    const id = `${relayUrl}\n${token}`
    const known = this.known.get(id)
    if (known !== undefined) return this.judge(known, workspaceId, memberId)
    let base: string
    try {
      const url = new URL(relayUrl)
      url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
      base = url.href.replace(/\/$/, '')
    } catch {
      return { ok: false, reason: 'This workspace’s relay address is not valid.' }
    }
    let response: Response
    try {
      response = await fetch(`${base}/api/whoami`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5000),
      })
    } catch {
      return {
        ok: false,
        reason:
          'The relay cannot be reached to confirm this membership, and until it has been confirmed once the host signs nothing for it. Try again once the relay is back.',
      }
    }
    if (!response.ok)
      return { ok: false, reason: `The relay did not accept this workspace’s token (${response.status}).` }
    const who = (await response.json().catch(() => null)) as {
      workspaceId?: unknown
      memberId?: unknown
      access?: unknown
    } | null
    const value =
      who && typeof who.memberId === 'string' ? `${who.workspaceId}\n${who.memberId}\n${who.access}` : ''
    this.known.set(id, value)
    return this.judge(value, workspaceId, memberId)
  }

  private judge(value: string, workspaceId: string, memberId: string): TokenCheck {
    const [ws, member, access] = value.split('\n')
    if (ws !== workspaceId || member !== memberId)
      return {
        ok: false,
        reason:
          'The relay says this window’s token belongs to someone else, so the host signs nothing for it as you.',
      }
    if (access === 'read') return { ok: false, reason: 'Your token on this relay can only read.' }
    return { ok: true }
  }
}
