import { describe, expect, it } from 'vitest'
import { DocReplica } from '../../../electron/host/replica/doc-replica.ts'
import { ReplicaLog } from '../../../electron/host/replica/log.ts'
import { tempDir } from '../publish/helpers.ts'

describe('y-websocket internals the host relies on', () => {
  it('a replica with a relay adds no process exit listener (y-websocket’s _exitHandler is taken off)', async () => {
    const log = new ReplicaLog(tempDir('signoff-provider-'))
    const before = process.listenerCount('exit')
    const replicas = Array.from(
      { length: 20 },
      (_, i) =>
        new DocReplica(`w1/o${i}`, log, { memberId: 'm1', relay: { url: 'ws://127.0.0.1:9', token: 't' } }),
    )
    expect(process.listenerCount('exit')).toBe(before)
    await Promise.all(replicas.map((r) => r.close()))
    log.close()
  })

  it('the host’s provider passes no presence on (y-websocket’s _awarenessUpdateHandler is taken off)', async () => {
    const { WebsocketProvider } = await import('y-websocket')
    const { WebSocket } = await import('ws')
    const Y = await import('yjs')
    const { detachAwarenessEcho } = await import('../../../electron/host/replica/provider-internals.ts')
    const provider = new WebsocketProvider('ws://127.0.0.1:9', 'w1', new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      connect: false,
    })
    let sent = 0
    const handler = (provider as unknown as { _awarenessUpdateHandler: unknown })._awarenessUpdateHandler
    expect(typeof handler).toBe('function')
    expect(detachAwarenessEcho(provider)).toBe(true)
    provider.awareness.on('update', () => sent++)
    provider.awareness.setLocalState({ echo: true })
    expect(sent).toBe(1)
    // Its own listener is gone: only the one this test added heard the change.
    expect(
      (provider.awareness as unknown as { _observers: Map<string, Set<unknown>> })._observers
        .get('update')
        ?.has(handler),
    ).toBe(false)
    provider.destroy()
  })
})
