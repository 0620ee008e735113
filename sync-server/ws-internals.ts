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
