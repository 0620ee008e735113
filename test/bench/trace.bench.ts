/**
 * How fast is the version trace? `npm run bench:trace`
 *
 * 1. Open the timeline of an output whose log holds 10,000 small updates and 200 trail events:
 *    load the log into a fresh document, derive, build the timeline (target under 100 ms).
 * 2. Rebuild a version from the log: apply the first N updates to a fresh document (target
 *    under 20 ms).
 * 3. Export "what shipped" for 10,000 publishes: rows, CSV and JSON (target under 1 s).
 * 4. Verify 10,000 signed trail events (signature, key and chain): the per-event cost with Node's
 *    native Ed25519 (the host), WebCrypto in one batch (what the app does when an output opens),
 *    and pure JS (the synchronous fallback), and the cost once verified.
 *
 * Every event is signed and verified, as in the app: section 1 is timed cold (nothing remembered).
 */
import { webcrypto } from 'node:crypto'
import * as Y from 'yjs'
import { installNodeEd25519 } from '../../electron/host/ed25519.ts'
import {
  checkIntegrity,
  claimPublish,
  createOutput,
  deriveOutput,
  enrollDevice,
  forgetVerifications,
  localOrigin,
  newDeviceKey,
  nobleEd25519,
  OutputDoc,
  perform,
  recordEdit,
  recordPublishOutcome,
  type SubtleEd25519,
  setEd25519Backend,
  verifyAhead,
} from '../../shared/domain/index.ts'
import { type ShippedSource, shippedRows, toCsv, toJson } from '../../shared/trace/shipped.ts'
import { timeline } from '../../shared/trace/timeline.ts'
import { smallTeamWorkspace } from '../support/workspace.ts'
import { quantile, timeRuns } from './timing.ts'

const UPDATES = 10_000
const EVENTS = 200
const RUNS = 20

const median = (xs: number[]) => quantile(xs, 0.5)
const p95 = (xs: number[]) => quantile(xs, 0.95)
const time = (fn: () => void, runs = RUNS) => timeRuns(fn, runs)
const fmt = (ms: number) => `${ms.toFixed(1)} ms`
const verdict = (ms: number, target: number) => (ms < target ? 'OK' : 'OVER TARGET')

// ---- Build the log ----
const ws = smallTeamWorkspace(new Y.Doc(), 'ws1', 'Bench', { id: 'admin', name: 'Ada Admin' }, 1000)
ws.transact(localOrigin('admin'), () => {
  ws.members.put({ id: 'bea', name: 'Bea Reviewer', roles: ['reviewer', 'approver'], joinedAt: 1000 })
  ws.destinations.put({ id: 'drive', name: 'Shared drive', kind: 'folder' })
  ws.types.patch('internal-summary', { allowedDestinations: ['drive'] })
})
installNodeEd25519()
enrollDevice(ws, 'admin', newDeviceKey(), 'bench', 1000)
enrollDevice(ws, 'bea', newDeviceKey(), 'bench', 1000)
const doc = new Y.Doc()
const log: Uint8Array[] = []
doc.on('update', (u: Uint8Array) => log.push(u))
const out = new OutputDoc(doc)
createOutput(ws, out, {
  id: 'o1',
  title: 'Bench output',
  typeId: 'internal-summary',
  content: '# Notes\n',
  authorId: 'admin',
})
let events = out.rawTrail().length
let previous = out.text()
for (let i = 0; i < UPDATES; i++) {
  // One small edit per update, like typing: insert a word, now and then delete one.
  out.transact(localOrigin('admin'), () => {
    if (i % 7 === 6 && out.content.length > 20) out.content.delete(out.content.length - 5, 4)
    else out.content.insert(out.content.length, i % 12 === 0 ? '\nline ' : `w${i} `)
  })
  // Trail events spread over the log: edits noted, a review round every so often.
  if (events < EVENTS - 4 && i % Math.floor(UPDATES / (EVENTS - 4)) === 0) {
    recordEdit(ws, out, 'admin', previous, 2000 + i)
    previous = out.text()
    events = out.rawTrail().length
  }
}
perform(ws, out, 'admin', { action: 'submit' })
for (const item of ws.types.get('internal-summary')!.checklist)
  perform(ws, out, 'bea', { action: 'judge', itemId: item.id, verdict: 'pass' })
perform(ws, out, 'bea', { action: 'approve' })
const claim = claimPublish(ws, out, 'admin', 'drive')
if (claim.ok)
  recordPublishOutcome(ws, out, 'admin', claim.claim, { ok: true, receipt: { path: '/drive/x.md' } })
const trailLength = out.rawTrail().length
const bytes = log.reduce((n, u) => n + u.length, 0)
console.log(
  `Log: ${log.length} updates (${(bytes / 1024).toFixed(0)} KB), ${trailLength} trail events, content ${(out.text().length / 1024).toFixed(1)} KB`,
)

// ---- 1. Open the timeline ----
const merged = Y.mergeUpdates(log)
const dests = new Map(ws.destinations.all().map((d) => [d.id, d.name]))
let entries = 0
const openFromLog = time(() => {
  forgetVerifications()
  const fresh = new Y.Doc()
  Y.transact(fresh, () => {
    for (const u of log) Y.applyUpdate(fresh, u)
  })
  const o = new OutputDoc(fresh, { migrate: false })
  const { input, derived } = deriveOutput(ws, o)
  entries = timeline(derived, input.members, input.type, { destinations: dests, trail: o.rawTrail() }).length
}, 10)
const openStored = time(() => {
  forgetVerifications()
  const fresh = new Y.Doc()
  Y.applyUpdate(fresh, merged)
  const o = new OutputDoc(fresh, { migrate: false })
  const { input, derived } = deriveOutput(ws, o)
  timeline(derived, input.members, input.type, { destinations: dests, trail: o.rawTrail() })
})
const { input, derived } = deriveOutput(ws, out)
const timelineOnly = time(() => {
  timeline(derived, input.members, input.type, { destinations: dests, trail: out.rawTrail() })
}, 200)
console.log(`\n1. Timeline of ${entries} entries (target < 100 ms)`)
console.log(
  `   open from the raw log (${log.length} updates applied): median ${fmt(median(openFromLog))}, p95 ${fmt(p95(openFromLog))}  ${verdict(median(openFromLog), 100)}`,
)
console.log(
  `   open from the stored document (merged log): median ${fmt(median(openStored))}, p95 ${fmt(p95(openStored))}  ${verdict(median(openStored), 100)}`,
)
console.log(`   timeline computation alone: median ${fmt(median(timelineOnly))}`)

