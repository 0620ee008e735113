import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Backend, BackendTools } from './backend.ts'
import { CLOSE } from './close-codes.ts'
import type { Conn } from './connection.ts'
import { makeHttpHandler } from './http-api.ts'
import { type Limits, resolveLimits } from './limits.ts'
import { type ProtocolContext, refuseUpdate } from './protocol.ts'
import { makeRefusalLog } from './refusal-log.ts'
import { makeSend, type Send } from './send.ts'
import { newStats, type RelayStats } from './stats.ts'
import { makeDoor } from './upgrade.ts'

export interface CoreOptions {
  /** 0 picks a free port; `port` tells which. */
  port: number
  /** Interface to bind; default 127.0.0.1. Use 0.0.0.0 to serve the local network. */
  host?: string
  limits?: Partial<Limits>
  log?: (line: string) => void
}

export interface Core<B extends Backend> {
  port: number
  /** ws://host:port, what y-websocket's WebsocketProvider takes as serverUrl. */
  url: string
  limits: Limits
  backend: B
  stats: RelayStats
  /** Messages sent to clients (updates, sync answers, awareness). */
  deliveries(): number
  closeConnectionsOf(ids: Set<string>): void
  /** Drains what was accepted, closes every connection (1001), then the backend. Idempotent. */
  close(): Promise<void>
}

const HEARTBEAT_MS = 30_000

/**
 * The relay, whatever its store: y-websocket protocol, token auth, limits, awareness and the
 * trace API on one port, with the store and the fan-out behind a Backend (backend.ts). The
 * embedded relay (relay.ts) and a cluster node (cluster/node.ts) are this with another backend.
 */
export async function startCore<B extends Backend>(
  options: CoreOptions,
  build: (tools: BackendTools) => Promise<B> | B,
): Promise<Core<B>> {
  const limits = resolveLimits(options.limits)
  const logLine = options.log ?? (() => {})
  const host = options.host ?? '127.0.0.1'
  const stats = newStats()
  let deliveries = 0
  const rawSend = makeSend(limits.maxBufferedBytes, () => stats.slowDisconnected++)
  const send: Send = (conn, message) => {
    deliveries++
    rawSend(conn, message)
  }
  send.all = (conns, message, except) => {
    const sent = rawSend.all(conns, message, except)
    deliveries += sent
    return sent
  }
  const refused = makeRefusalLog(logLine)
  let closing = false

  function connections(): Conn[] {
    const conns: Conn[] = []
    for (const room of backend.rooms()) conns.push(...room.conns)
    return conns
  }
  function closeConnectionsOf(ids: Set<string>): void {
    for (const conn of connections())
      if (conn.grant && ids.has(conn.grant.tokenId)) conn.close(CLOSE.unauthorized, 'token revoked')
  }
  const backend = await build({
    limits,
    logLine,
    stats,
    send,
    refuseUpdate: (p, refusal) => refuseUpdate(ctx, p, refusal),
    setReading(paused) {
      for (const conn of connections()) {
        if (paused) conn.pause()
        else conn.resume()
      }
    },
    closeConnectionsOf,
  })
  const ctx: ProtocolContext = { limits, commit: backend.commit, send, stats, refused }
  const door = makeDoor(limits, backend, ctx, logLine, () => closing)

  const server = createServer(makeHttpHandler(backend.trace, () => backend.durable()))
  server.on('upgrade', door.onUpgrade)
  server.on('clientError', (_err, socket) => socket.destroy())

  const heartbeat = setInterval(() => {
    for (const conn of connections()) {
      if (!conn.alive) {
        conn.terminate()
        continue
      }
      conn.alive = false
      conn.ping()
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()

  // Tokens revoked by the CLI in another process (or on another node): drop their connections.
  const sweep = setInterval(() => {
    const live = new Set<string>()
    for (const conn of connections()) if (conn.grant) live.add(conn.grant.tokenId)
    Promise.resolve()
      .then(() => backend.revokedAmong(live))
      .then(
        (revoked) => {
          if (revoked.length > 0) closeConnectionsOf(new Set(revoked))
        },
        (err: Error) => logLine(`revocation sweep failed: ${err.message}`),
      )
  }, backend.revocationSweepMs)
  sweep.unref()

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
    closing = true
    clearInterval(heartbeat)
    clearInterval(sweep)
    await backend.close()
    throw err
  }
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host

  async function close(): Promise<void> {
    closing = true
    clearInterval(heartbeat)
    clearInterval(sweep)
    // What was accepted goes out to the clients before they are closed.
    await backend.drain()
    const conns = connections()
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const conn of conns) conn.close(CLOSE.goingAway, 'relay shutting down')
    // Give clients a moment to answer the close handshake, then cut whoever did not.
    await new Promise((r) => setTimeout(r, 200))
    for (const conn of conns) conn.terminate()
    server.closeAllConnections()
    await serverClosed
    await backend.drain()
    await backend.close()
  }
  let closed: Promise<void> | null = null

  return {
    port,
    url: `ws://${urlHost}:${port}`,
    limits,
    backend,
    stats,
    deliveries: () => deliveries,
    closeConnectionsOf,
    close: () => {
      closed ??= close()
      return closed
    },
  }
}
