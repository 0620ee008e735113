/**
 * One server under benchmark, as a child process of relay.bench.ts so its memory is measured
 * alone: `signoff` (this repository's relay, default limits, data in a temp dir) or `reference`
 * (@y/websocket-server 0.1.1, in-memory, exactly as its own server.js wires it).
 * IPC: sends {port} when listening; answers 'token' with a write token, 'stats' with the relay's
 * stats (disk sync times), 'mem' with process.memoryUsage() after forced GC, and 'share-start' and
 * 'share' with the server's own share of each edit's time, and 'phases:N' with Signoff's relay's
 * phases (BENCH_RELAY_PHASES).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'
import { startRelay } from '../../sync-server/index.ts'
import { tracePhases } from './phase-trace.ts'
import { type ChildServer, runChild, serveParent } from './relay-child.ts'
import { traceServerShare } from './time-split.ts'

const kind = process.argv[2]
// 'share-start' starts recording when each update arrived and when the server was done with it;
// 'share' answers {share} with what was recorded since, and starts over (see time-split.ts).
const share = traceServerShare(kind === 'reference' ? 'reference' : 'signoff')
// With BENCH_RELAY_PHASES, Signoff's relay also records each edit's phases (phase-trace.ts) from
// 'share-start', and 'phases:N' answers {phases} with its report over the last N edits.
const phases =
  process.env.BENCH_RELAY_PHASES && kind !== 'reference'
    ? tracePhases(process.env.BENCH_RELAY_PHASES === 'profile')
    : null
process.on('message', async (msg: string) => {
  if (msg === 'share-start') {
    share.start()
    await phases?.start()
    process.send!({ ok: true })
  }
  if (typeof msg === 'string' && msg.startsWith('phases:')) {
    const dump = process.env.BENCH_RELAY_PHASES_DUMP
    const counted = Number(msg.slice('phases:'.length))
    process.send!({
      phases: phases ? await phases.report(counted, dump && `${dump}-${kind}-${counted}.json`) : '',
    })
  }
  if (msg === 'share') process.send!({ share: share.take() })
})

async function start(): Promise<ChildServer> {
  if (kind === 'signoff' || kind === 'signoff-process') {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-bench-'))
    const relay = await startRelay({ port: 0, dataDir, durability: kind === 'signoff' ? 'disk' : 'process' })
    const token = relay.createToken({ workspaceId: 'B', memberId: 'bench', access: 'write' }).token
    return {
      port: relay.port,
      token: () => token,
      stats: () => relay.stats(),
      stop: async () => {
        await relay.close()
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  const server = createServer((_req, res) => res.end('okay'))
  const wss = new WebSocketServer({ noServer: true })
  wss.on('connection', setupWSConnection)
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    token: () => '',
    stats: () => ({ syncMs: null }),
    stop: async () => {
      server.closeAllConnections()
      server.close()
    },
  }
}

runChild(async () => serveParent(await start()))