// ---- 2. Rebuild a version from the log ----
console.log('\n2. Rebuild a version from the log (target < 20 ms)')
for (const n of [1000, 5000, UPDATES]) {
  const prefix = log.slice(0, n)
  let length = 0
  const rebuild = time(() => {
    const fresh = new Y.Doc()
    Y.transact(fresh, () => {
      for (const u of prefix) Y.applyUpdate(fresh, u)
    })
    length = fresh.getText('content').length
  })
  console.log(
    `   first ${n} updates → ${length} characters: median ${fmt(median(rebuild))}, p95 ${fmt(p95(rebuild))}  ${verdict(median(rebuild), 20)}`,
  )
}

// ---- 3. Export what shipped ----
const sources: ShippedSource[] = Array.from({ length: 10_000 }, (_, i) => ({
  outputId: `o${i}`,
  title: i % 100 === 0 ? `=cmd|' /C calc'!A0 ${i}` : `Output, "number" ${i}`,
  typeId: 'internal-summary',
  type: input.type,
  derived,
}))
let rowCount = 0
let csvBytes = 0
const exportRuns = time(() => {
  const rows = shippedRows(sources, input.members, dests)
  rowCount = rows.length
  csvBytes = toCsv(rows).length
  toJson(rows)
}, 5)
console.log(`\n3. Export what shipped (target < 1 s)`)
console.log(
  `   ${rowCount} publishes → rows + CSV (${(csvBytes / 1024 / 1024).toFixed(1)} MB) + JSON: median ${fmt(median(exportRuns))}  ${verdict(median(exportRuns), 1000)}`,
)

// ---- 4. Verify 10,000 signed events ----
const SIGNED = 10_000
const big = new OutputDoc(new Y.Doc())
createOutput(ws, big, {
  id: 'o-big',
  title: 'Signed',
  typeId: 'internal-summary',
  content: 'x',
  authorId: 'admin',
})
const item = ws.types.get('internal-summary')!.checklist[0]!.id
big.transact(localOrigin('bea'), () => {
  for (let i = big.rawTrail().length; i < SIGNED; i++) {
    const who = i % 2 === 0 ? 'bea' : 'admin'
    big.append(
      {
        id: `j${i}`,
        v: 1,
        kind: 'judged',
        actor: who,
        at: 5000 + i,
        contentHash: big.hash(),
        itemId: item,
        verdict: 'pass',
        note: `note ${i}`,
      },
      ws.signerFor(who),
    )
  }
})
const trail = big.rawTrail()
const integrity = { scope: big.scope(), keys: ws.keyTrust() }
const members = ws.memberMap()
/** A copy of the trail as fresh objects, as a reload or another peer would have them. */
const freshTrail = () => new OutputDoc(cloneDoc(big.doc)).rawTrail()
function cloneDoc(d: Y.Doc): Y.Doc {
  const c = new Y.Doc()
  Y.applyUpdate(c, Y.encodeStateAsUpdate(d))
  return c
}
function coldCheck(label: string): number {
  const t = freshTrail()
  forgetVerifications()
  const t0 = performance.now()
  const problems = checkIntegrity(t, integrity, members)
  const ms = performance.now() - t0
  if (problems.size > 0) throw new Error(`${label}: ${problems.size} events did not verify`)
  return ms
}
console.log(`\n4. Verify ${trail.length} signed events (signature, trusted key, chain)`)
const nativeRuns = [coldCheck('native'), coldCheck('native'), coldCheck('native')]
const nativeMs = median(nativeRuns)
console.log(
  `   Node native Ed25519 (host): ${fmt(nativeMs)} → ${((nativeMs * 1000) / trail.length).toFixed(1)} µs per event`,
)
const batchRuns: number[] = []
for (let r = 0; r < 3; r++) {
  const t = freshTrail()
  forgetVerifications()
  const t0 = performance.now()
  await verifyAhead(big.scope(), t, webcrypto.subtle as unknown as SubtleEd25519)
  const problems = checkIntegrity(t, integrity, members)
  batchRuns.push(performance.now() - t0)
  if (problems.size > 0) throw new Error('WebCrypto batch: events did not verify')
}
const batchMs = median(batchRuns)
console.log(
  `   WebCrypto in one batch, then the check (the app on opening an output): ${fmt(batchMs)} → ${((batchMs * 1000) / trail.length).toFixed(1)} µs per event`,
)
setEd25519Backend(nobleEd25519)
const nobleMs = coldCheck('noble')
console.log(
  `   pure JS (noble, the synchronous fallback): ${fmt(nobleMs)} → ${((nobleMs * 1000) / trail.length).toFixed(1)} µs per event`,
)
const warm = time(() => {
  checkIntegrity(trail, integrity, members)
}, 20)
const warmMs = median(warm)
console.log(
  `   already verified (deriving again after a change): ${fmt(warmMs)} → ${((warmMs * 1000) / trail.length).toFixed(2)} µs per event`,
)
