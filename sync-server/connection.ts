import { WebSocket } from 'ws'
import type { Room } from './room.ts'
import type { Grant } from './store/tokens.ts'

/**
 * One client connection. A subclass of ws's WebSocket (the server constructs it) so the relay's
 * per-connection state is a few fields on the socket object itself: no extra Map entry and no
 * per-connection closures, which keeps an idle connection small.
 */
export class Conn extends WebSocket {
  room: Room | null = null
  grant: Grant | null = null
  /** Token bucket for the message rate limit. */
  bucket = 0
  bucketAt = 0
  /** Awareness client ids this connection controls, removed when it leaves. */
  awarenessIds: Set<number> | null = null
  /** Cleared by the heartbeat, set again by the client's pong. */
  alive = true
  /**
   * Whether the client has answered the relay's sync step 1 (its step 2 carries everything the
   * relay lacked). Until then an update building on content the relay lacks is only early: the
   * answer, sent after it on the same socket, carries that content too.
   */
  answered = false

  get readOnly(): boolean {
    return this.grant?.access !== 'write'
  }

  /** Take one message from the bucket; false once the connection exceeds its rate. */
  takeMessage(perSecond: number, burst: number, now: number): boolean {
    if (this.bucketAt === 0) {
      this.bucket = burst
    } else {
      this.bucket = Math.min(burst, this.bucket + ((now - this.bucketAt) * perSecond) / 1000)
    }
    this.bucketAt = now
    if (this.bucket < 1) return false
    this.bucket -= 1
    return true
  }
}
