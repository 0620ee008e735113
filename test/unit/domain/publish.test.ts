import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  checkPublish,
  claimCounts,
  claimPublish,
  deriveOutput,
  dueSchedules,
  localOrigin,
  OutputDoc,
  perform,
  recordPublishOutcome,
  refreshSummary,
  schedulePublish,
  startNewVersion,
  Workspace,
} from '../../../shared/domain/index.ts'
import { changeRole } from '../../../shared/domain/member-actions.ts'
import { enrollAll } from '../../support/keys.ts'
import { edit, setup } from './fixture.ts'

function approved(typeId = 'client-proposal') {
  const ctx = setup(typeId, 'Proposal for Initech: 12 weeks, 48,000 EUR.')
  const { ws, out } = ctx
  ws.transact(localOrigin('admin'), () => {
    ws.destinations.put({ id: 'proposals', name: 'Proposals folder', kind: 'folder' })
    ws.destinations.put({ id: 'blog', name: 'Blog repo', kind: 'git' })
    ws.types.patch(typeId, { allowedDestinations: ['proposals'] })
  })
  perform(ws, out, 'alice', { action: 'submit' })
  for (const item of ws.types.get(typeId)!.checklist)
    perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
  expect(perform(ws, out, 'adam', { action: 'approve' }).ok).toBe(true)
  return ctx
}

const check = (ws: Workspace, out: OutputDoc, who: string, dest: string) => {
  const { input, derived } = deriveOutput(ws, out)
  return checkPublish(derived, input, who, ws.destinations.get(dest))
}

