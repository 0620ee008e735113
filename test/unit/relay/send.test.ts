import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { Conn } from '../../../sync-server/connection.ts'
import { makeSend } from '../../../sync-server/send.ts'
import { frameBinary, writeFrame } from '../../../sync-server/ws-internals.ts'

/**
 * The relay's broadcast writes one frame it built itself to every socket (send.ts). Over real ws
 * connections: what arrives is what ws itself would have delivered, in order with ws's own sends,
 * and the backpressure limit still drops a client that stops reading.
 */
interface Peer {
  ws: WebSocket
  got: Buffer[]
}

let wss: WebSocketServer | null = null
const peers: Peer[] = []
afterEach(async () => {
  for (const p of peers.splice(0)) p.ws.terminate()
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()))
  wss = null
})

async function connect(n: number): Promise<Conn[]> {
  const server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    WebSocket: Conn,
    perMessageDeflate: false,
  })
  wss = server
  await new Promise<void>((r) => server.once('listening', r))
  const conns: Conn[] = []
  server.on('connection', (c: Conn) => conns.push(c))
  const port = (server.address() as AddressInfo).port
  for (let i = 0; i < n; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false })
    const peer = { ws, got: [] as Buffer[] }
    ws.on('message', (d: Buffer) => peer.got.push(d))
    peers.push(peer)
    await new Promise((r) => ws.once('open', r))
  }
  while (conns.length < n) await new Promise((r) => setTimeout(r, 5))
  return conns
}

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(ok()).toBe(true)
}

describe('broadcast frames', () => {
  it('ws on this side has the fields the frame is written through', async () => {
    const [conn] = await connect(1)
    expect(writeFrame(conn!, frameBinary(bytes(3, 1)))).toBe(true)
    await until(() => peers[0]!.got.length === 1)
    expect([...peers[0]!.got[0]!]).toEqual([...bytes(3, 1)])
  })

  it('every length form arrives whole, in order with single sends, to all but the sender', async () => {
    const conns = await connect(3)
    const send = makeSend(64 * 1024 * 1024, () => {})
    // 0 and 125: length in the first byte; 126 and 65535: 16 bits; 65536 and more: 64 bits.
    const sizes = [0, 1, 125, 126, 65535, 65536, 300_000]
    const expected: number[][] = []
    for (const [i, n] of sizes.entries()) {
      const single = bytes(7, 100 + i)
      send(conns[1]!, single)
      send(conns[2]!, single)
      const m = bytes(n, i)
      expect(send.all(conns, m, conns[0]!)).toBe(2)
      expected.push([...single], [...m])
    }
    await until(() => peers[1]!.got.length === expected.length && peers[2]!.got.length === expected.length)
    for (const p of [peers[1]!, peers[2]!]) expect(p.got.map((b) => [...b])).toEqual(expected)
    expect(peers[0]!.got).toEqual([])
  })

  it('skips closed connections and drops one past the buffered-bytes limit', async () => {
    const conns = await connect(3)
    const slow: Conn[] = []
    const send = makeSend(64 * 1024, (c) => slow.push(c))
    // A peer that stops reading: what the relay writes piles up in its socket's buffer.
    ;(peers[1]!.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    conns[2]!.close()
    await until(() => conns[2]!.readyState === WebSocket.CLOSED)
    const big = bytes(512 * 1024, 9)
    for (let i = 0; i < 40 && slow.length === 0; i++) {
      send.all(conns, big, null)
      await new Promise((r) => setTimeout(r, 5))
    }
    expect(slow).toEqual([conns[1]])
    await until(() => conns[1]!.readyState === WebSocket.CLOSED)
    // The reader got every frame whole; the closed one got nothing.
    expect(peers[0]!.got.length).toBeGreaterThan(0)
    for (const b of peers[0]!.got) expect(b.equals(Buffer.from(big))).toBe(true)
    expect(send.all(conns, bytes(5, 1), null)).toBe(1)
    await until(() => peers[0]!.got.some((b) => b.length === 5))
    expect(peers[2]!.got).toEqual([])
  })
})
