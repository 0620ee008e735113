/**
 * How fast is publishing? `npm run bench:publish`
 *
 * 1. One output to a folder (Markdown with front matter: render, temp file, fsync, link): median
 *    and p95 over repeated single publishes.
 * 2. One output to a webhook receiver on loopback (sign, POST, the receiver verifies the
 *    signature and answers 200): median and p95.
 * 3. 1,000 outputs in a batch to a folder, and to the webhook (8 at a time).
 * 4. For reference: one output to a git repository (write + git add + git commit).
 *
 * Target: under 50 ms for (1) and (2), excluding retries.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type PublishReceipt, publish } from '../../electron/host/publish/index.ts'
import { startWebhookPeer } from '../integration/publish/webhook-peer.ts'
import { makePayload } from '../unit/publish/fixture.ts'
import { quantile } from './timing.ts'

const TARGET_MS = 50
const SINGLE = 200
const BATCH = 1000
const CONCURRENCY = 8
const CONTENT = `# Weekly customer digest\n\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(60)}\n`

const payload = (i: number) =>
  makePayload(
    { title: `Bench output ${i}`, outputId: `o_bench${i}`, publishedAt: new Date().toISOString() },
    CONTENT,
  )

function must(r: PublishReceipt): void {
  if (!r.ok) throw new Error(r.error)
}

async function timeSingles(label: string, run: (i: number) => Promise<PublishReceipt>, n = SINGLE) {
  for (let i = 0; i < 10; i++) must(await run(-1 - i)) // warm-up
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    must(await run(i))
    times.push(performance.now() - t)
  }
  const median = quantile(times, 0.5)
  const p95 = quantile(times, 0.95)
  return { label, median, p95 }
}

async function timeBatch(run: (i: number) => Promise<PublishReceipt>) {
  const t = performance.now()
  let next = 0
  let failed = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < BATCH) {
        const i = next++
        if (!(await run(i)).ok) failed++
      }
    }),
  )
  const ms = performance.now() - t
  return { ms, perSecond: (BATCH / ms) * 1000, failed }
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`
const verdict = (ms: number) => (ms < TARGET_MS ? 'within target' : 'OVER TARGET')

async function main() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'signoff-bench-publish-')))
  const secret = `whsec_${randomBytes(32).toString('base64')}`
  const peer = await startWebhookPeer(secret)
  const hook = { kind: 'webhook' as const, url: peer.url, secret }
  try {
    console.log(
      `Publishing benchmark (Node ${process.version}, ${CONTENT.length} bytes of content per output)\n`,
    )

    const folderDir = join(root, 'single')
    mkdirSync(folderDir)
    const folder = await timeSingles('folder (markdown)', (i) =>
      publish({ kind: 'folder', path: folderDir }, payload(i)),
    )
    const webhook = await timeSingles('webhook (loopback)', (i) => publish(hook, payload(i)))
    for (const r of [folder, webhook])
      console.log(
        `one output → ${r.label.padEnd(20)} median ${fmt(r.median).padStart(9)}   p95 ${fmt(r.p95).padStart(9)}   target < ${TARGET_MS} ms: ${verdict(r.median)}`,
      )
    if (!peer.received.every((h) => h.verified)) throw new Error('the receiver could not verify a signature')

    const batchDir = join(root, 'batch')
    mkdirSync(batchDir)
    const fb = await timeBatch((i) => publish({ kind: 'folder', path: batchDir }, payload(i)))
    const files = readdirSync(batchDir).length
    console.log(
      `\n${BATCH} outputs → folder:  ${fmt(fb.ms)} total, ${fb.perSecond.toFixed(0)} per second (${CONCURRENCY} at a time), ${files} files, ${fb.failed} failed`,
    )
    peer.received.length = 0
    const wb = await timeBatch((i) => publish(hook, payload(i)))
    console.log(
      `${BATCH} outputs → webhook: ${fmt(wb.ms)} total, ${wb.perSecond.toFixed(0)} per second (${CONCURRENCY} at a time), ${peer.received.length} received, ${wb.failed} failed`,
    )

    const repo = join(root, 'repo')
    execFileSync('git', ['init', '-q', repo])
    writeFileSync(join(repo, '.keep'), '')
    const git = await timeSingles(
      'git (commit)',
      (i) =>
        publish(
          { kind: 'git', path: repo, authorName: 'Bench', authorEmail: 'bench@example.test' },
          payload(i),
        ),
      30,
    )
    console.log(
      `\nfor reference: one output → git (write, add, commit): median ${fmt(git.median)}, p95 ${fmt(git.p95)}`,
    )
  } finally {
    await peer.close()
    rmSync(root, { recursive: true, force: true })
  }
}

await main()