describe('publishing', () => {
  it('an approved output can be published to a destination its type allows, and moves to Published', () => {
    const { ws, out } = approved()
    const claimed = claimPublish(ws, out, 'alice', 'proposals')
    expect(claimed.ok).toBe(true)
    if (!claimed.ok) return
    expect(claimed.claim.content).toBe('Proposal for Initech: 12 weeks, 48,000 EUR.')
    recordPublishOutcome(ws, out, 'alice', claimed.claim, { ok: true, receipt: { path: '/x/p.md' } })
    const { derived } = deriveOutput(ws, out)
    expect(derived.state).toBe('published')
    expect(derived.publishes[0]).toMatchObject({
      status: 'published',
      receipt: { path: '/x/p.md' },
      by: 'alice',
    })
    expect(ws.summary('o1')).toMatchObject({ state: 'published', publishedTo: ['proposals'] })
  })

  it('what shipped stays shipped when its reviewer and approver lose their roles later', () => {
    const { ws, out } = approved()
    const claimed = claimPublish(ws, out, 'alice', 'proposals')
    if (!claimed.ok) throw new Error(claimed.reason)
    recordPublishOutcome(ws, out, 'alice', claimed.claim, { ok: true, receipt: { path: '/x/p.md' } })
    const later = Date.now() + 1000
    expect(changeRole(ws, 'admin', 'adam', 'approver', later)).toEqual({ ok: true })
    expect(changeRole(ws, 'admin', 'rita', 'reviewer', later)).toEqual({ ok: true })
    const { derived } = deriveOutput(ws, out)
    expect(derived.state).toBe('published')
    expect(derived.approvals.map((a) => a.memberId)).toEqual(['adam'])
    expect(derived.publishes).toHaveLength(1)
    expect(derived.problems).toEqual([])
  })

  it('a destination the type does not allow is refused with the reason', () => {
    const { ws, out } = approved()
    const r = check(ws, out, 'alice', 'blog')
    expect(!r.ok && r.reason).toMatch(/Client proposal outputs may not be published to Blog repo/)
  })

  it('an output that is not approved cannot be published', () => {
    const { ws, out } = setup('client-proposal')
    ws.transact(localOrigin('admin'), () => {
      ws.destinations.put({ id: 'proposals', name: 'Proposals folder', kind: 'folder' })
      ws.types.patch('client-proposal', { allowedDestinations: ['proposals'] })
    })
    const r = check(ws, out, 'alice', 'proposals')
    expect(!r.ok && r.reason).toMatch(/draft/)
  })

  it('an edit after approval blocks publishing until re-approved', () => {
    const { ws, out } = approved()
    expect(startNewVersion(ws, out, 'alice', {})).toEqual({ ok: true })
    edit(out, 'alice', ' Typo.')
    const r = check(ws, out, 'alice', 'proposals')
    expect(!r.ok && r.reason).toMatch(/changed after approval/)
  })

  it('a change without "Start a new version" keeps it approved, and the approved bytes are what ships', () => {
    const { ws, out } = approved()
    const approvedHash = out.hash()
    edit(out, 'alice', ' UNAPPROVED')
    expect(check(ws, out, 'alice', 'proposals')).toEqual({ ok: true })
    const claimed = claimPublish(ws, out, 'alice', 'proposals')
    expect(claimed.ok && claimed.claim).toMatchObject({
      contentHash: approvedHash,
      content: 'Proposal for Initech: 12 weeks, 48,000 EUR.',
    })
  })

  it('the published bytes are the approved version, not the editor text after the claim', () => {
    const { ws, out } = approved()
    const claimed = claimPublish(ws, out, 'alice', 'proposals')
    edit(out, 'alice', ' SNEAKY EDIT')
    expect(claimed.ok && claimed.claim.content).toBe('Proposal for Initech: 12 weeks, 48,000 EUR.')
  })

  it('a failure shows on the card, the output stays approved, and a retry works', () => {
    const { ws, out } = approved()
    const first = claimPublish(ws, out, 'alice', 'proposals')
    if (!first.ok) throw new Error(first.reason)
    recordPublishOutcome(ws, out, 'alice', first.claim, {
      ok: false,
      error: 'The folder does not exist',
      retryable: true,
    })
    expect(deriveOutput(ws, out).derived.state).toBe('approved')
    expect(ws.summary('o1')?.publishError).toMatchObject({
      destinationId: 'proposals',
      error: 'The folder does not exist',
    })
    const retry = claimPublish(ws, out, 'alice', 'proposals')
    if (!retry.ok) throw new Error(retry.reason)
    recordPublishOutcome(ws, out, 'alice', retry.claim, { ok: true, receipt: { path: '/x' } })
    expect(ws.summary('o1')?.publishError).toBeUndefined()
    expect(ws.summary('o1')?.state).toBe('published')
  })

  it('a forged publish claim for a version that was never approved does not count', () => {
    const { ws, out } = approved()
    out.transact(localOrigin('otto'), () =>
      out.append(
        {
          id: 'forged',
          v: 1,
          kind: 'publish_claimed',
          actor: 'otto',
          at: 1,
          contentHash: 'f'.repeat(64),
          destinationId: 'proposals',
          attemptId: 'pX',
        },
        ws.signerFor('otto'),
      ),
    )
    const { derived } = deriveOutput(ws, out)
    expect(derived.publishes).toHaveLength(0)
    expect(derived.problems.at(-1)?.reason).toMatch(/only an approved version can be published/)
  })

  it('refuses a schedule at a time already past, instead of publishing at once (issue 12 #2)', () => {
    const { ws, out } = approved()
    for (const runAt of [999, 1_000]) {
      const r = schedulePublish(ws, out, 'alice', 'proposals', runAt, 1_000)
      expect(r).toEqual({ ok: false, reason: expect.stringMatching(/already passed.*Publish now/) })
    }
    expect(deriveOutput(ws, out).derived.schedules).toHaveLength(0)
    expect(schedulePublish(ws, out, 'alice', 'proposals', 1_001, 1_000).ok).toBe(true)
  })

  it('refuses a schedule more than a year ahead: a mistyped year, not a plan', () => {
    const { ws, out } = approved()
    const now = Date.UTC(2026, 11, 2)
    const r = schedulePublish(ws, out, 'alice', 'proposals', Date.UTC(9999, 11, 31), now)
    expect(r).toEqual({
      ok: false,
      reason: 'That is more than a year away (9999): choose a time within a year.',
    })
    expect(deriveOutput(ws, out).derived.schedules).toHaveLength(0)
    expect(schedulePublish(ws, out, 'alice', 'proposals', Date.UTC(2027, 10, 30), now).ok).toBe(true)
  })

  it('a scheduled publish is performed once when two members claim it at the same time', () => {
    const { ws, out } = approved()
    const s = schedulePublish(ws, out, 'alice', 'proposals', 5_000, 1_000)
    if (!s.ok) throw new Error(s.reason)
    expect(dueSchedules(deriveOutput(ws, out).derived, 4_000)).toHaveLength(0)
    expect(dueSchedules(deriveOutput(ws, out).derived, 6_000)).toHaveLength(1)
    // Two members, each with a copy, both online at the due time, claim concurrently.
    const peer = (who: string) => {
      const wsDoc = new Y.Doc()
      const outDoc = new Y.Doc()
      Y.applyUpdate(wsDoc, Y.encodeStateAsUpdate(ws.doc))
      Y.applyUpdate(outDoc, Y.encodeStateAsUpdate(out.doc))
      const w = enrollAll(new Workspace(wsDoc))
      const o = new OutputDoc(outDoc)
      return { who, w, o, claim: claimPublish(w, o, who, 'proposals', { scheduleId: s.scheduleId }) }
    }
    const a = peer('alice')
    const b = peer('adam')
    expect(a.claim.ok && b.claim.ok).toBe(true)
    Y.applyUpdate(a.o.doc, Y.encodeStateAsUpdate(b.o.doc))
    Y.applyUpdate(b.o.doc, Y.encodeStateAsUpdate(a.o.doc))
    // Each member asks whether its own claim counts; exactly one of them goes on to publish.
    const winners = [a, b].filter((p) => p.claim.ok && claimCounts(p.w, p.o, p.claim.claim.attemptId))
    expect(winners).toHaveLength(1)
    expect(deriveOutput(a.w, a.o).derived.publishes).toEqual(deriveOutput(b.w, b.o).derived.publishes)
    expect(deriveOutput(a.w, a.o).derived.problems.at(-1)?.reason).toMatch(
      /already claimed this scheduled publish/,
    )
  })
})

