/**
 * One server under relay-cluster.bench.ts, as its own process so its CPU and memory are its own:
 * `cluster <database> <redis> <nodeId>` (a cluster node) or `sqlite` (the embedded relay,
 * durability disk). IPC: sends {port} when listening; answers 'token' with a write token,
 * 'stats' with the relay's stats and the process's CPU time, 'mem' with memoryUsage after GC.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startClusterNode } from '../../sync-server/cluster/node.ts'
import { startRelay } from '../../sync-server/index.ts'

const [kind, database, fanout, nodeId] = process.argv.slice(2)
const gc = (globalThis as { gc?: () => void }).gc

async function main(): Promise<void> {
  let port: number
  let token: () => Promise<string>
  let stats: () => unknown
  let stop: () => Promise<void>
  if (kind === 'cluster') {
    const node = await startClusterNode({ port: 0, database: database!, fanout: fanout!, nodeId: nodeId! })
    port = node.port
    token = async () =>
      (await node.createToken({ workspaceId: 'B', memberId: 'bench', access: 'write' })).token
    stats = () => node.stats()
    stop = () => node.close()
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-bench-'))
    const relay = await startRelay({ port: 0, dataDir })
    port = relay.port
    token = async () => relay.createToken({ workspaceId: 'B', memberId: 'bench', access: 'write' }).token
    stats = () => relay.stats()
    stop = async () => {
      await relay.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  process.on('message', async (msg: string) => {
    if (msg === 'token') process.send!({ token: await token() })
    if (msg === 'stats') process.send!({ stats: stats(), cpu: process.cpuUsage() })
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
