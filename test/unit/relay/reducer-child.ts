// For thread-relay.test.ts: starts alloc-worker.ts in a worker, plainly or as startRelayThread
// starts the relay's (`flags`), in a process run with --trace-gc and --trace-memory-reducer.
import { Worker } from 'node:worker_threads'
import { withRelayFlags } from '../../../sync-server/thread-relay.ts'

const entry = new URL('./alloc-worker.ts', import.meta.url)
const worker = process.argv[2] === 'flags' ? withRelayFlags(() => new Worker(entry)) : new Worker(entry)
worker.on('exit', (code) => process.exit(code))
