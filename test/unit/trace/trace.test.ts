import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  contentHash,
  deriveOutput,
  KEEP_EDITED_VERSION_MAX,
  localOrigin,
  type OutputDoc,
  perform,
  recordEdit,
  startNewVersion,
  type Workspace,
} from '../../../shared/domain/index.ts'
import { sides, tokenize, wordDiff } from '../../../shared/trace/diff.ts'
import { checklistResult, type JudgementFact } from '../../../shared/trace/evidence.ts'
import {
  type ApprovalReceipt,
  approvalReceipt,
  receiptSource,
  verifyReceipt,
} from '../../../shared/trace/receipt.ts'
import { restoreVersion } from '../../../shared/trace/restore.ts'
import { csvCell, shippedRows, toCsv, toJson } from '../../../shared/trace/shipped.ts'
import { timeline } from '../../../shared/trace/timeline.ts'
import { edit, published, setup } from '../domain/fixture.ts'

const ORIGINAL = 'Pro plan: 29 EUR per month from 1 March.'

/** Pricing update: submitted, "numbers" failed with a note, sent back, fixed, approved twice, published. */
function shipped() {
  const { ws, out } = setup('pricing-update', ORIGINAL)
  ws.transact(localOrigin('admin'), () => {
    ws.destinations.put({ id: 'site', name: 'Website folder', kind: 'folder' })
    ws.types.patch('pricing-update', { allowedDestinations: ['site'] })
  })
  const ok = (c: { ok: boolean }) => expect(c.ok).toBe(true)
  ok(perform(ws, out, 'alice', { action: 'submit' }, 3000))
  ok(
    perform(
      ws,
      out,
      'adam',
      { action: 'judge', itemId: 'numbers', verdict: 'fail', note: 'Price book says 31 EUR' },
      4000,
    ),
  )
  ok(perform(ws, out, 'adam', { action: 'request_changes', reasons: ['Price is 31 EUR'] }, 5000))
  out.transact(localOrigin('alice'), () => {
    out.content.delete(0, out.content.length)
    out.content.insert(0, 'Pro plan: 31 EUR per month from 1 March.')
  })
  ok(perform(ws, out, 'alice', { action: 'submit' }, 6000))
  for (const item of ws.types.get('pricing-update')!.checklist)
    ok(perform(ws, out, 'adam', { action: 'judge', itemId: item.id, verdict: 'pass' }, 7000))
  ok(perform(ws, out, 'adam', { action: 'approve' }, 8000))
  ok(perform(ws, out, 'amy', { action: 'approve', note: 'Checked with finance' }, 9000))
  published(ws, out, 'alice', 'site', '/srv/site/pro.md', [10_000, 11_000])
  return { ws, out }
}

const names = (ws: Workspace) => new Map(ws.destinations.all().map((d) => [d.id, d.name]))

function lines(ws: Workspace, out: OutputDoc) {
  const { input, derived } = deriveOutput(ws, out)
  return timeline(derived, input.members, input.type, { destinations: names(ws), trail: out.rawTrail() })
}

