import type { Conn } from './connection.ts'

export type Send = (conn: Conn, message: Uint8Array) => void

/**
 * Backpressure: a client that stops reading is dropped once this much is queued for it, instead
 * of the relay buffering without bound. Checked before each send, so one large message (the
 * first sync of a big document) still goes out whole.
 */
export function makeSend(maxBufferedBytes: number, onSlow: (conn: Conn) => void): Send {
  return (conn, message) => {
    if (conn.readyState !== 1) return
    if (conn.bufferedAmount > maxBufferedBytes) {
      onSlow(conn)
      conn.terminate()
      return
    }
    conn.send(message)
  }
}
