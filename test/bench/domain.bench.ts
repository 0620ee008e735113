/**
 * How fast is state derivation? `npm run bench:domain`
 *
 * 1. derive() over 10,000 outputs with 20 trail events each, from plain arrays (the pure cost).
 * 2. deriveOutput() over 1,000 outputs held in real Y docs (reading meta, trail and content,
 *    hashing the content, reading members and the type from the workspace doc, then deriving).
 *
 * Every event is signed by its actor's device key and chained, as in the app. The first pass
 * verifies each signature (reported as the cold cost); the timed runs then derive with the
 * verifications remembered, as the app does after opening an output.
 *
 * Target: under 20 µs per output for (1).
 */
import * as Y from 'yjs'
import { installNodeEd25519 } from '../../electron/host/ed25519.ts'
import {
  chainLink,
  contentHash,
  type DeviceKey,
  derive,
  deriveOutput,
  type IntegrityInput,
  keyRecord,
  localOrigin,
  type Member,
  newDeviceKey,
  OutputDoc,
  type OutputType,
  SMALL_TEAM_TYPES,
  signEvent,
  trustKeys,
  type Workspace,
} from '../../shared/domain/index.ts'
import { smallTeamWorkspace } from '../support/workspace.ts'
import { timeRuns } from './timing.ts'

const OUTPUTS = 10_000
const EVENTS = 20
const YJS_OUTPUTS = 1_000
const TARGET_US = 20

const PEOPLE: [string, Member['roles']][] = [
  ['admin', ['author', 'reviewer', 'approver', 'admin']],
  ['alice', ['author']],
  ['otto', ['author']],
  ['rita', ['reviewer']],
  ['rob', ['reviewer']],
  ['adam', ['approver']],
  ['amy', ['approver']],
]
const members = new Map<string, Member>(
  PEOPLE.map(([id, roles]) => [id, { id, name: id, roles, joinedAt: 0 }]),
)
const types = new Map<string, OutputType>(SMALL_TEAM_TYPES.map((t) => [t.id, t]))
installNodeEd25519()
const deviceKeys = new Map<string, DeviceKey>(PEOPLE.map(([id]) => [id, newDeviceKey()]))
const keyRecords = [...deviceKeys].map(([id, key]) => keyRecord('bench', id, key, 'bench', 0, false))
const keyTrust = trustKeys('bench', keyRecords, members)
const integrityOf = (i: number): IntegrityInput => ({
  scope: { workspaceId: 'bench', outputId: `o${i}` },
  keys: keyTrust,
})

interface Sample {
  trail: Record<string, unknown>[]
  type: OutputType
  authorId: string
  versions: string[]
  current: string
}

/**
 * One output's life in 20 events: created, edited twice, submitted, judged, sent back, edited,
 * resubmitted, judged again (some items twice), approved. A quarter end edited after approval
 * (stale), a quarter still in review on the second round, the rest approved.
 */
function sample(i: number): Sample {
  const type = SMALL_TEAM_TYPES[i % SMALL_TEAM_TYPES.length]!
  const authorId = i % 2 ? 'alice' : 'otto'
  const versions = [0, 1, 2, 3].map(
    (v) =>
      `Output ${i}, version ${v}: ${'the team agreed on the plan and the owners. '.repeat(5 + (i % 10))}`,
  )
  const hashes = versions.map(contentHash)
  const trail: Record<string, unknown>[] = []
  let at = 1_700_000_000_000 + i * 1000
  const push = (kind: string, actor: string, fields: Record<string, unknown>) =>
    trail.push({ id: `o${i}e${trail.length}`, v: 1, kind, actor, at: at++, ...fields })
  const edited = (h: string) =>
    push('edited', authorId, { contentHash: h, summary: '+12 −3', inserted: 12, deleted: 3 })
  const judge = (h: string, k: number, verdict: string) =>
    push('judged', k % 2 ? 'rita' : 'rob', {
      contentHash: h,
      itemId: type.checklist[k % type.checklist.length]!.id,
      verdict,
      note: verdict === 'fail' ? 'Not right yet' : '',
    })

  push('created', authorId, { title: `Output ${i}`, typeId: type.id, contentHash: hashes[0] })
  edited(hashes[1]!)
  push('submitted', authorId, { contentHash: hashes[1] })
  judge(hashes[1]!, 0, 'fail')
  push('changes_requested', 'rita', { contentHash: hashes[1], reasons: ['Numbers are off'] })
  edited(hashes[2]!)
  push('submitted', authorId, { contentHash: hashes[2] })
  const approvals = ['adam', 'amy'].slice(0, type.approvalsRequired)
  // Judge every item, then re-judge items until only the approvals are left to fill 20 events.
  for (let k = 0; trail.length < EVENTS - approvals.length; k++)
    judge(hashes[2]!, k, k % 7 === 3 ? 'na' : 'pass')
  const inReview = i % 4 === 1
  for (const a of approvals) {
    if (inReview) edited(hashes[2]!)
    else push('approved', a, { contentHash: hashes[2], note: '' })
  }
  const current = i % 4 === 3 ? versions[3]! : versions[2]!
  // Chain and sign, as OutputDoc.append does.
  const scope = integrityOf(i).scope
  for (let k = 0; k < trail.length; k++) {
    const e = k > 0 ? { ...trail[k], prev: chainLink(trail[k - 1] as { id: string }) } : trail[k]!
    trail[k] = signEvent(scope, e, deviceKeys.get(e.actor as string)!)
  }
  return { trail, type, authorId, versions, current: contentHash(current) }
}

