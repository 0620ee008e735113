import * as decoding from 'lib0/decoding'
import { AwarenessRefused, applyAwareness } from './awareness.ts'
import { CLOSE } from './close-codes.ts'
import type { Conn } from './connection.ts'
import type { Pending } from './group-commit.ts'
import type { Limits } from './limits.ts'
import { encodeAwareness, MSG_AWARENESS, MSG_QUERY_AWARENESS, MSG_SYNC } from './messages.ts'
import type { RefusalLog } from './refusal-log.ts'
import type { Send } from './send.ts'
import type { RelayStats } from './stats.ts'
import { clientsOf, isEmptyUpdate, parseChecked, type Refused } from './update-check.ts'
import type { ParsedUpdate } from './update-parse.ts'

/**
 * Where accepted updates go (group-commit.ts for the embedded relay, cluster/commit-loop.ts for a
 * cluster node) and who answers a client's sync step 1 once what it would see is durable.
 */
export interface CommitQueue {
  enqueue(p: Pending): void
  /** Throws on a malformed state vector (the caller closes the connection). */
  answerSync(conn: Conn, stateVector: Uint8Array): void
}

export interface ProtocolContext {
  limits: Limits
  commit: CommitQueue
  send: Send
  stats: RelayStats
  refused: RefusalLog
}

class Malformed extends Error {}

/**
 * Handle one frame from an authenticated connection. Anything that is not exactly a y-websocket
 * message closes the connection with a reason; nothing malformed reaches a document or the log.
 */
export function handleMessage(
  ctx: ProtocolContext,
  conn: Conn,
  data: Uint8Array,
  isBinary: boolean,
): undefined {
  const room = conn.room
  if (!room || conn.readyState !== 1) return
  if (!isBinary) return reject(ctx, conn, CLOSE.malformed, 'text frames are not accepted')
  if (!conn.takeMessage(ctx.limits.maxMessagesPerSecond, ctx.limits.messageBurst, performance.now())) {
    ctx.stats.rateLimited++
    return reject(ctx, conn, CLOSE.rateLimited, 'message rate limit exceeded')
  }
  try {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    if (type === MSG_SYNC) {
      const step = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      end(decoder)
      if (step === 0) {
        ctx.commit.answerSync(conn, payload)
      } else if (step === 1 || step === 2) {
        onUpdate(ctx, conn, payload)
        if (step === 1) conn.answered = true
      } else {
        throw new Malformed(`unknown sync message ${step}`)
      }
    } else if (type === MSG_AWARENESS) {
      const payload = decoding.readVarUint8Array(decoder)
      end(decoder)
      const limits = { maxStates: ctx.limits.maxAwarenessStates, maxStateBytes: ctx.limits.maxAwarenessBytes }
      try {
        applyAwareness(room.awareness, room.awarenessOwners, conn, payload, limits)
      } catch (err) {
        ctx.stats.awarenessRefused++
        if (err instanceof AwarenessRefused) throw new Malformed(err.message)
        throw err
      }
    } else if (type === MSG_QUERY_AWARENESS) {
      end(decoder)
      ctx.send(conn, encodeAwareness(room.awareness, Array.from(room.awareness.getStates().keys())))
    } else {
      throw new Malformed(`unknown message type ${type}`)
    }
  } catch (err) {
    const detail = err instanceof Malformed ? err.message : 'undecodable message'
    reject(ctx, conn, CLOSE.malformed, `malformed message: ${detail}`)
  }
}

function end(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new Malformed('trailing bytes')
}

function onUpdate(ctx: ProtocolContext, conn: Conn, payload: Uint8Array): undefined {
  const room = conn.room!
  if (conn.readOnly) {
    // y-protocols' advice for read-only users: keep them synced, ignore what they send.
    ctx.stats.readOnlyDropped++
    return
  }
  if (isEmptyUpdate(payload)) return
  let update: ParsedUpdate
  try {
    update = parseChecked(payload)
  } catch (err) {
    ctx.stats.undecodable++
    throw new Malformed((err as Refused).message)
  }
  if (room.bytes + room.queuedBytes + payload.length > ctx.limits.maxDocumentBytes) {
    ctx.stats.tooLarge++
    return reject(ctx, conn, CLOSE.tooLarge, 'document size limit reached')
  }
  const grant = conn.grant!
  ctx.commit.enqueue({
    room,
    conn,
    member: grant.memberId,
    token: grant.tokenId,
    update,
    beforeAnswer: !conn.answered,
    clients: clientsOf(update),
    // A copy: the frame's buffer may be a view into a larger socket chunk.
    data: payload.slice(),
  })
}

/** What closing a connection for cause needs: the counters and the operator's log. */
export type Rejecting = Pick<ProtocolContext, 'stats' | 'refused'>

/** Close `conn` with a code and reason, counted and logged (rate-limited) for the operator. */
export function reject(ctx: Rejecting, conn: Conn, code: number, reason: string): undefined {
  ctx.stats.closed++
  ctx.refused({
    code,
    reason,
    doc: conn.room?.name ?? '',
    member: conn.grant?.memberId,
    token: conn.grant?.tokenId,
  })
  conn.close(code, reason)
}

/** A refused update closes its sender only; it was never applied, logged or broadcast. */
export function refuseUpdate(ctx: Rejecting, p: Pending, refusal: Refused): void {
  if (refusal.kind === 'unknown' && p.beforeAnswer) {
    // A client that edits while it reconnects: its answer to our step 1, already on its way,
    // carries this content with what it builds on. Dropped, not refused.
    ctx.stats.outOfSyncUpdates++
  } else if (refusal.kind === 'unknown') {
    ctx.stats.outOfSyncUpdates++
    reject(ctx, p.conn, CLOSE.outOfSync, `update refused: ${refusal.message}`.slice(0, 120))
  } else if (refusal.kind === 'internal') {
    ctx.stats.internalErrors++
    reject(ctx, p.conn, CLOSE.loadFailed, 'internal error')
  } else {
    ctx.stats.unsafeUpdates++
    reject(ctx, p.conn, CLOSE.malformed, `update refused: ${refusal.message}`.slice(0, 120))
  }
}
