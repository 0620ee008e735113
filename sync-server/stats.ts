/** Counters the relay keeps for operators and tests: what it refused and why. */
export interface RelayStats {
  connections: number
  /** Updates sent by read-only connections, dropped. */
  readOnlyDropped: number
  /** Updates that did not decode or break the grammar's rules (update-parse.ts). */
  undecodable: number
  /** Updates refused by the check against the document: forks, self-references, ones that did not apply. */
  unsafeUpdates: number
  /** Updates that build on content the relay does not have (the sender is told to resync). */
  outOfSyncUpdates: number
  /** Awareness messages refused (size, nesting, too many states for one connection). */
  awarenessRefused: number
  /** Errors in a connection's or document's code path that were caught and closed the culprit. */
  internalErrors: number
  rateLimited: number
  tooLarge: number
  /** Clients dropped because they stopped reading. */
  slowDisconnected: number
  /** Connections the relay closed for a protocol or limit violation. */
  closed: number
  /** Connections refused at the door (token, workspace, name, capacity, load failure). */
  refused: number
}

export function newStats(): RelayStats {
  return {
    connections: 0,
    readOnlyDropped: 0,
    undecodable: 0,
    unsafeUpdates: 0,
    outOfSyncUpdates: 0,
    awarenessRefused: 0,
    internalErrors: 0,
    rateLimited: 0,
    tooLarge: 0,
    slowDisconnected: 0,
    closed: 0,
    refused: 0,
  }
}

/** The last `size` durations (ms) of something, for percentiles: what an operator asks of the disk. */
export class DurationWindow {
  private readonly samples: Float64Array
  private next = 0
  private count = 0

  constructor(size = 1024) {
    this.samples = new Float64Array(size)
  }

  add(ms: number): void {
    this.samples[this.next] = ms
    this.next = (this.next + 1) % this.samples.length
    if (this.count < this.samples.length) this.count++
  }

  /** p50, p99 and max of the window; null before the first sample. */
  summary(): { p50: number; p99: number; max: number; samples: number } | null {
    if (this.count === 0) return null
    const s = this.samples.slice(0, this.count).sort()
    const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!
    return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1]!, samples: this.count }
  }
}
