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
