/**
 * The relay, running in a worker thread that thread-relay.ts started: it starts the relay with the
 * options it was given, says where it listens (or why it could not), passes the relay's log lines
 * up, and answers the token requests and the close. Nothing else runs in this thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { type Relay, startRelay } from './relay.ts'
import type { FromThread, RelayThreadOptions, ToThread } from './thread-relay.ts'

if (!parentPort) throw new Error('relay-thread.ts runs in a worker thread: start it with startRelayThread')
const port = parentPort
const post = (message: FromThread) => port.postMessage(message)
const options = workerData as RelayThreadOptions

async function serve(): Promise<void> {
  let relay: Relay
  try {
    relay = await startRelay({ ...options, log: (line) => post({ kind: 'log', line }) })
  } catch (err) {
    const code = (err as { code?: unknown }).code
    post({
      kind: 'failed',
      message: err instanceof Error ? err.message : String(err),
      ...(typeof code === 'string' ? { code } : {}),
    })
    // Nothing listens on the port: the thread ends.
    port.close()
    return
  }
  post({ kind: 'started', port: relay.port, url: relay.url })
  port.on('message', async (request: ToThread) => {
    const { id } = request
    try {
      switch (request.op) {
        case 'createToken':
          return post({ kind: 'reply', id, result: relay.createToken(request.args) })
        case 'listTokens':
          return post({ kind: 'reply', id, result: relay.listTokens(request.workspaceId) })
        case 'revokeToken':
          return post({ kind: 'reply', id, result: relay.revokeToken(request.tokenId) })
        case 'close':
          await relay.close()
          post({ kind: 'reply', id, result: null })
          return port.close()
      }
    } catch (err) {
      post({ kind: 'reply', id, error: err instanceof Error ? err.message : String(err) })
    }
  })
}

await serve()
