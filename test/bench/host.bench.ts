// `npm run bench:host`: the host doing the workspace's work with no window open, on a real relay
// (port 0), a real SQLite log and real HTTP. Prints:
//  - scheduled publish: how long after its time each was performed (claim wait included);
//  - intake: POST /outputs → GET /outputs/:id says draft, first and warm p50/p99;
//  - a host-side edit reaching the host's log durably, and the relay (a teammate sees it);
//  - a window's edit (over the web bridge's WebSocket, as in `npm run web`) acknowledged durable
//    by the host's log ("Saved"), and at a teammate through the host and the relay;
//  - host memory for a workspace of 10,000 outputs (workspace replica only);
//  - what hosting costs the host process (its relay's worker thread), idle and serving teammates,
//    and whether stopping gives it back.
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import {
  createOutput,
  deriveOutput,
  localOrigin,
  OutputDoc,
  perform,
  schedulePublish,
} from '../../shared/domain/index.ts'
import { hostEnrolled, hostSiteFolder, postArticle, startHost, startTeam } from '../integration/host/team.ts'
import { tempDir } from '../integration/publish/helpers.ts'
import { waitFor } from '../integration/relay/helpers.ts'

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN
}
const ms = (n: number) => `${n.toFixed(1)} ms`

// ---- scheduled publishing and intake on one held workspace ------------------------------------
{
  const team = await startTeam()
  const h = await startHost(team)
  const folder = tempDir('signoff-bench-site-')
  await hostSiteFolder(h, team, folder)
  await hostEnrolled(team)
  const ws = team.ws
  ws.transact(localOrigin('admin'), () => {
    ws.destinations.put({ id: 'site', name: 'Site folder', kind: 'folder' })
    ws.types.patch('client-proposal', { allowedDestinations: ['site'] })
  })
  const late: number[] = []
  for (let i = 0; i < 5; i++) {
    const out = await team.newOutput(`sched${i}`, 'client-proposal', `Proposal ${i}.`)
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('client-proposal')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    perform(ws, out, 'adam', { action: 'approve' })
    const runAt = Date.now() + 2000
    schedulePublish(ws, out, 'alice', 'site', runAt)
    await waitFor(() => deriveOutput(ws, out).derived.state === 'published', 'published', 15_000)
    const p = deriveOutput(ws, out).derived.publishes.find((x) => x.status === 'published')
    late.push((p?.at ?? Number.NaN) - runAt)
  }
  console.log(
    `Scheduled publish, no window: performed ${late.map((l) => `${l} ms`).join(', ')} after its time (target ≤ 1000 ms; 500 ms of it is the claim wait)`,
  )

  const info = await h.host.intakeInfo(undefined)
  if (!info.url || !info.token) throw new Error('The host has no intake API listening.')
  const api = { url: info.url, token: info.token }
  const headers = { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' }
  const submit = async (i: number) => {
    const t = performance.now()
    const r = await postArticle(api, team.workspaceId, `Bench ${i}`, `Body ${i}`)
    const { id } = (await r.json()) as { id: string }
    const g = (await (await fetch(`${info.url}/outputs/${id}`, { headers })).json()) as { state: string }
    if (g.state !== 'draft') throw new Error(`GET said ${g.state}`)
    return performance.now() - t
  }
  const first = await submit(0)
  const warm: number[] = []
  for (let i = 1; i <= 50; i++) warm.push(await submit(i))
  console.log(
    `Intake, no window: POST → GET /outputs/:id says draft (durable in the host log): first ${ms(first)}, then p50 ${ms(pct(warm, 50))}, p99 ${ms(pct(warm, 99))} over 50 (target ≤ 100 ms)`,
  )

  // An edit made on the host's side of a document (a replica like the host's own, its own log):
  // durable in the log, and at a teammate through the relay.
  const durable: number[] = []
  const relayed: number[] = []
  const mine = await team.output('sched1')
  const { DocReplica } = await import('../../electron/host/replica/doc-replica.ts')
  const { ReplicaLog } = await import('../../electron/host/replica/log.ts')
  const logDir = tempDir('signoff-bench-log-')
  const log = new ReplicaLog(logDir)
  const replica = new DocReplica(mine.client.provider.roomname, log, {
    memberId: 'otto',
    relay: { url: team.relay.relay.url, token: team.hostToken },
  })
  await replica.whenSynced(10_000)
  const text = replica.doc.getText('bench')
  const seen = mine.client.doc.getText('bench')
  for (let i = 0; i < 200; i++) {
    const t = performance.now()
    const before = seen.length
    text.insert(text.length, 'x')
    await replica.durable()
    durable.push(performance.now() - t)
    await waitFor(() => seen.length > before, 'the edit at the teammate')
    relayed.push(performance.now() - t)
  }
  console.log(
    `Host edit → host log (fsynced): p50 ${ms(pct(durable, 50))}, p99 ${ms(pct(durable, 99))}; → a teammate through the relay: p50 ${ms(pct(relayed, 50))}, p99 ${ms(pct(relayed, 99))} (200 edits)`,
  )
  await replica.close()
  log.close()
  rmSync(logDir, { recursive: true, force: true })

  // A window's edit: the renderer's HostLink over the bridge's WebSocket to the host, which keeps
  // it in its log (SAVED) and sends it on to the relay.
  {
    const { startWebServer } = await import('../../electron/host/bridge.ts')
    const { openWindow } = await import('../integration/host/window-link.ts')
    const bridge = await startWebServer({
      port: 0,
      rendererDir: h.dataDir,
      // The bench closes the host itself.
      hostApi: Object.assign({}, h.host, { close: async () => {} }),
    })
    const mine2 = await team.output('sched2')
    const win = openWindow(bridge.origin, bridge.secret, mine2.client.provider.roomname)
    await waitFor(() => win.link.state.synced, 'the window synced with the host', 10_000)
    const wtext = win.doc.getText('bench')
    const wseen = mine2.client.doc.getText('bench')
    const saved: number[] = []
    const viaRelay: number[] = []
    for (let i = 0; i < 200; i++) {
      const t = performance.now()
      const before = wseen.length
      wtext.insert(wtext.length, 'y')
      await win.link.whenSaved(10_000)
      saved.push(performance.now() - t)
      await waitFor(() => wseen.length > before, 'the window edit at the teammate')
      viaRelay.push(performance.now() - t)
    }
    console.log(
      `Window edit → host log acknowledged ("Saved"): p50 ${ms(pct(saved, 50))}, p99 ${ms(pct(saved, 99))}; → a teammate through the host and the relay: p50 ${ms(pct(viaRelay, 50))}, p99 ${ms(pct(viaRelay, 99))} (200 edits)`,
    )
    win.close()
    await bridge.close()
  }
  await h.close()
  await team.close()
  rmSync(folder, { recursive: true, force: true })
}

// ---- memory for a 10,000-output workspace -----------------------------------------------------
{
  const N = 10_000
  const team = await startTeam()
  const ws = team.ws
  // One transaction, so the relay gets one update (10,000 separate ones hit its rate limit).
  ws.doc.transact(() => {
    for (let i = 0; i < N; i++)
      createOutput(ws, new OutputDoc(new Y.Doc()), {
        id: `o${i}`,
        title: `Output ${i}`,
        typeId: 'blog-article',
        content: `Body ${i}`,
        authorId: 'alice',
      })
  })
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const before = process.memoryUsage()
  const t = performance.now()
  const h = await startHost(team)
  // The host holds it once its log has every row.
  const { ReplicaLog } = await import('../../electron/host/replica/log.ts')
  const { workspaceDocName } = await import('../../shared/docnames.ts')
  await waitFor(
    () => {
      const l = new ReplicaLog(h.dataDir)
      try {
        const bytes = l.load(workspaceDocName(team.workspaceId))
        if (!bytes) return false
        const d = new Y.Doc()
        Y.applyUpdate(d, bytes)
        return d.getMap('outputs').size >= N
      } finally {
        l.close()
      }
    },
    'the host has every row',
    120_000,
  )
  const syncMs = performance.now() - t
  gc?.()
  const after = process.memoryUsage()
  console.log(
    `Host memory for a ${N.toLocaleString('en')}-output workspace: +${((after.heapUsed - before.heapUsed) / 1048576).toFixed(1)} MiB heap, +${((after.rss - before.rss) / 1048576).toFixed(1)} MiB RSS (synced and logged in ${(syncMs / 1000).toFixed(1)} s)${gc ? '' : ' (run with --expose-gc for steadier numbers)'}`,
  )
  await h.close()
  await team.close()
}

// ---- what hosting costs the host process ------------------------------------------------------
// "Start hosting" runs the relay in a worker thread (sync-server/thread-relay.ts): one more V8
// isolate and a SQLite connection in the app's host process, for as long as it hosts.
{
  const { createHost } = await import('../../electron/host/index.ts')
  const gc = (globalThis as { gc?: () => void }).gc
  const dataDir = tempDir('signoff-bench-hosting-')
  // The desktop app runs the build's bundled thread script; the source costs more (each module
  // type-stripped and compiled on its own).
  const built = fileURLToPath(new URL('../../out/main/relay-thread.js', import.meta.url))
  const entry = existsSync(built) ? built : undefined
  const host = createHost({
    shell: 'web',
    version: 'bench',
    dataDir,
    ...(entry ? { relayThreadEntry: entry } : {}),
  })
  const rssMiB = async () => {
    gc?.()
    await new Promise((r) => setTimeout(r, 200))
    gc?.()
    return process.memoryUsage().rss / 1048576
  }
  const TEAMMATES = 20
  const base = await rssMiB()
  const started = await host.startHosting({ workspaceId: 'w1', memberId: 'admin', port: 0, lan: false })
  const idle = await rssMiB()
  const tokens: string[] = []
  for (let i = 0; i < TEAMMATES; i++)
    tokens.push((await host.createInvite({ workspaceId: 'w1', memberId: `m${i}`, access: 'write' })).token)
  const teammates = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      new URL('./hosting-teammates.ts', import.meta.url).pathname,
      started.url,
      'w1',
      ...tokens,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The teammates did not converge in 60 s.')), 60_000)
    teammates.stdout.on('data', (b: Buffer) => {
      if (b.toString().includes('converged')) {
        clearTimeout(timer)
        resolve()
      }
    })
    teammates.once('exit', (code) => reject(new Error(`The teammates' process ended (${code}).`)))
  })
  const serving = await rssMiB()
  teammates.kill()
  await host.stopHosting(undefined)
  const stopped = await rssMiB()
  const CYCLES = 5
  for (let i = 0; i < CYCLES; i++) {
    await host.startHosting({ workspaceId: 'w1', memberId: 'admin', port: 0, lan: false })
    await host.stopHosting(undefined)
  }
  const cycled = await rssMiB()
  const plus = (n: number) => `${n >= base ? '+' : '−'}${Math.abs(n - base).toFixed(1)} MiB`
  console.log(
    `Hosting (${entry ? "the desktop build's out/main/relay-thread.js" : 'the source relay-thread.ts; `npx electron-vite build` first to measure the desktop build'}), host process RSS against not hosting (${base.toFixed(1)} MiB): idle relay thread ${plus(idle)}; serving ${TEAMMATES} teammates (another process) who wrote ${TEAMMATES * 50} lines ${plus(serving)}; after stop ${plus(stopped)}; after ${CYCLES} more start/stop cycles ${plus(cycled)}${gc ? '' : ' (run with --expose-gc for steadier numbers)'}`,
  )
  await host.close()
  rmSync(dataDir, { recursive: true, force: true })
}
process.exit(0)