describe('timeline', () => {
  it('says who did what to which version, with notes, reasons and receipts', () => {
    const { ws, out } = shipped()
    const entries = lines(ws, out)
    const texts = entries.map((e) => e.text)
    const v1 = contentHash(ORIGINAL).slice(0, 8)
    expect(texts[0]).toBe(`Alice created “March pricing” (version ${v1})`)
    expect(texts).toContain(
      `Alice submitted version ${v1} for review under rules ${ws.currentPolicy('pricing-update')!.slice(0, 8)}`,
    )
    expect(texts).toContain('Adam failed “Numbers match the price book”: Price book says 31 EUR')
    expect(texts).toContain(`Adam requested changes on version ${v1}: Price is 31 EUR`)
    const v2 = contentHash('Pro plan: 31 EUR per month from 1 March.').slice(0, 8)
    expect(texts).toContain(`Amy approved version ${v2}: Checked with finance`)
    const pub = entries.find((e) => e.kind === 'published')!
    expect(pub.text).toBe(`Alice published version ${v2} to Website folder (receipt: path /srv/site/pro.md)`)
    expect(pub.receipt).toEqual({ path: '/srv/site/pro.md' })
    expect(pub.who).toBe('Alice')
    expect(pub.when).toBe(11_000)
  })

  it('lists events that were not counted where they stand, with the reason', () => {
    const { ws, out } = setup('pricing-update', ORIGINAL)
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    // Alice (an author) approves on another device: not counted.
    out.transact(localOrigin('alice'), () =>
      out.append(
        {
          id: 'e-x',
          v: 1,
          kind: 'approved',
          actor: 'alice',
          at: 3500,
          contentHash: out.hash(),
          note: '',
        },
        ws.signerFor('alice'),
      ),
    )
    out.transact(localOrigin('alice'), () => out.trail.push([{ junk: true }]))
    const entries = lines(ws, out)
    const problem = entries.find((e) => e.id === 'e-x')!
    expect(problem.kind).toBe('problem')
    expect(problem.counted).toBe(false)
    expect(problem.who).toBe('Alice')
    expect(problem.text).toMatch(/^not counted: approved by Alice: .*Alice is not one\./)
    expect(entries[entries.length - 1]!.text).toBe('not counted: missing id')
  })

  it('works from a raw trail alone', () => {
    const { ws, out } = shipped()
    const entries = timeline(out.rawTrail(), ws.memberMap(), ws.types.get('pricing-update'))
    expect(entries.length).toBe(out.rawTrail().length)
    expect(entries.every((e) => e.counted)).toBe(true)
  })
})

describe('word diff', () => {
  it('marks changed words and keeps whitespace', () => {
    const d = wordDiff('Pro plan: 29 EUR per month', 'Pro plan:  31 EUR a month')
    expect(d.segments.filter((s) => s.op === 'removed').map((s) => s.text.trim())).toEqual(['29', 'per'])
    expect(d.segments.filter((s) => s.op === 'added').map((s) => s.text.trim())).toEqual(['31', 'a'])
    expect(d.added).toBe(2)
    expect(d.removed).toBe(2)
    expect(tokenize('a  b,c\n').join('')).toBe('a  b,c\n')
  })

  it('applying the diff reconstructs both sides (property)', () => {
    const word = fc.constantFrom('the', 'price', '31', 'EUR', ' ', '  ', '\n', ',', '.', 'é', 'plan', '😀')
    const text = fc.array(word, { maxLength: 40 }).map((w) => w.join(''))
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = wordDiff(a, b)
        expect(sides(d)).toEqual({ before: a, after: b })
        // No two neighbours with the same op.
        for (let i = 1; i < d.segments.length; i++) expect(d.segments[i]!.op).not.toBe(d.segments[i - 1]!.op)
        if (a === b) expect(d.segments.every((s) => s.op === 'equal')).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('is exact with a bounded budget and approximate beyond it, and fast on 50 KB', () => {
    const a = Array.from({ length: 8000 }, (_, i) => `w${i}`).join(' ')
    const b = a.replace('w4000', 'changed').replace('w7000 ', '')
    const t0 = performance.now()
    const d = wordDiff(a, b)
    expect(performance.now() - t0).toBeLessThan(500)
    expect(d.approximate).toBe(false)
    expect(sides(d)).toEqual({ before: a, after: b })
    const far = wordDiff('a b c d e f', 'g h i j k l', 3)
    expect(far.approximate).toBe(true)
    expect(sides(far)).toEqual({ before: 'a b c d e f', after: 'g h i j k l' })
  })
})

describe('what shipped', () => {
  it('counts the items of the reviewed rules that nobody judged', () => {
    const judged = (itemId: string, verdict: 'pass' | 'fail' | 'na') =>
      ({ itemId, verdict, note: '', by: 'adam', at: 0, contentHash: 'h' }) as unknown as JudgementFact
    const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }]
    expect(checklistResult([judged('a', 'pass')], items)).toMatchObject({
      passed: 1,
      notJudged: 2,
      text: '1 passed, 0 failed, 0 n/a; 2 not judged',
    })
    expect(checklistResult([judged('a', 'pass'), judged('b', 'fail'), judged('c', 'na')], items).text).toBe(
      '1 passed, 1 failed, 1 n/a',
    )
  })

  it('has one row per publish with approvers, checklist result and receipt', () => {
    const { ws, out } = shipped()
    const { input, derived } = deriveOutput(ws, out)
    const rows = shippedRows(
      [{ outputId: 'o1', title: 'March pricing', typeId: 'pricing-update', type: input.type, derived }],
      input.members,
      names(ws),
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      outputId: 'o1',
      type: 'Pricing update',
      risk: 'critical',
      contentHash: out.hash(),
      approvers: ['Adam', 'Amy'],
      destination: 'Website folder',
      by: 'Alice',
      time: 11_000,
      receipt: 'path /srv/site/pro.md',
    })
    expect(rows[0]!.checklist).toMatch(/^\d+ passed, 0 failed, 0 n\/a$/)
    // The rules the publish's approval passed are named by their version.
    expect(rows[0]!.policy).toBe(ws.currentPolicy('pricing-update'))
    const csv = toCsv(rows)
    expect(csv.split('\r\n')[0]).toBe(
      'Time,Output,Output id,Type,Risk,Version hash,Rules version,Approvers,Checklist,Destination,Published by,Receipt,Without approval',
    )
    expect(csv).toContain(out.hash())
    expect(JSON.parse(toJson(rows))[0].time).toBe('1970-01-01T00:00:11.000Z')
    expect(
      shippedRows(
        [{ outputId: 'o1', title: 'x', typeId: 'pricing-update', type: input.type, derived }],
        input.members,
        names(ws),
        { from: 20_000 },
      ),
    ).toEqual([])
  })

  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"')
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-1')).toBe("'-1")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
  })
})

