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
import { type ChildServer, runChild, serveParent } from './relay-child.ts'

const [kind, database, fanout, nodeId] = process.argv.slice(2)
/**
 * A run's documents unload (a checkpoint each) a second after its clients left, within the pause
 * the benchmark leaves after each run: with the default 10 s they landed in a later run's figures.
 */
const limits = { unloadAfterMs: 1000 }

async function start(): Promise<ChildServer> {
  if (kind === 'cluster') {
    const node = await startClusterNode({
      port: 0,
      database: database!,
      fanout: fanout!,
      nodeId: nodeId!,
      limits,
    })
    return {
      port: node.port,
      token: async () =>
        (await node.createToken({ workspaceId: 'B', memberId: 'bench', access: 'write' })).token,
      stats: () => ({ stats: node.stats(), cpu: process.cpuUsage() }),
      stop: () => node.close(),
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'signoff-bench-'))
  const relay = await startRelay({ port: 0, dataDir, limits })
  return {
    port: relay.port,
    token: () => relay.createToken({ workspaceId: 'B', memberId: 'bench', access: 'write' }).token,
    stats: () => ({ stats: relay.stats(), cpu: process.cpuUsage() }),
    stop: async () => {
      await relay.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

runChild(async () => serveParent(await start()))
