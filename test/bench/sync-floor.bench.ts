/**
 * npm run bench:sync-floor — how close any relay can come to issue 13's latency target on this
 * machine. Two servers that do nothing but pass a WebSocket message from a writer to a reader, one
 * of them after a 4 KiB write and fdatasync (sync-probe.ts), and the fdatasync probe alone in a
 * third process, in turn a millisecond apart as in bench:relay. The target of bench:relay, applied
 * here: the synced forwarder no slower at p99 than the plain forwarder's p99 plus the probe's.
 * Neither forwarder parses, checks or stores anything, so what the synced one misses by is the
 * floor of the disk relay's miss: a p99 of a sum is not the sum of p99s when each part has rare,
 * long tails (the disk, and a thread woken for the network and again for the disk waiting for a
 * CPU).
 */
import { fork } from 'node:child_process'
import { WebSocket, WebSocketServer } from 'ws'
import { openSyncProbe } from './sync-probe.ts'
import { quantile, quantileDiffInterval } from './timing.ts'

const EDITS = Number(process.env.BENCH_SYNC_FLOOR_EDITS ?? 3000)
const WARM_UP = 1000
const role = process.argv[2]

if (role === 'plain' || role === 'synced') {
  const probe = role === 'synced' ? openSyncProbe() : null
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  const peers: WebSocket[] = []
  wss.on('connection', (ws) => {
    peers.push(ws)
    ws.on('message', (data: Buffer) => {
      probe?.sync()
      for (const p of peers) if (p !== ws) p.send(data)
    })
  })
  wss.on('listening', () => process.send!({ port: (wss.address() as { port: number }).port }))
} else if (role === 'probe') {
  const probe = openSyncProbe()
  process.on('message', () => process.send!({ ms: probe.sync() }))
  process.send!({ ready: true })
} else {
  await main()
}

async function main(): Promise<void> {
  const child = (r: string) =>
    fork(new URL(import.meta.url).pathname, [r], {
      execArgv: ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
  const first = <T>(c: ReturnType<typeof fork>) => new Promise<T>((r) => c.once('message', (m) => r(m as T)))
  const open = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
    })
  const kids = [child('plain'), child('synced'), child('probe')]
  const forwarders = await Promise.all(
    kids.slice(0, 2).map(async (c) => {
      const { port } = await first<{ port: number }>(c)
      const url = `ws://127.0.0.1:${port}`
      const writer = await open(url)
      const reader = await open(url)
      return { writer, reader, samples: [] as number[] }
    }),
  )
  await first(kids[2]!)
  const probeMs: number[] = []
  const edit = async (who: number, counted: boolean) => {
    if (who === 2) {
      const done = first<{ ms: number }>(kids[2]!)
      kids[2]!.send('sync')
      const { ms } = await done
      if (counted) probeMs.push(ms)
      return
    }
    const f = forwarders[who]!
    const t0 = performance.now()
    const got = new Promise((r) => f.reader.once('message', r))
    f.writer.send(Buffer.alloc(64, 1))
    await got
    if (counted) f.samples.push(performance.now() - t0)
  }
  const orders = [
    [0, 1, 2],
    [1, 2, 0],
    [2, 0, 1],
    [0, 2, 1],
    [2, 1, 0],
    [1, 0, 2],
  ]
  for (let i = 0; i < WARM_UP + EDITS; i++) {
    for (const who of orders[i % orders.length]!) {
      await edit(who, i >= WARM_UP)
      await new Promise((r) => setTimeout(r, 1))
    }
  }
  for (const f of forwarders) {
    f.writer.close()
    f.reader.close()
  }
  for (const c of kids) c.kill()
  const [plain, synced] = forwarders.map((f) => f.samples) as [number[], number[]]
  const ms = (x: number) => `${x.toFixed(2)} ms`
  const p = (xs: number[]) => `p50 ${ms(quantile(xs, 0.5))}, p99 ${ms(quantile(xs, 0.99))}`
  const target = quantile(plain, 0.99) + quantile(probeMs, 0.99)
  const [lo, hi] = quantileDiffInterval(
    { samples: synced, per: 1 },
    [
      { samples: plain, per: 1 },
      { samples: probeMs, per: 1 },
    ],
    0.99,
  )
  console.log(`${EDITS} edits each, writer → server → reader over WebSocket on 127.0.0.1`)
  console.log(`  plain forwarder:            ${p(plain)}`)
  console.log(`  fdatasync probe alone:      ${p(probeMs)}`)
  console.log(`  forwarder that syncs first: ${p(synced)}`)
  console.log(
    `  synced p99 against plain p99 + probe p99: ${ms(quantile(synced, 0.99))} against ${ms(target)}; ` +
      `95% bootstrap interval of the difference ${lo.toFixed(2)} to ${hi.toFixed(2)} ms`,
  )
  process.exit(0)
}