describe('approval receipt', () => {
  function receipt() {
    const { ws, out } = shipped()
    const { input, derived } = deriveOutput(ws, out)
    const r = approvalReceipt(receiptSource(ws, out, input.type, derived), input.members, names(ws), 12_000)
    if (typeof r === 'string') throw new Error(r)
    return { r: JSON.parse(JSON.stringify(r)) as ApprovalReceipt, out }
  }

  it('names the shipped version, its approvals, judgements and publish, and verifies', () => {
    const { r, out } = receipt()
    expect(r.versionHash).toBe(out.hash())
    expect(r.content).toBe(out.text())
    expect(r.approvals.map((a) => a.who)).toEqual(['Adam', 'Amy'])
    expect(r.publishes[0]).toMatchObject({
      destination: 'Website folder',
      receipt: { path: '/srv/site/pro.md' },
    })
    expect(r.checklist.every((j) => j.verdict === 'pass')).toBe(true)
    expect(r.signed).toBe(true)
    expect(r.signers.map((k) => k.who).sort()).toEqual(['Adam', 'Alice', 'Amy'])
    expect(verifyReceipt(JSON.stringify(r))).toEqual({ ok: true, problems: [] })
  })

  it("checks each entry's signed event: altered, moved to another output, or signed by an unlisted key", () => {
    const { r } = receipt()
    const altered = structuredClone(r)
    altered.checklist[0]!.event = { ...altered.checklist[0]!.event!, note: 'never checked' } as never
    expect(verifyReceipt(altered).problems).toEqual([
      'The checklist judgement by Adam: its signature does not verify: the event was changed, or belongs to another output.',
    ])
    const moved = { ...structuredClone(r), output: { ...r.output, id: 'o2' } }
    // Every signed event fails, the submission that bound the round's rules included.
    expect(r.rules?.event).toBeDefined()
    expect(verifyReceipt(moved).problems.length).toBe(
      r.approvals.length + r.checklist.length + r.publishes.length + 1,
    )
    const unlisted = { ...structuredClone(r), signers: r.signers.filter((k) => k.who !== 'Amy') }
    expect(verifyReceipt(unlisted).problems).toEqual([
      expect.stringMatching(
        /^The approval by Amy: it is signed with key .+, which is not among the signers\.$/,
      ),
    ])
    const stripped = structuredClone(r)
    delete stripped.approvals[1]!.event
    expect(verifyReceipt(stripped).problems).toEqual(['The approval by Amy carries no signed event.'])
  })

  it('detects tampered content, a changed hash or an approval of another version', () => {
    const { r } = receipt()
    const tampered: ApprovalReceipt = { ...r, content: r.content.replace('31', '13') }
    expect(verifyReceipt(tampered).problems[0]).toMatch(/content does not match the version hash/)
    const rehashed = { ...tampered, versionHash: contentHash(tampered.content) }
    expect(verifyReceipt(rehashed).ok).toBe(false)
    expect(verifyReceipt(rehashed).problems.join(' ')).toMatch(/approval by Adam names another version/)
    expect(verifyReceipt('{').ok).toBe(false)
    expect(verifyReceipt({ ...r, approvals: [] }).problems).toContain('It lists no approval.')
  })
})

