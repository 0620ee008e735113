// `npm run bench:intake`: 1,000 files dropped into an inbox folder at once become 1,000 drafts.
// Measures (1) drop → every file taken into the host's spool and moved to processed/, with the
// real watcher (polling, settle check), and (2) the renderer's drain loop turning the spool into
// output documents on a real workspace document (createOutput on Y docs) with acks. Asserts none
// is lost at either step.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createIntakeService } from '../../electron/host/intake/service.ts'
import type { HostApi } from '../../shared/host/api.ts'
import { FakeRenderer } from '../integration/intake/helpers.ts'

const N = Number(process.env.N ?? 1000)
const POLL_MS = 100
const SETTLE_MS = 500

const dataDir = mkdtempSync(join(tmpdir(), 'signoff-bench-intake-'))
const inbox = mkdtempSync(join(tmpdir(), 'signoff-bench-inbox-'))
const intake = createIntakeService({ dataDir, intakePort: 0, inboxPollMs: POLL_MS, inboxSettleMs: SETTLE_MS })
const host = intake.methods as unknown as HostApi
const renderer = new FakeRenderer(host, 'wsBench')
await host.setInbox({ workspaceId: renderer.workspaceId, path: inbox })

const types = ['blog-article', 'social-post', 'internal-summary', 'customer-email']
const dropStart = performance.now()
for (let i = 0; i < N; i++) {
  const n = String(i).padStart(4, '0')
  writeFileSync(
    join(inbox, `draft-${n}.md`),
    `---\ntitle: Draft ${n}\ntype: ${types[i % types.length]}\nmodel: bench-model\ntags: [bench, batch-${i % 10}]\n---\n# Draft ${n}\n\n${'Some generated text. '.repeat(40)}\n`,
  )
}
const dropMs = performance.now() - dropStart

const left = () => readdirSync(inbox).filter((n) => n !== 'processed' && n !== 'failed').length
const processedCount = () => readdirSync(join(inbox, 'processed')).length
const deadline = Date.now() + 120_000
const spool = intake.spool!
while (left() > 0 || (await spool.pendingCount(renderer.workspaceId)) < N) {
  if (Date.now() > deadline) throw new Error(`Timed out: ${left()} files still in the inbox.`)
  await new Promise((r) => setTimeout(r, 20))
}
const spooledMs = performance.now() - dropStart
const failed = (() => {
  try {
    return readdirSync(join(inbox, 'failed')).length
  } catch {
    return 0
  }
})()
const processed = processedCount()
const pending = await spool.pendingCount(renderer.workspaceId)

const drainStart = performance.now()
const drained = await renderer.drain()
const drainMs = performance.now() - drainStart
const drafts = renderer.ws.allSummaries().filter((s) => s.state === 'draft').length
const stillPending = await spool.pendingCount(renderer.workspaceId)
const processedRecords = readdirSync(join(dataDir, 'intake', renderer.workspaceId, 'processed')).length

const ok =
  processed === N && failed === 0 && pending === N && drained === N && drafts === N && stillPending === 0
console.log(
  JSON.stringify(
    {
      files: N,
      writeAllFilesMs: Math.round(dropMs),
      dropToAllSpooledMs: Math.round(spooledMs),
      includesSettleMs: SETTLE_MS,
      pollMs: POLL_MS,
      filesPerSecondIntoSpool: Math.round(N / ((spooledMs - SETTLE_MS) / 1000)),
      movedToProcessed: processed,
      movedToFailed: failed,
      spooled: pending,
      rendererDrainMs: Math.round(drainMs),
      draftsCreated: drafts,
      acknowledged: processedRecords,
      leftInSpool: stillPending,
      lost: N - drafts,
      ok,
    },
    null,
    2,
  ),
)
await intake.close()
rmSync(dataDir, { recursive: true, force: true })
rmSync(inbox, { recursive: true, force: true })
if (!ok) process.exit(1)