function stats(samplesMs: number[], n: number) {
  const sorted = [...samplesMs].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]!
  const min = sorted[0]!
  return { median, min, medianUs: (median * 1000) / n, minUs: (min * 1000) / n }
}

// ---- 1. derive() over plain arrays ------------------------------------------------------------

const signStart = performance.now()
const samples = Array.from({ length: OUTPUTS }, (_, i) => sample(i))
const signMs = performance.now() - signStart
const inputs = samples.map((s, i) => ({
  integrity: integrityOf(i),
  trail: s.trail,
  type: types.get(s.type.id),
  members,
  authorId: s.authorId,
  assignees: [],
  currentHash: s.current,
}))
if (inputs.some((x) => x.trail.length !== EVENTS)) throw new Error('every sample trail must have 20 events')

const counts = new Map<string, number>()
let problems = 0
const coldStart = performance.now()
for (const input of inputs) {
  const d = derive(input)
  counts.set(d.state, (counts.get(d.state) ?? 0) + 1)
  problems += d.problems.length
}
const coldMs = performance.now() - coldStart
if (problems > 0) throw new Error(`the benchmark trails should be valid, found ${problems} problems`)

let sink = 0
const plain = stats(
  timeRuns(
    () => {
      for (const input of inputs) sink += derive(input).approvals.length
    },
    9,
    3,
  ),
  OUTPUTS,
)

// ---- 2. deriveOutput() from real Y docs --------------------------------------------------------

function yjsWorld(): { ws: Workspace; outs: OutputDoc[] } {
  const ws = smallTeamWorkspace(new Y.Doc(), 'bench', 'Bench', { id: 'admin', name: 'Admin' }, 0)
  ws.transact(localOrigin('admin'), () => {
    for (const m of members.values()) if (m.id !== 'admin') ws.members.put(m)
    for (const r of keyRecords) ws.keys.put(r)
  })
  const outs: OutputDoc[] = []
  for (let i = 0; i < YJS_OUTPUTS; i++) {
    const s = samples[i]!
    const out = new OutputDoc(new Y.Doc())
    out.transact(localOrigin(s.authorId), () => {
      out.meta.set('id', `o${i}`)
      out.meta.set('workspaceId', 'bench')
      out.meta.set('title', `Output ${i}`)
      out.meta.set('typeId', s.type.id)
      out.meta.set('authorId', s.authorId)
      out.meta.set('assignees', [])
      out.meta.set('tags', [])
      out.meta.set('createdAt', 0)
      out.content.insert(0, i % 4 === 3 ? s.versions[3]! : s.versions[2]!)
      out.trail.push(s.trail)
    })
    outs.push(out)
  }
  return { ws, outs }
}

const { ws, outs } = yjsWorld()
for (let i = 0; i < outs.length; i++) {
  const state = deriveOutput(ws, outs[i]!).derived.state
  if (state !== derive(inputs[i]!).state) throw new Error(`output ${i}: Yjs path and plain path disagree`)
}
const yjs = stats(
  timeRuns(
    () => {
      for (const out of outs) sink += deriveOutput(ws, out).derived.approvals.length
    },
    9,
    3,
  ),
  YJS_OUTPUTS,
)

// ---- report ------------------------------------------------------------------------------------

const f = (n: number, digits = 2) => n.toFixed(digits)
const mix = [...counts].map(([state, n]) => `${state} ${n}`).join(', ')
console.log(`signoff domain bench (node ${process.version}, ${OUTPUTS} outputs × ${EVENTS} events; ${mix})`)
console.log(
  `derive(), plain arrays:    ${f(plain.medianUs)} µs/output median, ${f(plain.minUs)} µs min; ` +
    `${f(plain.median, 1)} ms total for ${OUTPUTS} outputs (median of 9 runs)`,
)
console.log(
  `deriveOutput(), Y docs:    ${f(yjs.medianUs)} µs/output median, ${f(yjs.minUs)} µs min; ` +
    `${f(yjs.median, 1)} ms total for ${YJS_OUTPUTS} outputs (incl. content hash, members and type reads)`,
)
console.log(
  `first derive, verifying:   ${f((coldMs * 1000) / OUTPUTS)} µs/output (${EVENTS} signatures and links each, Node native Ed25519); ` +
    `signing the ${OUTPUTS * EVENTS} events took ${f(signMs / 1000, 1)} s`,
)
const met = plain.medianUs < TARGET_US
console.log(
  `target: derive() under ${TARGET_US} µs per output: ${met ? 'met' : 'MISSED'} (${f(plain.medianUs)} µs)`,
)
if (sink < 0) console.log(sink)
if (!met) process.exitCode = 1
