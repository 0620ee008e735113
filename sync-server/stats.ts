/** Counters the relay keeps for operators and tests: what it refused and why. */
export interface RelayStats {
  connections: number
  /** Updates sent by read-only connections, dropped. */
  readOnlyDropped: number
  /** Updates that did not decode. */
  undecodable: number
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
    rateLimited: 0,
    tooLarge: 0,
    slowDisconnected: 0,
    closed: 0,
    refused: 0,
  }
}
