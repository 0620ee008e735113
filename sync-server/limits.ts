/**
 * Every resource a connection can make the relay spend has a cap. Each cap has a default that
 * suits a small team and a CLI flag (`--max-frame-bytes 1048576`, derived from the key's name).
 */
export interface Limits {
  /** Largest WebSocket frame a client may send; larger frames close the connection (4413). */
  maxFrameBytes: number
  /** Sustained messages per second per connection (token bucket refill rate). */
  maxMessagesPerSecond: number
  /** Messages a connection may send in a burst above the sustained rate. */
  messageBurst: number
  /** Bytes queued for a client that is not reading; past this the connection is dropped. */
  maxBufferedBytes: number
  /**
   * Bytes of updates the relay holds in memory while they wait to be stored and made durable;
   * past this it stops reading from clients until half has drained (backpressure, nothing lost).
   */
  maxPendingBytes: number
  /** Bytes of log a document may hold before further updates are refused (4413). */
  maxDocumentBytes: number
  /** Open WebSocket connections across all documents; more are refused (4503, retry later). */
  maxConnections: number
  /** How long a document with no connections stays in memory before it is unloaded. */
  unloadAfterMs: number
  /** Write a checkpoint (full state) after this many updates so loading does not replay them all. */
  checkpointEvery: number
  /** Awareness (presence) client ids one connection may control; a stock client uses one. */
  maxAwarenessStates: number
  /** Bytes of JSON one awareness state may take. */
  maxAwarenessBytes: number
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFrameBytes: 8 * 1024 * 1024,
  maxMessagesPerSecond: 200,
  messageBurst: 1000,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxPendingBytes: 64 * 1024 * 1024,
  maxDocumentBytes: 64 * 1024 * 1024,
  maxConnections: 10_000,
  unloadAfterMs: 10_000,
  checkpointEvery: 1000,
  maxAwarenessStates: 16,
  maxAwarenessBytes: 64 * 1024,
})

export const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]

/** `maxFrameBytes` → `max-frame-bytes` */
export function limitFlag(key: keyof Limits): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

export function resolveLimits(partial: Partial<Limits> = {}): Limits {
  const limits = { ...DEFAULT_LIMITS }
  for (const key of LIMIT_KEYS) {
    const value = partial[key]
    if (value === undefined) continue
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`Limit ${key} must be a number ≥ 0, got ${value}`)
    limits[key] = value
  }
  return limits
}
