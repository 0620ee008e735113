/**
 * A relay in a worker thread of this process: how the desktop app hosts one (electron/host/
 * hosting.ts). Two reasons for its own thread:
 *
 * - V8's flags. A relay runs with RELAY_V8_FLAGS (node-flags.ts), but V8 reads them when it sets
 *   up an isolate's heap, and the app's host process is long started. A worker's isolate is set up
 *   when the worker starts, so the flags are turned on just for that moment.
 * - Isolation. The relay's work (a member's burst of edits, a hostile frame) does not hold up the
 *   host's own event loop, which serves the app's windows; and an error that escapes the relay's
 *   code ends this thread, not the app. The host is told (onExit) and says so.
 */
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { Worker } from 'node:worker_threads'
import type { Limits } from './limits.ts'
import { oppositeFlag, RELAY_V8_FLAGS } from './node-flags.ts'
import type { Durability } from './store/db.ts'
import type { Access, TokenAdmin } from './store/tokens.ts'

/** What the thread's relay is started with (RelayOptions, less what cannot cross threads). */
export interface RelayThreadOptions {
  port: number
  host?: string
  dataDir: string
  durability?: Durability
  limits?: Partial<Limits>
}

export type ToThread =
  | { id: number; op: 'createToken'; args: { workspaceId: string; memberId: string; access: Access } }
  | { id: number; op: 'listTokens'; workspaceId: string | undefined }
  | { id: number; op: 'revokeToken'; tokenId: string }
  | { id: number; op: 'close' }

/** A request before it has its id. */
type Request = ToThread extends infer T ? (T extends ToThread ? Omit<T, 'id'> : never) : never

export type FromThread =
  | { kind: 'started'; port: number; url: string }
  | { kind: 'failed'; message: string; code?: string }
  | { kind: 'log'; line: string }
  | { kind: 'reply'; id: number; result?: unknown; error?: string }

export interface ThreadRelay extends TokenAdmin {
  port: number
  /** ws://host:port */
  url: string
  /** Flushes pending updates, closes every connection and the database, and ends the thread. */
  close(): Promise<void>
  /** Called once if the thread ends without close(): an error escaped the relay's code. */
  onExit(listener: (error: Error) => void): void
}

/** The worker's script: relay-thread.ts beside this file, or the build's relay-thread.js. */
function defaultEntry(): string {
  const here = import.meta.url
  return fileURLToPath(new URL(here.endsWith('.ts') ? './relay-thread.ts' : './relay-thread.js', here))
}

/** Workers starting now, whose isolates are being set up with the relay's flags. */
let starting = 0
let setHere: readonly string[] = []

/** Start `make`'s worker with RELAY_V8_FLAGS on while its isolate is set up, then turn them back. */
export function withRelayFlags(make: () => Worker): Worker {
  if (starting++ === 0) {
    setHere = RELAY_V8_FLAGS.filter((flag) => !process.execArgv.includes(flag))
    for (const flag of setHere) setFlagsFromString(flag)
  }
  let done = false
  const restore = () => {
    if (done) return
    done = true
    if (--starting > 0) return
    for (const flag of setHere) setFlagsFromString(oppositeFlag(flag))
    setHere = []
  }
  let worker: Worker
  try {
    worker = make()
  } catch (err) {
    restore()
    throw err
  }
  // 'online': the worker runs JavaScript, so its heap is set up.
  worker.once('online', restore)
  worker.once('error', restore)
  worker.once('exit', restore)
  return worker
}

/** An error from the thread, with the code (EADDRINUSE …) that listen-problem.ts reads. */
function threadError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {})
}

/**
 * Start a relay in its own worker thread; resolves once it listens, rejects with the relay's own
 * error (its `code` kept) when it cannot start.
 */
export function startRelayThread(
  options: RelayThreadOptions & { log?: (line: string) => void; entry?: string },
): Promise<ThreadRelay> {
  const { log, entry, ...relayOptions } = options
  const worker = withRelayFlags(() => new Worker(entry ?? defaultEntry(), { workerData: relayOptions }))
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let closing = false
  let ended: Error | null = null
  const exitListeners: ((error: Error) => void)[] = []

  return new Promise<ThreadRelay>((resolveStart, rejectStart) => {
    let started = false
    const ask = <T>(request: Request): Promise<T> => {
      if (ended) return Promise.reject(ended)
      const id = nextId++
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
        worker.postMessage({ ...request, id })
      })
    }
    const end = (error: Error) => {
      if (ended) return
      ended = error
      for (const { reject } of pending.values()) reject(error)
      pending.clear()
      if (!started) return rejectStart(error)
      if (!closing) for (const listener of exitListeners) listener(error)
    }
    worker.on('message', (message: FromThread) => {
      switch (message.kind) {
        case 'log':
          return log?.(message.line)
        case 'failed':
          return end(threadError(message.message, message.code))
        case 'started':
          started = true
          return resolveStart({
            port: message.port,
            url: message.url,
            createToken: (args) => ask({ op: 'createToken', args }),
            listTokens: (workspaceId) => ask({ op: 'listTokens', workspaceId }),
            revokeToken: (tokenId) => ask({ op: 'revokeToken', tokenId }),
            close: async () => {
              if (ended) return
              closing = true
              await ask({ op: 'close' })
            },
            onExit: (listener) => {
              exitListeners.push(listener)
            },
          })
        case 'reply': {
          const waiting = pending.get(message.id)
          pending.delete(message.id)
          if (message.error !== undefined) waiting?.reject(new Error(message.error))
          else waiting?.resolve(message.result)
          return
        }
      }
    })
    // An error that escaped the relay's code ends the thread: 'error', then 'exit'.
    worker.on('error', (err) => end(err instanceof Error ? err : new Error(String(err))))
    worker.on('exit', (code) => end(new Error(`the relay's thread ended (exit code ${code})`)))
  })
}
