import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { checkGrant, tokenFrom } from './auth.ts'
import type { Backend } from './backend.ts'
import { CLOSE } from './close-codes.ts'
import { Conn } from './connection.ts'
import type { Limits } from './limits.ts'
import { encodeAwareness, encodeSyncStep1 } from './messages.ts'
import { handleMessage, type ProtocolContext, reject } from './protocol.ts'
import type { Refusal } from './refusal-log.ts'
import type { Room } from './room.ts'
import { tokenIdOf } from './store/tokens.ts'
import { onFrameError } from './ws-internals.ts'

export interface Door {
  /** The HTTP server's 'upgrade' listener. */
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
}

/**
 * The relay's door, the same for every store: the WebSocket upgrade (capacity, document name,
 * token, loading the room) and each accepted connection's listeners. Whatever throws in one
 * connection's code path closes that connection (4500, the client retries) and is logged; the
 * relay and the other documents go on.
 */
function ignore(): void {}

export function makeDoor(
  limits: Limits,
  backend: Backend,
  ctx: ProtocolContext,
  logLine: (line: string) => void,
  isClosing: () => boolean,
): Door {
  const { stats, send } = ctx
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
    WebSocket: Conn,
  })

  const { internalError, attach } = connectionListeners(limits, backend, ctx, logLine)

  function refuse(req: IncomingMessage, socket: Duplex, head: Buffer, refusal: Refusal): undefined {
    stats.refused++
    ctx.refused(refusal)
    if (socket.destroyed) return
    wss.handleUpgrade(req, socket, head, (ws) => ws.close(refusal.code, refusal.reason))
  }

  function upgradeFailed(req: IncomingMessage, socket: Duplex, err: unknown): void {
    stats.internalErrors++
    logLine(`internal error in upgrade of ${req.url?.split('?')[0]}: ${(err as Error)?.stack ?? String(err)}`)
    socket.destroy()
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A listener that captures nothing: a closure here would hold this request for as long as
    // the socket lives (1 KiB and more per idle connection).
    socket.on('error', ignore)
    try {
      upgrade(req, socket, head).catch((err: unknown) => upgradeFailed(req, socket, err))
    } catch (err) {
      upgradeFailed(req, socket, err)
    }
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<undefined> {
    const url = new URL(req.url ?? '/', 'http://relay')
    const token = tokenFrom(url, req.headers.authorization)
    const at = { doc: url.pathname.slice(1), token: tokenIdOf(token) }
    if (isClosing())
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
    let grant: Awaited<ReturnType<Backend['verify']>> = null
    try {
      // The embedded relay answers at once; a cluster node may read PostgreSQL.
      if (token) grant = await backend.verify(token)
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
      room = await backend.open(name)
    } catch (err) {
      logLine(`loading ${name} failed: ${(err as Error).message}`)
      return refuse(req, socket, head, {
        ...at,
        member: auth.grant.memberId,
        code: CLOSE.loadFailed,
        reason: 'document failed to load',
      })
    }
    if (socket.destroyed || isClosing()) {
      // Gone (or shutting down) while the room loaded.
      backend.released(room)
      if (!socket.destroyed) socket.destroy()
      return
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
      if (!accepted) backend.released(room)
    }
  }

  function accept(conn: Conn, room: Room): void {
    // Should ws ever call back later, the room may have been unloaded meanwhile.
    if (backend.loaded(room.name) !== room) {
      conn.close(CLOSE.loadFailed, 'document unloaded, retry')
      return
    }
    stats.connections++
    conn.room = room
    room.add(conn)
    if (backend.pressured()) conn.pause()
    try {
      attach(conn)
      // Writers get our state vector so they send what we lack; read-only clients would only send
      // updates we drop.
      if (!conn.readOnly) send(conn, encodeSyncStep1(room.doc))
      const states = room.awareness.getStates()
      if (states.size > 0) send(conn, encodeAwareness(room.awareness, Array.from(states.keys())))
    } catch (err) {
      internalError(conn, 'accept', err)
    }
  }

  return { onUpgrade }
}

/**
 * Each accepted connection's listeners: shared functions (`this` is the connection) rather than
 * closures per connection, which keeps an idle connection small.
 */
function connectionListeners(
  limits: Limits,
  backend: Backend,
  ctx: ProtocolContext,
  logLine: (line: string) => void,
) {
  const { stats } = ctx
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
    backend.released(room)
  }
  // ws closes a socket that breaks framing rules (oversized frame, bad opcode) with a bare 1009
  // or 1002; this runs first and closes it with the relay's code and a reason.
  function onReceiverError(this: { owner?: Conn }, err: Error & { code?: string }): void {
    const conn = this.owner
    if (!conn) return
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      stats.tooLarge++
      reject(ctx, conn, CLOSE.tooLarge, `frame larger than ${limits.maxFrameBytes} bytes`)
    } else {
      reject(ctx, conn, CLOSE.malformed, `invalid frame: ${err.message}`.slice(0, 120))
    }
  }

  function attach(conn: Conn): void {
    conn.on('message', onMessage)
    conn.on('close', onClose)
    conn.on('error', onError)
    conn.on('pong', onPong)
    onFrameError(conn, conn, onReceiverError)
  }

  return { internalError, attach }
}
