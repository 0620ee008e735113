/**
 * One server under benchmark, as a child process of relay.bench.ts so its memory is measured
 * alone: `signoff` (this repository's relay, default limits, data in a temp dir) or `reference`
 * (@y/websocket-server 0.1.1, in-memory, exactly as its own server.js wires it).
 * IPC: sends {port} when listening; answers 'token' with a write token, 'stats' with the relay's
 * stats (WAL sync times) and 'mem' with process.memoryUsage() after forced GC.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'
import { startRelay } from '../../sync-server/index.ts'

const kind = process.argv[2]
const gc = (globalThis as { gc?: () => void }).gc

async function main(): Promise<void> {
  let port: number
  let token = ''
  let stop: () => Promise<void>
  let stats: () => unknown = () => ({ syncMs: null })
  if (kind === 'signoff' || kind === 'signoff-process') {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-bench-'))
    const relay = await startRelay({ port: 0, dataDir, durability: kind === 'signoff' ? 'disk' : 'process' })
    token = relay.createToken({ workspaceId: 'B', memberId: 'bench', access: 'write' }).token
    port = relay.port
    stats = () => relay.stats()
    stop = async () => {
      await relay.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  } else {
    const server = createServer((_req, res) => res.end('okay'))
    const wss = new WebSocketServer({ noServer: true })
    wss.on('connection', setupWSConnection)
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
    stop = async () => {
      server.closeAllConnections()
      server.close()
    }
  }
  process.on('message', async (msg: string) => {
    if (msg === 'token') process.send!({ token })
    if (msg === 'stats') process.send!(stats())
    if (msg === 'mem') {
      await new Promise((r) => setTimeout(r, 100))
      for (let i = 0; i < 4; i++) gc?.()
      process.send!({ mem: process.memoryUsage() })
    }
    if (msg === 'stop') {
      await stop()
      process.exit(0)
    }
  })
  process.send!({ port })
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
