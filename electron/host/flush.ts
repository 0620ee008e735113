/** What `requestFlush` needs from a shell: a way to ask, and a way to hear the answers. */
export interface FlushChannel {
  /** Ask the renderer to flush; it answers with the same request id. */
  send(requestId: number): void
  /** Listen to answers (request ids); returns a function that stops listening. */
  onAck(listener: (requestId: number) => void): () => void
}

let nextRequestId = 1

/**
 * Ask a renderer to write its pending local edits and wait for its answer, but never longer than
 * `timeoutMs`: a hung or crashed renderer must not keep the app from quitting. Resolves to what
 * happened, never rejects.
 */
export function requestFlush(
  channel: FlushChannel,
  timeoutMs: number,
): Promise<'flushed' | 'timeout' | 'failed'> {
  const requestId = nextRequestId++
  return new Promise((resolve) => {
    let stop: () => void = () => {}
    const timer = setTimeout(() => {
      stop()
      resolve('timeout')
    }, timeoutMs)
    stop = channel.onAck((id) => {
      if (id !== requestId) return
      clearTimeout(timer)
      stop()
      resolve('flushed')
    })
    try {
      channel.send(requestId)
    } catch {
      clearTimeout(timer)
      stop()
      resolve('failed')
    }
  })
}