describe('restore', () => {
  it('brings back an approved version as a new edit: history kept, state back to approved', () => {
    const { ws, out } = setup('pricing-update', ORIGINAL)
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('pricing-update')!.checklist)
      perform(ws, out, 'adam', { action: 'judge', itemId: item.id, verdict: 'pass' })
    perform(ws, out, 'adam', { action: 'approve' })
    perform(ws, out, 'amy', { action: 'approve' })
    const approvedHash = out.hash()
    expect(deriveOutput(ws, out).derived.state).toBe('approved')
    expect(startNewVersion(ws, out, 'alice', {})).toEqual({ ok: true })
    edit(out, 'alice', ' Typo here.')
    const before = out.rawTrail().length
    expect(deriveOutput(ws, out).derived.state).toBe('approved_stale')
    expect(restoreVersion(ws, out, 'alice', approvedHash, 50_000)).toEqual({ ok: true })
    expect(out.text()).toBe(ORIGINAL)
    const trail = out.rawTrail()
    expect(trail.length).toBe(before + 1)
    const { derived, input } = deriveOutput(ws, out)
    expect(derived.state).toBe('approved')
    expect(derived.problems).toEqual([])
    const last = timeline(derived, input.members, input.type).at(-1)!
    expect(last.kind).toBe('restored')
    expect(last.text).toBe(
      `Alice restored version ${approvedHash.slice(0, 8)} (+0 −11 characters), making it version ${approvedHash.slice(0, 8)}`,
    )
    expect(ws.summary('o1')?.state).toBe('approved')
    // Same bytes again: refused, nothing written.
    expect(restoreVersion(ws, out, 'alice', approvedHash).ok).toBe(false)
    expect(restoreVersion(ws, out, 'alice', 'f'.repeat(64)).ok).toBe(false)
    expect(out.rawTrail().length).toBe(before + 1)
  })
})

describe('versions named by edits', () => {
  it('a recorded edit keeps its bytes, so History can open and compare it; a huge output does not', () => {
    const { ws, out } = setup('internal-summary', 'Notes: ship on Friday.')
    const before = out.text()
    out.transact(localOrigin('alice'), () => out.content.insert(out.content.length, ' Retro Monday.'))
    expect(recordEdit(ws, out, 'alice', before, 5000)).toBe(true)
    expect(out.version(out.hash())).toBe('Notes: ship on Friday. Retro Monday.')
    const big = setup('internal-summary', 'x'.repeat(KEEP_EDITED_VERSION_MAX))
    const bigBefore = big.out.text()
    big.out.transact(localOrigin('alice'), () => big.out.content.insert(0, 'y'))
    recordEdit(big.ws, big.out, 'alice', bigBefore, 5000)
    expect(big.out.version(big.out.hash())).toBeUndefined()
  })
})
