import type { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { checkGrant, tokenFrom } from '../auth.ts'
import { CLOSE } from '../close-codes.ts'
import { Conn } from '../connection.ts'
import { integrate, type Pending } from '../group-commit.ts'
import { makeHttpHandler } from '../http-api.ts'
import { type Limits, resolveLimits } from '../limits.ts'
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from '../messages.ts'
import { type CommitQueue, handleMessage, type ProtocolContext, reject } from '../protocol.ts'
import { makeRefusalLog, type Refusal } from '../refusal-log.ts'
import { Room } from '../room.ts'
import { makeSend } from '../send.ts'
import { DurationWindow, newStats, type RelayStats } from '../stats.ts'
import type { Access, Grant, TokenInfo } from '../store/tokens.ts'
import { tokenIdOf } from '../store/tokens.ts'
import { Refused } from '../update-check.ts'
import { connectFanout, type Fanout, INLINE_NOTICE_BYTES, type Notice, type NoticeRow } from './fanout.ts'
import { type DocAppend, PgStore, type Row, secretMatches } from './pg-store.ts'

/**
 * One node of the relay cluster: the same y-websocket protocol, checks, limits and trace API as
 * the embedded relay, with PostgreSQL as the log and Redis pub/sub as the notice channel between
 * nodes (cluster/pg-store.ts, cluster/fanout.ts).
 *
 * All work on the log runs in one loop per node, one step at a time: catch up on what other
 * nodes committed, then one group commit of every update accepted meanwhile. Accepted updates
 * wait in their room's inbox, unapplied, until a commit round takes them: the live document is
 * therefore the committed log prefix `room.seq`, plus, while a round's transaction is in flight,
 * that round's updates. A sync answer computed then waits for the round's end. A round whose
 * compare-and-set finds the document's head moved on (another node wrote) leaves that document
 * out; the room is rebuilt from the log and its updates go back to the inbox, where those the log
 * already has integrate as no-ops and are dropped (no duplicate rows).
 *
 * Nothing is broadcast before COMMIT returned: a client never sees an update PostgreSQL could
 * lose (synchronous_commit=on).
 */

export type FaultPoint = 'before-commit' | 'after-commit' | 'after-notice'

export interface ClusterOptions {
  port: number
  host?: string
  /** postgres://… */
  database: string
  /** redis://… */
  fanout: string
  nodeId?: string
  limits?: Partial<Limits>
  log?: (line: string) => void
  /** Seconds between heads checks (default 1.5 s): what repairs lost notices. */
  headsCheckMs?: number
  /**
   * Test-only: SIGKILL this process at that point of the first round that writes rows. Also read
   * from SIGNOFF_RELAY_FAULT.
   */
  fault?: FaultPoint
}

export interface ClusterStats extends RelayStats {
  loadedDocuments: number
  commits: number
  /** Rounds that found a document's head moved on (another node wrote it first). */
  behind: number
  /** Messages sent to clients (updates and sync answers). */
  deliveries: number
  pgCommitMs: { p50: number; p99: number; max: number; samples: number } | null
  notices: number
  noticeMs: number
  remoteRows: number
  /** Bytes of updates accepted and not yet committed; past --max-pending-bytes reading pauses. */
  heldBytes: number
  pressured: boolean
}

export interface ClusterNode {
  port: number
  url: string
  nodeId: string
  limits: Limits
  close(): Promise<void>
  createToken(args: {
    workspaceId: string
    memberId: string
    access: Access
  }): Promise<{ id: string; token: string }>
  listTokens(workspaceId?: string): Promise<TokenInfo[]>
  revokeToken(id: string): Promise<boolean>
  stats(): ClusterStats
}

interface RoomState {
  /** Accepted, not yet taken by a commit round, in arrival order. */
  inbox: Pending[]
  /** Notices from other nodes, not yet applied. */
  remote: Notice[]
  /** Highest head the heads check or a notice announced. */
  target: number
  /** The live document may hold what the log has not (a lost compare-and-set, a failed apply). */
  stale: boolean
  /** Sync answers waiting for the round in flight. */
  waiters: [Conn, Uint8Array][]
  awarenessIds: Set<number>
  awarenessTimer: NodeJS.Timeout | null
}

const HEARTBEAT_MS = 30_000
const REVOCATION_SWEEP_MS = 1_000
const AWARENESS_COALESCE_MS = 30
const REMOTE = 'remote'
/** Owner of awareness ids whose connection is on another node: no local connection may set them. */
const REMOTE_OWNER = { grant: null, awarenessIds: null } as unknown as Conn

export async function startClusterNode(options: ClusterOptions): Promise<ClusterNode> {
  const limits = resolveLimits(options.limits)
  const logLine = options.log ?? (() => {})
  const host = options.host ?? '127.0.0.1'
  const nodeId = options.nodeId ?? `node-${process.pid}`
  let fault = options.fault ?? (process.env.SIGNOFF_RELAY_FAULT as FaultPoint | undefined)
  const pgModule = await import('pg')
  const pg = (pgModule as unknown as { default?: typeof pgModule }).default ?? pgModule
  const pool = new pg.Pool({
    connectionString: options.database,
    max: 8,
    connectionTimeoutMillis: 5000,
    // Acknowledged means on PostgreSQL's disk, whatever the server's default says.
    options: '-c synchronous_commit=on',
  })
  pool.on('error', (err) => logLine(`postgres: idle connection lost: ${err.message}`))
  const store = new PgStore(pool, nodeId)
  try {
    await store.migrate()
  } catch (err) {
    await pool.end().catch(() => {})
    throw new Error(`cannot use the database: ${(err as Error).message}`)
  }

  const stats = newStats()
  let deliveries = 0
  const rawSend = makeSend(limits.maxBufferedBytes, () => stats.slowDisconnected++)
  const send = (conn: Conn, message: Uint8Array) => {
    deliveries++
    rawSend(conn, message)
  }
  const refused = makeRefusalLog(logLine)
  const rooms = new Map<string, Room>()
  const states = new Map<Room, RoomState>()
  const loading = new Map<string, Promise<Room>>()
  const unloading = new Map<string, Promise<void>>()
  /** Notices for documents being loaded: applied once loaded (subscribe first, then read). */
  const early = new Map<string, Notice[]>()
  const inFlight = new Set<Room>()
  const pgCommitTimes = new DurationWindow()
  let commits = 0
  let behindCount = 0
  let remoteRows = 0
  let closing = false

  const fanout: Fanout = await connectFanout(
    options.fanout,
    nodeId,
    {
      notice(n) {
        if (n.node === nodeId) return
        const e = early.get(n.doc)
        if (e) {
          e.push(n)
          return
        }
        const room = rooms.get(n.doc)
        if (!room) return
        states.get(room)!.remote.push(n)
        kick()
      },
      awareness(doc, from, update) {
        if (from === nodeId) return
        const room = rooms.get(doc)
        if (!room) return
        if (update === null) {
          const mine = [...room.awarenessOwners].filter(([, c]) => c !== REMOTE_OWNER).map(([id]) => id)
          if (mine.length > 0)
            fanout.awareness(doc, awarenessProtocol.encodeAwarenessUpdate(room.awareness, mine))
          return
        }
        try {
          awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE)
        } catch (err) {
          logLine(`awareness from ${from} for ${doc} not applied: ${(err as Error).message}`)
        }
      },
      revoked(id) {
        tokenCache.delete(id)
        closeConnectionsOf(new Set([id]))
      },
    },
    logLine,
  )

  // ── tokens: PostgreSQL behind a per-node cache, emptied by revocation notices and the sweep ──
  const tokenCache = new Map<string, { hash: Uint8Array; grant: Grant }>()
  async function verify(token: string | null | undefined): Promise<Grant | null> {
    if (!token) return null
    const m = /^so_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(token)
    if (!m) return null
    const id = m[1]!
    let hit = tokenCache.get(id)
    if (!hit) {
      const r = await pool.query('SELECT * FROM tokens WHERE id = $1', [id])
      const row = r.rows[0]
      if (!row || row.revoked_at !== null) return null
      hit = {
        hash: new Uint8Array(row.secret_hash),
        grant: { tokenId: row.id, workspaceId: row.workspace, memberId: row.member, access: row.access },
      }
      tokenCache.set(id, hit)
    }
    return secretMatches(hit.hash, m[2]!) ? hit.grant : null
  }

  function closeConnectionsOf(ids: Set<string>): void {
    for (const room of rooms.values())
      for (const conn of room.conns)
        if (conn.grant && ids.has(conn.grant.tokenId)) conn.close(CLOSE.unauthorized, 'token revoked')
  }

  const sweep = setInterval(() => {
    const ids = new Set(tokenCache.keys())
    for (const room of rooms.values()) for (const c of room.conns) if (c.grant) ids.add(c.grant.tokenId)
    store.revokedAmong([...ids]).then(
      (revoked) => {
        if (revoked.length === 0) return
        for (const id of revoked) tokenCache.delete(id)
        closeConnectionsOf(new Set(revoked))
      },
      (err: Error) => logLine(`revocation sweep failed: ${err.message}`),
    )
  }, REVOCATION_SWEEP_MS)
  sweep.unref()

  // ── the commit queue the protocol feeds ──
  const refuseUpdate = (p: Pending, refusal: Refused) => {
    if (refusal.kind === 'unknown' && p.beforeAnswer) {
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
  const queue: CommitQueue = {
    enqueue(p) {
      const s = states.get(p.room)
      if (!s) return
      p.room.queued++
      p.room.queuedBytes += p.data.length
      s.inbox.push(p)
      hold(p.data.length)
      kick()
    },
    answerSync(conn, stateVector) {
      Y.decodeStateVector(stateVector) // throws on garbage: the connection is closed as malformed
      const room = conn.room!
      const s = states.get(room)
      if (!s) return // the room was dropped; this connection is being closed
      if (inFlight.has(room) || s.stale) s.waiters.push([conn, stateVector])
      else send(conn, encodeSyncStep2(Y.encodeStateAsUpdate(room.doc, stateVector)))
    },
  }
  const ctx: ProtocolContext = { limits, commit: queue, send, stats, refused }

  // ── the loop: catch up, then commit, one step at a time ──
  let running = false
  let again = false
  const idle: (() => void)[] = []
  function kick(): void {
    again = true
    if (running) return
    running = true
    setImmediate(loop)
  }
  async function loop(): Promise<void> {
    try {
      while (again) {
        again = false
        let failed = false
        for (const [room, s] of states) {
          if (s.stale || s.remote.length > 0 || s.target > room.seq) {
            await catchUp(room, s).catch((err: Error) => {
              failed = true
              logLine(`catching up on ${room.name} failed: ${err.message}`)
            })
          }
        }
        // The database is unreachable: try again a little later rather than at once.
        if (failed) await new Promise((r) => setTimeout(r, 250))
        await round()
        // Updates a lost compare-and-set put back, or that arrived during the round.
        for (const st of states.values()) if (st.inbox.length > 0 || st.stale) again = true
      }
    } catch (err) {
      logLine(`internal error in the commit loop: ${(err as Error).stack}`)
    } finally {
      running = false
      if (again) kick()
      else for (const fn of idle.splice(0)) fn()
    }
  }
  function whenIdle(): Promise<void> {
    if (!running && !again) return Promise.resolve()
    return new Promise((r) => idle.push(r))
  }

  function applyRow(room: Room, s: RoomState, row: NoticeRow | Row): boolean {
    if (row.seq <= room.seq) return true
    if (row.seq !== room.seq + 1) return false
    if (room.apply(row.data) === 'failed') {
      s.stale = true
      return false
    }
    room.seq = row.seq
    room.bytes += row.data.length
    for (const c of row.clients) if (!room.clientOwners.has(c)) room.clientOwners.set(c, row.member)
    remoteRows++
    room.broadcast(encodeUpdate(row.data), null)
    return true
  }

  async function catchUp(room: Room, s: RoomState): Promise<void> {
    if (s.stale) return rebuild(room, s)
    const notices = s.remote.sort((a, b) => a.firstSeq - b.firstSeq)
    s.remote = []
    for (const n of notices) {
      s.target = Math.max(s.target, n.firstSeq + n.count - 1)
      if (n.rows && n.firstSeq <= room.seq + 1) for (const r of n.rows) if (!applyRow(room, s, r)) break
    }
    if (s.stale) return rebuild(room, s)
    if (s.target > room.seq) {
      const rows = await store.rows(room.name, room.seq, s.target)
      if (rooms.get(room.name) !== room) return
      for (const r of rows) if (!applyRow(room, s, r)) break
      if (s.stale) return rebuild(room, s)
    }
    answerWaiters(room, s)
  }

  /** Build the room again from the log and send its clients the rows they lack. */
  async function rebuild(room: Room, s: RoomState): Promise<void> {
    const old = room.seq
    const snap = await store.load(room.name, old)
    if (rooms.get(room.name) !== room) return
    room.rebuild(snap)
    for (const [c, m] of snap.owners) if (!room.clientOwners.has(c)) room.clientOwners.set(c, m)
    s.stale = false
    s.target = Math.max(s.target, room.seq)
    for (const r of snap.rows) if (r.seq > old) room.broadcast(encodeUpdate(r.data), null)
    answerWaiters(room, s)
  }

  function answerWaiters(room: Room, s: RoomState): void {
    if (s.stale || inFlight.has(room)) return
    for (const [conn, sv] of s.waiters.splice(0))
      if (conn.room === room) send(conn, encodeSyncStep2(Y.encodeStateAsUpdate(room.doc, sv)))
  }

  async function round(): Promise<void> {
    const docs: DocAppend[] = []
    const taken = new Map<Room, Pending[]>()
    for (const [room, s] of states) {
      if (s.inbox.length === 0 || s.stale) continue
      const batch = s.inbox
      s.inbox = []
      const changed: Pending[] = []
      for (let i = 0; i < batch.length; i++) {
        const p = batch[i]!
        let half = false
        const r = integrate(p, logLine, () => {
          half = true
        })
        if (r === 'changed') {
          changed.push(p)
          continue
        }
        release(p)
        if (r instanceof Refused) refuseUpdate(p, r)
        if (half) {
          // The live document may be half-changed: what follows waits for the rebuild.
          s.stale = true
          s.inbox = batch.slice(i + 1).concat(s.inbox)
          break
        }
      }
      if (changed.length === 0) continue
      taken.set(room, changed)
      inFlight.add(room)
      docs.push({
        doc: room.name,
        expected: room.seq,
        rows: changed.map((p) => ({ member: p.member, token: p.token, clients: p.clients, data: p.data })),
      })
    }
    if (docs.length === 0) return
    const firstFault = fault
    const faultAt = (point: FaultPoint) => {
      if (firstFault === point) process.kill(process.pid, 'SIGKILL')
    }
    let result: Awaited<ReturnType<PgStore['append']>>
    try {
      result = await store.append(docs, () => faultAt('before-commit'))
    } catch (err) {
      // Whether it committed is unknown: nothing of it is served, every client of these
      // documents reconnects and resends what it has; the room is read again from the log.
      logLine(`commit failed, ${docs.length} documents closed: ${(err as Error).message}`)
      for (const [room, changed] of taken) {
        inFlight.delete(room)
        for (const p of changed) release(p)
        drop(room, 'the relay could not store an update')
      }
      return
    }
    fault = undefined
    faultAt('after-commit')
    commits++
    pgCommitTimes.add(result.ms)
    const published: Promise<void>[] = []
    for (const [room, changed] of taken) {
      inFlight.delete(room)
      const s = states.get(room)!
      const head = result.written.get(room.name)
      if (head === undefined) {
        // Behind: another node appended first. Rebuild from the log and integrate again.
        behindCount++
        s.stale = true
        s.inbox = changed.concat(s.inbox)
        continue
      }
      const first = room.seq + 1
      const rows: NoticeRow[] = []
      let bytes = 0
      for (const p of changed) {
        release(p)
        room.seq++
        room.bytes += p.data.length
        bytes += p.data.length
        for (const c of p.clients) if (!room.clientOwners.has(c)) room.clientOwners.set(c, p.member)
        room.broadcast(encodeUpdate(p.data), p.conn)
        rows.push({ seq: room.seq, member: p.member, clients: p.clients, data: p.data })
      }
      s.target = Math.max(s.target, room.seq)
      published.push(
        fanout.notice({
          doc: room.name,
          node: nodeId,
          firstSeq: first,
          count: rows.length,
          rows: bytes <= INLINE_NOTICE_BYTES ? rows : null,
        }),
      )
      answerWaiters(room, s)
    }
    if (firstFault === 'after-notice') {
      await Promise.all(published)
      await new Promise((r) => setTimeout(r, 20))
      faultAt('after-notice')
    }
    for (const [room, s] of states) {
      if (s.stale)
        await rebuild(room, s).catch((err: Error) => logLine(`reload of ${room.name} failed: ${err.message}`))
      if (room.seq - room.checkpointSeq >= limits.checkpointEvery && !s.stale && !inFlight.has(room)) {
        room.checkpointSeq = room.seq
        await store
          .putCheckpoint(room.name, room.seq, Y.encodeStateAsUpdate(room.doc))
          .catch((err: Error) => logLine(`checkpoint of ${room.name} failed: ${err.message}`))
      }
    }
  }

  function release(p: Pending): void {
    p.room.queued--
    p.room.queuedBytes -= p.data.length
    hold(-p.data.length)
  }

  /**
   * Memory for updates waiting on PostgreSQL is bounded (--max-pending-bytes): past it no
   * connection is read from until half of it has drained; TCP then slows the senders down.
   */
  let heldBytes = 0
  let pressured = false
  function hold(bytes: number): void {
    heldBytes += bytes
    const over = pressured ? heldBytes > limits.maxPendingBytes / 2 : heldBytes > limits.maxPendingBytes
    if (over === pressured) return
    pressured = over
    logLine(
      over
        ? `${heldBytes} bytes of updates wait for the database: reading paused`
        : 'the backlog drained: reading resumed',
    )
    for (const room of rooms.values())
      for (const conn of room.conns) {
        if (over) conn.pause()
        else conn.resume()
      }
  }

  /** Close the room's connections and forget it; the next connection reads it from the log. */
  function drop(room: Room, reason: string): void {
    const s = states.get(room)
    if (s) for (const p of s.inbox) release(p)
    rooms.delete(room.name)
    states.delete(room)
    fanout.unsubscribe(room.name)
    for (const c of [...room.conns]) c.close(CLOSE.loadFailed, reason)
    if (s?.awarenessTimer) clearTimeout(s.awarenessTimer)
    if (room.unloadTimer) clearTimeout(room.unloadTimer)
    room.destroy()
  }

  // ── rooms: one load/unload state machine per document ──
  async function open(name: string): Promise<Room> {
    for (;;) {
      const room = rooms.get(name)
      if (room) return room
      const u = unloading.get(name)
      if (u) {
        await u
        continue
      }
      const l = loading.get(name)
      if (l) return l
      const p = load(name)
      loading.set(name, p)
      try {
        return await p
      } finally {
        loading.delete(name)
      }
    }
  }

  async function load(name: string): Promise<Room> {
    early.set(name, [])
    try {
      // Subscribe first, then read: a commit after the read is announced to us.
      await fanout.subscribe(name)
      await store.ensureHead(name)
      const snap = await store.load(name)
      const room = new Room(name, snap, send)
      const s: RoomState = {
        inbox: [],
        remote: early.get(name) ?? [],
        target: room.seq,
        stale: false,
        waiters: [],
        awarenessIds: new Set(),
        awarenessTimer: null,
      }
      rooms.set(name, room)
      states.set(room, s)
      room.awareness.on(
        'update',
        (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) =>
          onAwareness(room, s, change, origin),
      )
      fanout.awareness(name, null) // ask the other nodes for their members' presence here
      if (s.remote.length > 0) kick()
      return room
    } catch (err) {
      fanout.unsubscribe(name)
      throw err
    } finally {
      early.delete(name)
    }
  }

  function onAwareness(
    room: Room,
    s: RoomState,
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void {
    if (origin === REMOTE) {
      for (const id of change.added.concat(change.updated)) room.awarenessOwners.set(id, REMOTE_OWNER)
      return
    }
    if (origin === 'timeout') return
    // A local member's presence (or its leaving): to the other nodes, coalesced.
    for (const id of change.added.concat(change.updated, change.removed))
      if (room.awarenessOwners.get(id) !== REMOTE_OWNER) s.awarenessIds.add(id)
    if (s.awarenessTimer || s.awarenessIds.size === 0) return
    s.awarenessTimer = setTimeout(() => {
      s.awarenessTimer = null
      const ids = [...s.awarenessIds]
      s.awarenessIds.clear()
      if (states.get(room) === s)
        fanout.awareness(room.name, awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids))
    }, AWARENESS_COALESCE_MS)
  }

  function released(room: Room): void {
    if (room.conns.length > 0 || room.unloadTimer || rooms.get(room.name) !== room) return
    room.unloadTimer = setTimeout(() => unload(room), limits.unloadAfterMs)
    room.unloadTimer.unref()
  }

  function unload(room: Room): void {
    room.unloadTimer = null
    const s = states.get(room)
    if (!s || room.conns.length > 0) return
    if (s.inbox.length > 0 || inFlight.has(room) || s.stale || s.remote.length > 0) {
      released(room)
      return
    }
    rooms.delete(room.name)
    states.delete(room)
    fanout.unsubscribe(room.name)
    if (s.awarenessTimer) clearTimeout(s.awarenessTimer)
    // Exactly the log up to room.seq: nothing is in flight and the inbox is empty.
    const data = room.seq > room.checkpointSeq ? Y.encodeStateAsUpdate(room.doc) : null
    const seq = room.seq
    room.destroy()
    if (!data) return
    const p = store
      .putCheckpoint(room.name, seq, data)
      .catch((err: Error) => logLine(`checkpoint of ${room.name} failed: ${err.message}`))
      .finally(() => unloading.delete(room.name))
    unloading.set(room.name, p)
  }

  // ── heads check: what repairs lost notices (Redis down or restarted) ──
  const headsCheck = setInterval(() => {
    if (rooms.size === 0) return
    store.heads([...rooms.keys()]).then(
      (heads) => {
        let behind = false
        for (const [doc, head] of heads) {
          const room = rooms.get(doc)
          const s = room && states.get(room)
          if (room && s && head > room.seq && head > s.target) {
            s.target = head
            behind = true
          }
        }
        if (behind) kick()
      },
      (err: Error) => logLine(`heads check failed: ${err.message}`),
    )
  }, options.headsCheckMs ?? 1500)
  headsCheck.unref()

  // ── connections (as in relay.ts) ──
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
    WebSocket: Conn,
  })

  function internalError(conn: Conn, where: string, err: unknown): void {
    stats.internalErrors++
    logLine(
      `internal error in ${where} (doc=${JSON.stringify(conn.room?.name ?? '')}): ${(err as Error)?.stack}`,
    )
    try {
      conn.close(CLOSE.loadFailed, 'internal error')
    } catch {
      conn.terminate()
    }
  }
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
  function onError(this: WebSocket): void {}
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
    released(room)
  }
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
  function refuse(req: IncomingMessage, socket: Duplex, head: Buffer, refusal: Refusal): void {
    stats.refused++
    refused(refusal)
    if (socket.destroyed) return
    wss.handleUpgrade(req, socket, head, (ws) => ws.close(refusal.code, refusal.reason))
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
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
    let grant: Grant | null
    try {
      grant = await verify(token)
    } catch (err) {
      logLine(`token check failed: ${(err as Error).message}`)
      return refuse(req, socket, head, { ...at, code: CLOSE.unavailable, reason: 'token store unavailable' })
    }
    const auth = checkGrant(token, grant, name)
    if (!auth.ok)
      return refuse(req, socket, head, {
        ...at,
        member: auth.grant?.memberId,
        code: auth.code,
        reason: auth.reason,
      })
    let room: Room
    try {
      room = await open(name)
    } catch (err) {
      logLine(`loading ${name} failed: ${(err as Error).message}`)
      return refuse(req, socket, head, {
        ...at,
        member: auth.grant.memberId,
        code: CLOSE.loadFailed,
        reason: 'document failed to load',
      })
    }
    if (socket.destroyed || closing) {
      released(room)
      if (!socket.destroyed) socket.destroy()
      return
    }
    let accepted = false
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        accepted = true
        const conn = ws as Conn
        conn.grant = auth.grant
        accept(conn, room)
      })
    } finally {
      if (!accepted) released(room)
    }
  }

  function accept(conn: Conn, room: Room): void {
    if (rooms.get(room.name) !== room) {
      conn.close(CLOSE.loadFailed, 'document unloaded, retry')
      return
    }
    stats.connections++
    conn.room = room
    room.add(conn)
    if (pressured) conn.pause()
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
      if (!conn.readOnly) send(conn, encodeSyncStep1(room.doc))
      const st = room.awareness.getStates()
      if (st.size > 0) send(conn, encodeAwareness(room.awareness, Array.from(st.keys())))
    } catch (err) {
      internalError(conn, 'accept', err)
    }
  }

  const server = createServer(
    makeHttpHandler(
      {
        verify,
        update: (doc, seq) => store.update(doc, seq),
        list: (doc, q) => store.list(doc, q),
        head: (doc) => store.head(doc),
        checkpoint: (doc) => store.checkpoint(doc),
        updates: (doc, after, upto) => store.updates(doc, after, upto),
      },
      // What PostgreSQL holds is committed and durable; nothing is shown before that.
      async () => true,
    ),
  )
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {})
    upgrade(req, socket, head).catch((err: unknown) => {
      stats.internalErrors++
      logLine(`internal error in upgrade: ${(err as Error)?.stack ?? String(err)}`)
      socket.destroy()
    })
  })
  server.on('clientError', (_err, socket) => socket.destroy())

  const heartbeat = setInterval(() => {
    for (const room of rooms.values())
      for (const conn of room.conns) {
        if (!conn.alive) {
          conn.terminate()
          continue
        }
        conn.alive = false
        conn.ping()
      }
  }, HEARTBEAT_MS)
  heartbeat.unref()

  await new Promise<void>((resolve, rej) => {
    server.once('error', rej)
    server.listen(options.port, host, () => {
      server.off('error', rej)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host

  let closed: Promise<void> | null = null
  async function close(): Promise<void> {
    closing = true
    clearInterval(heartbeat)
    clearInterval(sweep)
    clearInterval(headsCheck)
    kick()
    await whenIdle()
    const conns: Conn[] = []
    for (const room of rooms.values()) conns.push(...room.conns)
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const conn of conns) conn.close(CLOSE.goingAway, 'relay shutting down')
    await new Promise((r) => setTimeout(r, 200))
    for (const conn of conns) conn.terminate()
    server.closeAllConnections()
    await serverClosed
    kick()
    await whenIdle()
    for (const room of [...rooms.values()]) {
      if (room.unloadTimer) clearTimeout(room.unloadTimer)
      room.conns.length = 0
      unload(room)
    }
    await Promise.all(unloading.values())
    await fanout.close()
    await pool.end()
  }

  return {
    port,
    url: `ws://${urlHost}:${port}`,
    nodeId,
    limits,
    close: () => {
      closed ??= close()
      return closed
    },
    createToken: (args) => store.createToken(args),
    listTokens: (workspaceId) => store.listTokens(workspaceId),
    revokeToken: async (id) => {
      const ok = await store.revokeToken(id)
      if (ok) {
        tokenCache.delete(id)
        fanout.revoked(id)
        closeConnectionsOf(new Set([id]))
      }
      return ok
    },
    stats: () => ({
      ...stats,
      loadedDocuments: rooms.size,
      commits,
      behind: behindCount,
      deliveries,
      pgCommitMs: pgCommitTimes.summary(),
      notices: fanout.published,
      noticeMs: fanout.publishMs,
      remoteRows,
      heldBytes,
      pressured,
    }),
  }
}
