import type { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import type { Duplex } from 'node:stream'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { authorize, tokenFrom } from './auth.ts'
import { CLOSE } from './close-codes.ts'
import { Conn } from './connection.ts'
import { GroupCommit, type RefuseUpdate } from './group-commit.ts'
import { makeHttpHandler, sqliteTrace } from './http-api.ts'
import { type Limits, resolveLimits } from './limits.ts'
import { encodeAwareness, encodeSyncStep1 } from './messages.ts'
import { handleMessage, type ProtocolContext, reject } from './protocol.ts'
import { makeRefusalLog, type Refusal } from './refusal-log.ts'
import type { Room } from './room.ts'
import { Rooms } from './rooms.ts'
import { makeSend } from './send.ts'
import { newStats, type RelayStats } from './stats.ts'
import { startCheckpointer } from './store/checkpointer.ts'
import { DB_FILE, type Durability, openDatabase } from './store/db.ts'
import { type DataDirLock, lockDataDir } from './store/lock.ts'
import { type Access, type TokenInfo, TokenStore, tokenIdOf } from './store/tokens.ts'
import { UpdateLog } from './store/update-log.ts'
import { openWalSync, type WalSync } from './store/wal-sync.ts'

export interface RelayOptions {
  /** 0 picks a free port; `Relay.port` tells which. */
  port: number
  /** Interface to bind; default 127.0.0.1. Use 0.0.0.0 to serve the local network. */
  host?: string
  /** Directory for relay.sqlite (update log, checkpoints, token hashes). Created if missing. */
  dataDir: string
  limits?: Partial<Limits>
  /** 'disk' (default) syncs every group commit to the disk; 'process' survives a relay crash only (db.ts). */
  durability?: Durability
  /**
   * How 'disk' durability reaches the disk; default: fdatasync of the WAL (wal-sync.ts). Tests
   * put a slow or failing disk here.
   */
  walSync?: (dataDir: string, db: DatabaseSync) => WalSync
  log?: (line: string) => void
}

export interface Relay {
  port: number
  /** ws://host:port, what y-websocket's WebsocketProvider takes as serverUrl. */
  url: string
  limits: Limits
  /** Flushes pending updates, closes every connection (1001) and the database. */
  close(): Promise<void>
  createToken(args: { workspaceId: string; memberId: string; access: Access }): { id: string; token: string }
  listTokens(workspaceId?: string): TokenInfo[]
  /** Revokes the token and closes its open connections (4401). False when no live token has the id. */
  revokeToken(id: string): boolean
  stats(): RelayStats & {
    loadedDocuments: number
    commits: number
    /** WAL syncs (durability 'disk'), failed ones, and how long the last 1024 took. */
    syncs: number
    syncFailures: number
    syncMs: { p50: number; p99: number; max: number; samples: number } | null
    /** Bytes received and not yet durable now, the most ever, and how often reading was paused. */
    heldBytes: number
    peakHeldBytes: number
    pressureEvents: number
  }
}

const HEARTBEAT_MS = 30_000
const REVOCATION_SWEEP_MS = 2_000
const WAL_CHECKPOINT_MS = 5_000
/** About half the preallocated WAL (wal-sync.ts), in 4 KiB pages. */
const WAL_CATCH_UP_FRAMES = 4096

/**
 * Start a relay: y-websocket protocol, token auth, durable append-only update log and the trace
 * API, all on one port. The desktop app calls this inside its host process to serve a small team
 * on the local network; `cli.ts` wraps it for a standalone server.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const limits = resolveLimits(options.limits)
  const logLine = options.log ?? (() => {})
  const host = options.host ?? '127.0.0.1'
  // SQLite commits without syncing; with 'disk' the relay syncs the WAL itself (group-commit.ts).
  const db = openDatabase(options.dataDir, 'normal')
  let lock: DataDirLock
  try {
    lock = lockDataDir(options.dataDir, 'starting another')
  } catch (err) {
    db.close()
    throw err
  }
  let wal: WalSync | null = null
  try {
    if ((options.durability ?? 'disk') === 'disk')
      wal = options.walSync
        ? options.walSync(options.dataDir, db)
        : openWalSync(options.dataDir, db, undefined, logLine)
  } catch (err) {
    db.close()
    lock.release()
    throw err
  }
  const log = new UpdateLog(db)
  const tokens = new TokenStore(db)
  const stats = newStats()
  const send = makeSend(limits.maxBufferedBytes, () => stats.slowDisconnected++)
  const rooms = new Rooms(log, limits, send, logLine)
  const refused = makeRefusalLog(logLine)
  // A refused update closes its sender only; it was never applied, logged or broadcast.
  const refuseUpdate: RefuseUpdate = (p, refusal) => {
    if (refusal.kind === 'unknown' && p.beforeAnswer) {
      // A client that edits while it reconnects: its answer to our step 1, already on its way,
      // carries this content with what it builds on. Dropped, not refused.
      stats.outOfSyncUpdates++
    } else if (refusal.kind === 'unknown') {
      stats.outOfSyncUpdates++
      reject(ctx, p.conn, CLOSE.outOfSync, `update refused: ${refusal.message}`.slice(0, 120))
    } else if (refusal.kind === 'internal') {
      stats.internalErrors++
      reject(ctx, p.conn, CLOSE.loadFailed, 'internal error')
    } else {
      stats.unsafeUpdates++
      reject(ctx, p.conn, CLOSE.malformed, `update refused: ${refusal.message}`.slice(0, 120))
    }
  }
  const commit = new GroupCommit(log, rooms, wal, logLine, refuseUpdate, send)
  // Memory for updates waiting on the disk is bounded: past the limit no connection is read from
  // until the backlog has drained to half of it (TCP then slows the senders down).
  commit.maxHeldBytes = limits.maxPendingBytes
  commit.onPressure = (over) => {
    logLine(
      over
        ? `${commit.heldBytes} bytes of updates wait for the disk: reading paused`
        : 'the backlog drained: reading resumed',
    )
    for (const room of rooms.loaded.values())
      for (const conn of room.conns) {
        if (over) conn.pause()
        else conn.resume()
      }
  }
  const ctx: ProtocolContext = { limits, commit, send, stats, refused }
  let closing = false

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
    WebSocket: Conn,
  })

  /**
   * Whatever throws in one connection's code path closes that connection (4500, the client
   * retries) and is logged; the relay and the other documents go on.
   */
  function internalError(conn: Conn, where: string, err: unknown): void {
    stats.internalErrors++
    const who = `doc=${JSON.stringify(conn.room?.name ?? '')} member=${conn.grant?.memberId ?? '-'} token=${conn.grant?.tokenId ?? '-'}`
    logLine(`internal error in ${where} (${who}): ${(err as Error)?.stack ?? String(err)}`)
    try {
      conn.close(CLOSE.loadFailed, 'internal error')
    } catch {
      conn.terminate()
    }
  }

  // Shared listeners (`this` is the connection) rather than closures per connection.
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    try {
      handleMessage(ctx, this as Conn, data as Buffer, isBinary)
    } catch (err) {
      internalError(this as Conn, 'message', err)
    }
  }
  function onPong(this: WebSocket): void {
    ;(this as Conn).alive = true
  }
  function onError(this: WebSocket): void {
    // Socket errors end in 'close'; nothing to add.
  }
  function onClose(this: WebSocket): void {
    const conn = this as Conn
    const room = conn.room
    if (!room) return
    conn.room = null
    stats.connections--
    try {
      room.remove(conn)
    } catch (err) {
      internalError(conn, 'close', err)
    }
    rooms.released(room)
  }
  // ws closes a socket that breaks framing rules (oversized frame, bad opcode) with a bare 1009
  // or 1002; this runs first and closes it with the relay's code and a reason.
  function onReceiverError(this: { conn?: Conn }, err: Error & { code?: string }): void {
    const conn = this.conn
    if (!conn) return
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      stats.tooLarge++
      reject(ctx, conn, CLOSE.tooLarge, `frame larger than ${limits.maxFrameBytes} bytes`)
    } else {
      reject(ctx, conn, CLOSE.malformed, `invalid frame: ${err.message}`.slice(0, 120))
    }
  }

  function refuse(req: IncomingMessage, socket: Duplex, head: Buffer, refusal: Refusal): undefined {
    stats.refused++
    refused(refusal)
    wss.handleUpgrade(req, socket, head, (ws) => ws.close(refusal.code, refusal.reason))
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): undefined {
    socket.on('error', () => {})
    try {
      upgrade(req, socket, head)
    } catch (err) {
      stats.internalErrors++
      logLine(
        `internal error in upgrade of ${req.url?.split('?')[0]}: ${(err as Error)?.stack ?? String(err)}`,
      )
      socket.destroy()
    }
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): undefined {
    const url = new URL(req.url ?? '/', 'http://relay')
    const token = tokenFrom(url, req.headers.authorization)
    const at = { doc: url.pathname.slice(1), token: tokenIdOf(token) }
    if (closing)
      return refuse(req, socket, head, { ...at, code: CLOSE.unavailable, reason: 'relay shutting down' })
    if (stats.connections >= limits.maxConnections)
      return refuse(req, socket, head, { ...at, code: CLOSE.unavailable, reason: 'relay full' })
    let name: string
    try {
      name = decodeURIComponent(url.pathname.slice(1))
    } catch {
      return refuse(req, socket, head, { ...at, code: CLOSE.malformed, reason: 'invalid document name' })
    }
    at.doc = name
    const auth = authorize(tokens, token, name)
    if (!auth.ok)
      return refuse(req, socket, head, {
        ...at,
        member: auth.grant?.memberId,
        code: auth.code,
        reason: auth.reason,
      })
    const member = { ...at, member: auth.grant.memberId }
    let room: Room
    try {
      room = rooms.open(name)
    } catch (err) {
      logLine(`loading ${name} failed: ${(err as Error).message}`)
      return refuse(req, socket, head, {
        ...member,
        code: CLOSE.loadFailed,
        reason: 'document failed to load',
      })
    }
    // ws completes the handshake inside handleUpgrade or not at all (it answers a bad key, version
    // or method with 400, and drops a socket that is already closed, without calling back). A
    // slot is taken and the room held only by a completed handshake (accept); otherwise the room
    // is released here like one whose last connection left.
    let accepted = false
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        accepted = true
        const conn = ws as Conn
        conn.grant = auth.grant
        accept(conn, room)
      })
    } finally {
      if (!accepted) rooms.released(room)
    }
  }

  function accept(conn: Conn, room: Room): void {
    // Should ws ever call back later, the room may have been unloaded meanwhile.
    if (rooms.loaded.get(room.name) !== room) {
      try {
        room = rooms.open(room.name)
      } catch {
        conn.close(CLOSE.loadFailed, 'document failed to load')
        return
      }
    }
    stats.connections++
    conn.room = room
    room.add(conn)
    if (commit.pressured) conn.pause()
    conn.on('message', onMessage)
    conn.on('close', onClose)
    conn.on('error', onError)
    conn.on('pong', onPong)
    try {
      const receiver = (conn as unknown as { _receiver?: EventEmitter & { conn?: Conn } })._receiver
      if (receiver) {
        receiver.conn = conn
        receiver.prependListener('error', onReceiverError)
      }
      // Writers get our state vector so they send what we lack; read-only clients would only send
      // updates we drop.
      if (!conn.readOnly) send(conn, encodeSyncStep1(room.doc))
      const states = room.awareness.getStates()
      if (states.size > 0) send(conn, encodeAwareness(room.awareness, Array.from(states.keys())))
    } catch (err) {
      internalError(conn, 'accept', err)
    }
  }

  const server = createServer(makeHttpHandler(sqliteTrace(log, tokens), () => commit.durable()))
  server.on('upgrade', onUpgrade)
  server.on('clientError', (_err, socket) => socket.destroy())

  const heartbeat = setInterval(() => {
    for (const room of rooms.loaded.values()) {
      for (const conn of room.conns) {
        if (!conn.alive) {
          conn.terminate()
          continue
        }
        conn.alive = false
        conn.ping()
      }
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()

  function closeConnectionsOf(ids: Set<string>): void {
    for (const room of rooms.loaded.values()) {
      for (const conn of room.conns) {
        if (conn.grant && ids.has(conn.grant.tokenId)) conn.close(CLOSE.unauthorized, 'token revoked')
      }
    }
  }
  // Tokens revoked by the CLI in another process: drop their live connections too.
  let lastSweep = Date.now()
  const sweep = setInterval(() => {
    const since = lastSweep - 1000
    lastSweep = Date.now()
    try {
      const revoked = tokens.revokedSinceTime(since)
      if (revoked.length > 0) closeConnectionsOf(new Set(revoked))
    } catch (err) {
      logLine(`revocation sweep failed: ${(err as Error).message}`)
    }
  }, REVOCATION_SWEEP_MS)
  sweep.unref()

  let checkpointedAt = 0
  const requestCheckpoint = () => {
    if (commit.commits === checkpointedAt) return
    checkpointedAt = commit.commits
    checkpointer.request()
  }
  // SQLite starts the WAL over from its beginning only once a checkpoint has copied every frame,
  // and under steady writes frames keep arriving while one runs. When the WAL gets long, the next
  // checkpoint follows at once: each has less to copy than the last, until one catches up and the
  // WAL is reused (bounded on disk, and its blocks are the preallocated ones).
  const checkpointer = startCheckpointer(join(options.dataDir, DB_FILE), logLine, (r) => {
    if (r.log > WAL_CATCH_UP_FRAMES && !closing) requestCheckpoint()
  })
  const walCheckpoint = setInterval(requestCheckpoint, WAL_CHECKPOINT_MS)
  walCheckpoint.unref()

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (err) {
    // The port is taken (or not ours): leave nothing behind, so a retry on another port works.
    clearInterval(heartbeat)
    clearInterval(sweep)
    clearInterval(walCheckpoint)
    await checkpointer.close()
    wal?.close()
    db.close()
    lock.release()
    throw err
  }
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host

  let closed: Promise<void> | null = null
  async function close(): Promise<void> {
    closing = true
    clearInterval(heartbeat)
    clearInterval(sweep)
    clearInterval(walCheckpoint)
    // What was accepted goes out to the clients before they are closed.
    commit.flush()
    await commit.durable()
    const conns: Conn[] = []
    for (const room of rooms.loaded.values()) conns.push(...room.conns)
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const conn of conns) conn.close(CLOSE.goingAway, 'relay shutting down')
    // Give clients a moment to answer the close handshake, then cut whoever did not.
    await new Promise((r) => setTimeout(r, 200))
    for (const conn of conns) conn.terminate()
    server.closeAllConnections()
    await serverClosed
    commit.flush()
    await commit.durable()
    rooms.closeAll()
    wal?.syncNow() // the checkpoints rooms.closeAll wrote
    await checkpointer.close()
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    wal?.close()
    db.close()
    lock.release()
  }

  return {
    port,
    url: `ws://${urlHost}:${port}`,
    limits,
    close: () => {
      closed ??= close()
      return closed
    },
    createToken: (args) => {
      const created = tokens.create(args)
      wal?.syncNow()
      return created
    },
    listTokens: (workspaceId) => tokens.list(workspaceId),
    revokeToken: (id) => {
      const ok = tokens.revokeToken(id)
      wal?.syncNow()
      if (ok) closeConnectionsOf(new Set([id]))
      return ok
    },
    stats: () => ({
      ...stats,
      loadedDocuments: rooms.loaded.size,
      commits: commit.commits,
      syncs: commit.syncs,
      syncFailures: commit.syncFailures,
      syncMs: commit.syncTimes.summary(),
      heldBytes: commit.heldBytes,
      peakHeldBytes: commit.peakHeldBytes,
      pressureEvents: commit.pressureEvents,
    }),
  }
}
