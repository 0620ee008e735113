// A relay thread for the tests that throws, uncaught, when asked for the tokens of workspace
// "crash": the real relay-thread.ts, plus a way to make an error escape the relay's code.
import { parentPort } from 'node:worker_threads'
import '../../../sync-server/relay-thread.ts'

parentPort?.on('message', (request: { op: string; workspaceId?: string }) => {
  if (request.op === 'listTokens' && request.workspaceId === 'crash') throw new Error('boom in the relay')
})
