import type { HostApi, HostMethodName } from '../../../shared/host/api.ts'
import { HOST_METHOD_NAMES } from '../../../shared/host/method-names.ts'
import { BRIDGE_SECRET_HEADER, type BridgeReply } from '../../../shared/host/web-bridge.ts'
import type { HealthReport } from './health.ts'

/** A refused or failed host call; `code` is the bridge's error code (e.g. `invalid_argument`). */
export class HostCallError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'HostCallError'
    this.code = code
  }
}

/** What the page says when the bridge process does not answer (stopped, or crashed). */
export function hostUnreachableMessage(baseUrl: string): string {
  return `The Signoff host at ${new URL(baseUrl).host} does not answer: it was stopped. Start it again (npm run web); your work is kept in this tab until then.`
}

/**
 * The host API over the localhost bridge: one function per method, built from the shared method
 * list so it cannot drift from the API. Uses only `fetch`, so it runs in the page and in tests.
 */
export function createWebHost(
  baseUrl: string,
  secret: string,
  fetchImpl: typeof fetch = fetch,
  onHealth: (health: HealthReport) => void = () => {},
): HostApi {
  const call = async (name: HostMethodName, input: unknown): Promise<unknown> => {
    const sentAt = performance.now()
    let response: Response
    try {
      response = await fetchImpl(new URL(`/host/${name}`, baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [BRIDGE_SECRET_HEADER]: secret },
        body: JSON.stringify({ input }),
      })
    } catch {
      // Nothing answers at the bridge's address: it was stopped (or crashed).
      const message = hostUnreachableMessage(baseUrl)
      onHealth({ lost: true, message })
      throw new HostCallError('host_unreachable', message)
    }
    onHealth({ lost: false, sentAt })
    let reply: BridgeReply
    try {
      reply = (await response.json()) as BridgeReply
    } catch {
      throw new HostCallError('bad_reply', `The host answered ${response.status} without JSON.`)
    }
    if (!reply.ok) throw new HostCallError(reply.error.code, reply.error.message)
    return reply.result
  }
  return Object.fromEntries(
    HOST_METHOD_NAMES.map((name) => [name, (input: unknown) => call(name, input)]),
  ) as unknown as HostApi
}
