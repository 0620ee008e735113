import type { EventEmitter } from 'node:events'
import type { WebSocket } from 'ws'

/**
 * ws's frame parser of a socket (`_receiver`, a private field): the relay listens for its errors
 * before ws does, so a frame that breaks the rules (too large, a bad opcode) closes with the
 * relay's own code and reason instead of ws's bare 1009 or 1002. The parser's listeners run with
 * the parser as `this`; `owner` is stored on it for them. When ws renames it, nothing is attached
 * and ws's own close stands; test/integration/relay/hostile.test.ts ("frame larger than …") then
 * fails.
 */
export function onFrameError<T>(
  socket: WebSocket,
  owner: T,
  listener: (this: { owner?: T }, err: Error & { code?: string }) => void,
): boolean {
  const receiver = (socket as unknown as { _receiver?: EventEmitter & { owner?: T } })._receiver
  if (!receiver) return false
  receiver.owner = owner
  receiver.prependListener('error', listener)
  return true
}

/**
 * A final, unmasked binary WebSocket frame (RFC 6455 §5.2) holding `message`: what ws sends from
 * a server for `send(message)` when compression is off, as the relay has it (upgrade.ts).
 */
export function frameBinary(message: Uint8Array): Buffer {
  const n = message.length
  const head = n < 126 ? 2 : n < 0x10000 ? 4 : 10
  const frame = Buffer.allocUnsafe(head + n)
  frame[0] = 0x82 // FIN, binary
  if (n < 126) frame[1] = n
  else if (n < 0x10000) {
    frame[1] = 126
    frame.writeUInt16BE(n, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(n / 0x100000000), 2)
    frame.writeUInt32BE(n >>> 0, 6)
  }
  frame.set(message, head)
  return frame
}

interface WsSender {
  _state?: number
  _queue?: unknown[]
}

/**
 * Writes a frame made by frameBinary straight to the connection's TCP socket (`_socket`, a
 * private field of ws), when nothing ws has queued could go out after it: its sender idle
 * (`_state` 0) with an empty `_queue` (ws queues only while compressing or reading a Blob, which
 * the relay never sends). The socket's buffer is still counted in `bufferedAmount`, so the
 * backpressure limit holds. Returns false, having written nothing, when ws looks different; the
 * caller then uses `send`. test/unit/relay/send.test.ts fails when ws renames these fields.
 */
export function writeFrame(socket: WebSocket, frame: Buffer): boolean {
  const ws = socket as unknown as { _socket?: { write(b: Buffer): boolean }; _sender?: WsSender }
  const sender = ws._sender
  if (!ws._socket || !sender || sender._state !== 0 || sender._queue?.length !== 0) return false
  ws._socket.write(frame)
  return true
}