describe('a published output edited later', () => {
  it('still counts as shipped on the board row, so the trace finds its publish', () => {
    const { ws, out } = approved()
    const claimed = claimPublish(ws, out, 'alice', 'proposals')
    if (!claimed.ok) throw new Error(claimed.reason)
    recordPublishOutcome(ws, out, 'alice', claimed.claim, { ok: true, receipt: { path: '/x' } })
    expect(startNewVersion(ws, out, 'alice', {})).toEqual({ ok: true })
    edit(out, 'alice', ' v2')
    refreshSummary(ws, out, 'alice')
    expect(ws.summary('o1')).toMatchObject({ state: 'approved_stale', publishCount: 1 })
    expect(ws.summary('o1')?.publishedTo).toBeUndefined()
  })
})

describe('a scheduled publish that cannot go out as the output stands', () => {
  it('says so on the board row: waiting while it is not approved, void once a newer version is approved', () => {
    const { ws, out } = approved()
    const s = schedulePublish(ws, out, 'alice', 'proposals', 50_000, 1_000)
    if (!s.ok) throw new Error(s.reason)
    refreshSummary(ws, out, 'alice')
    expect(ws.summary('o1')?.nextSchedule).toEqual({ destinationId: 'proposals', runAt: 50_000 })

    // A new version is started: the scheduled one is no longer approved.
    expect(startNewVersion(ws, out, 'alice', {})).toEqual({ ok: true })
    edit(out, 'alice', ' v2')
    refreshSummary(ws, out, 'alice')
    expect(ws.summary('o1')?.nextSchedule).toEqual({
      destinationId: 'proposals',
      runAt: 50_000,
      hold: 'waits: the output is not approved now (it goes out if this version is approved again)',
    })

    // The new version is approved: the schedule names the old one, and the host will not send it.
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('client-proposal')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    expect(perform(ws, out, 'adam', { action: 'approve' }).ok).toBe(true)
    refreshSummary(ws, out, 'alice')
    expect(ws.summary('o1')?.nextSchedule?.hold).toBe(
      'will not run: a newer version was approved since; schedule that one',
    )
    const claimed = claimPublish(ws, out, 'alice', 'proposals', { scheduleId: s.scheduleId, now: 60_000 })
    expect(claimed).toEqual({
      ok: false,
      reason: 'The content changed after this publish was scheduled; it needs a new approval.',
    })

    // A fresh schedule of the new version goes out as planned.
    const again = schedulePublish(ws, out, 'alice', 'proposals', 40_000, 1_000)
    if (!again.ok) throw new Error(again.reason)
    refreshSummary(ws, out, 'alice')
    expect(ws.summary('o1')?.nextSchedule).toEqual({ destinationId: 'proposals', runAt: 40_000 })
  })
})
