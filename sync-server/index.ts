/**
 * The relay's public module: the only file the desktop app may import (a lint rule says so).
 *
 *   const relay = await startRelay({ port: 0, host: '0.0.0.0', dataDir, log: console.log })
 *   const { id, token } = relay.createToken({ workspaceId, memberId, access: 'write' })
 *   new WebsocketProvider(relay.url, workspaceId, doc, { params: { token } })
 *   await relay.close()
 */
export { CLOSE } from './close-codes.ts'
export { DEFAULT_LIMITS, type Limits } from './limits.ts'
export { type Relay, type RelayOptions, startRelay } from './relay.ts'
export type { RelayStats } from './stats.ts'
export type { Durability } from './store/db.ts'
// The store, for the desktop host's local copy of the same log (electron/host/replica/log.ts).
export { openDatabase } from './store/db.ts'
export type { Access, TokenInfo } from './store/tokens.ts'
export { UpdateLog } from './store/update-log.ts'
export { type RelayThreadOptions, startRelayThread, type ThreadRelay } from './thread-relay.ts'
