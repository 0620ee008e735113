/**
 * How fast are the automatic pre-checks? `npm run bench:prechecks`
 *
 * Runs every check and detector (the heaviest config a type can have) on a realistic 50 KB output
 * full of things to find, on a 50 KB output with nothing to find, and on adversarial 50 KB inputs
 * made to provoke regex backtracking; then `deriveInput` (checks + escalation) on a 50 KB output.
 * Prints median and p95 in ms. Target: under 5 ms for 50 KB.
 */
import * as Y from 'yjs'
import { createOutput, deriveOutput, localOrigin, OutputDoc } from '../../shared/domain/index.ts'
import { type PreCheckConfig, runPreChecks } from '../../shared/prechecks/index.ts'
import { smallTeamWorkspace } from '../support/workspace.ts'
import { quantile, timeRuns } from './timing.ts'

const TARGET_MS = 5
const RUNS = 200
const SIZE = 50 * 1024

const CONFIG: PreCheckConfig = {
  banned: ['delve', "in today's fast-paced world", 'game changer', 'best-in-class', 'world-class', 'synergy'],
  required: ['Not financial advice', 'Unsubscribe'],
  minChars: 100,
  maxChars: 100_000,
  placeholders: true,
  links: true,
  detectors: [
    { kind: 'price', escalateTo: 'pricing-update' },
    { kind: 'percentage' },
    { kind: 'date' },
    { kind: 'email' },
    { kind: 'phone' },
    { kind: 'competitor', competitors: ['Acme Corp', 'Globex', 'Initech', 'Umbrella'] },
  ],
  autoApprove: false,
}

const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE)
const REALISTIC = fill(
  'Our Pro plan now costs €29 a month (up 12% from 2025-03-01). Write to sales@example.com or call +44 20 7946 0958. ' +
    'See https://example.com/pricing and the notes at http://old.example.org. Unlike Acme Corp, we ship weekly. ' +
    'Prose that reads like people wrote it, with numbers such as 1,200 users and 3 teams, and a date: March 3rd, 2026.\n',
)
const CLEAN = fill(
  'The team met on Monday and agreed the plan for the next sprint. Everyone knows what to do and who owns it.\n',
)
const ADVERSARIAL: Record<string, string> = {
  digits: '1'.repeat(SIZE),
  'digits and spaces': fill('1 '),
  'e-mail local part': fill('a.'),
  'at signs': fill('a@'),
  slashes: 'https:'.padEnd(SIZE, '/'),
  'unclosed brackets': fill('[insert '),
  'month names': fill('March '),
}

function time(fn: () => void): { median: number; p95: number } {
  const xs = timeRuns(fn, RUNS, 20)
  return { median: quantile(xs, 0.5), p95: quantile(xs, 0.95) }
}

const rows: [string, { median: number; p95: number }][] = []
rows.push(['50 KB realistic output, all checks', time(() => runPreChecks(REALISTIC, CONFIG))])
rows.push(['50 KB clean output, all checks', time(() => runPreChecks(CLEAN, CONFIG))])
for (const [name, text] of Object.entries(ADVERSARIAL))
  rows.push([`50 KB adversarial: ${name}`, time(() => runPreChecks(text, CONFIG))])

// The whole input derivation needs: checks, escalation, hashing the content, reading the trail.
const ws = smallTeamWorkspace(new Y.Doc(), 'ws', 'Bench', { id: 'admin', name: 'Ada' }, 1)
ws.transact(localOrigin('admin'), () => ws.types.patch('blog-article', { prechecks: CONFIG }))
const out = new OutputDoc(new Y.Doc())
createOutput(ws, out, {
  title: 'Bench',
  typeId: 'blog-article',
  content: REALISTIC,
  authorId: 'admin',
  now: 2,
})
// First derivation of a version: the checks run (a new banned word each time defeats the cache).
let round = 0
rows.push([
  'deriveOutput of a 50 KB output, first time (checks run)',
  time(() => {
    round += 1
    ws.transact(localOrigin('admin'), () =>
      ws.types.patch('blog-article', { prechecks: { ...CONFIG, banned: [...CONFIG.banned, `w${round}`] } }),
    )
    deriveOutput(ws, out)
  }),
])
ws.transact(localOrigin('admin'), () => ws.types.patch('blog-article', { prechecks: CONFIG }))
rows.push(['deriveOutput of a 50 KB output again (checks cached by hash)', time(() => deriveOutput(ws, out))])
ws.transact(localOrigin('admin'), () => ws.types.patch('blog-article', { prechecks: undefined }))
rows.push(['deriveOutput of the same output without pre-checks', time(() => deriveOutput(ws, out))])

const width = Math.max(...rows.map(([n]) => n.length))
console.log(`Pre-checks, ${RUNS} runs each (median / p95, ms); target < ${TARGET_MS} ms for 50 KB`)
let failed = false
for (const [name, t] of rows) {
  const checksOnly = !name.startsWith('deriveOutput')
  const ok = !checksOnly || t.median < TARGET_MS
  if (!ok) failed = true
  console.log(
    `${name.padEnd(width)}  ${t.median.toFixed(3).padStart(7)}  ${t.p95.toFixed(3).padStart(7)}${ok ? '' : '  over target'}`,
  )
}
if (failed) process.exitCode = 1
