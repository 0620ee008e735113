/**
 * The one private detail of y-websocket the host relies on: each WebsocketProvider adds a process
 * 'exit' listener (`_exitHandler`) to drop its presence when Node exits. The host shows no
 * presence, and with hundreds of documents open Node warns of a listener leak; the listener is
 * taken off again. test/integration/host/provider-internals.test.ts fails when y-websocket changes.
 */
import type { WebsocketProvider } from 'y-websocket'

export function detachExitHandler(provider: WebsocketProvider): boolean {
  const handler = (provider as unknown as { _exitHandler?: () => void })._exitHandler
  if (typeof handler !== 'function' || typeof process === 'undefined') return false
  process.off('exit', handler)
  return true
}

/**
 * A stock provider re-sends every awareness change it hears, other members' included. The relay
 * takes a presence id as owned by the live connection that sends it, so when a member's own
 * connection drops, the host's echo of their state would claim their id for the host's member and
 * the relay then refuses that member's next edit. The host shows no presence and passes none on:
 * its provider's awareness listener (`_awarenessUpdateHandler`) is taken off.
 */
export function detachAwarenessEcho(provider: WebsocketProvider): boolean {
  const handler = (provider as unknown as { _awarenessUpdateHandler?: (...args: unknown[]) => void })
    ._awarenessUpdateHandler
  if (typeof handler !== 'function') return false
  provider.awareness.off('update', handler)
  return true
}
