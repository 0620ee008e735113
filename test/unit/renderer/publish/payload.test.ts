import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { commitMessage } from '../../../../electron/host/publish/git.ts'
import { buildPayload, receiptRecord } from '../../../../renderer/src/publish/flow.ts'
import * as domain from '../../../../shared/domain/index.ts'
import { checkPayload } from '../../../../shared/publish/manifest.ts'
import { renderOutput } from '../../../../shared/publish/render.ts'
import { edit, setup } from '../../domain/fixture.ts'

const { perform } = domain

/** A client proposal that may go to the "Proposals folder" destination, with more of its type's rules. */
function proposal(content: string, rules: Partial<domain.OutputType> = {}) {
  const made = setup('client-proposal', content)
  made.ws.transact(domain.localOrigin('admin'), () => {
    made.ws.destinations.put({ id: 'proposals', name: 'Proposals folder', kind: 'folder' })
    made.ws.types.patch('client-proposal', { allowedDestinations: ['proposals'], ...rules })
  })
  return made
}

/** Alice claims the approved output for the folder, and the payload it would carry at `now`. */
function claimedPayload(ws: domain.Workspace, out: domain.OutputDoc, now: number) {
  const claimed = domain.claimPublish(ws, out, 'alice', 'proposals')
  if (!claimed.ok) throw new Error(claimed.reason)
  const { input, derived } = domain.deriveOutput(ws, out)
  return buildPayload(ws, out, input, derived, claimed.claim, ws.destinations.get('proposals')!, 'alice', now)
}

describe('the publish payload', () => {
  it('carries exactly the approved bytes and a manifest with approvers, checklist and publisher', () => {
    const content = 'Proposal for Initech: 12 weeks, 48,000 EUR.'
    const { ws, out } = proposal(content)
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('client-proposal')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    expect(perform(ws, out, 'adam', { action: 'approve' }).ok).toBe(true)

    const payload = claimedPayload(ws, out, Date.UTC(2026, 0, 2, 3, 4, 5))
    expect(checkPayload(payload)).toBeNull()
    expect(payload.content).toBe(content)
    expect(payload.manifest.approvers.map((a) => a.memberId)).toEqual(['adam'])
    expect(payload.manifest.approvers[0]!.name).toBe(ws.members.get('adam')!.name)
    expect(payload.manifest.checklist.length).toBe(ws.types.get('client-proposal')!.checklist.length)
    expect(payload.manifest.checklist.every((c) => c.verdict === 'pass')).toBe(true)
    expect(payload.manifest).toMatchObject({
      destinationId: 'proposals',
      destinationName: 'Proposals folder',
      publishedAt: '2026-01-02T03:04:05.000Z',
      typeId: 'client-proposal',
    })
    expect(
      receiptRecord({
        ok: true,
        destinationKind: 'folder',
        at: 1,
        contentHash: payload.manifest.contentHash,
        detail: { path: '/x/a.md', fileHash: 'f', bytes: 3 },
      }),
    ).toMatchObject({ kind: 'folder', path: '/x/a.md', at: 1 })
  })

  it('marks a verdict carried from an earlier round, with that round and the version it was judged on', () => {
    const { ws, out } = proposal('Proposal for Initech: 12 weeks.', { carryOver: 'passed' })
    const [first, ...rest] = ws.types.get('client-proposal')!.checklist
    // Round one: every item passes on the first version, then it goes back for one more edit.
    perform(ws, out, 'alice', { action: 'submit' })
    const judgedOn = out.hash()
    for (const item of [first!, ...rest])
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    expect(perform(ws, out, 'rita', { action: 'request_changes', reasons: ['Add the start date'] }).ok).toBe(
      true,
    )
    const before = out.text()
    edit(out, 'alice', ' Starts 1 March.')
    domain.recordEdit(ws, out, 'alice', before)
    // Round two: the passes carry; the first item is judged again, the others stand as carried.
    perform(ws, out, 'alice', { action: 'submit' })
    perform(ws, out, 'rita', { action: 'judge', itemId: first!.id, verdict: 'pass' })
    expect(perform(ws, out, 'adam', { action: 'approve' }).ok).toBe(true)

    const payload = claimedPayload(ws, out, 1)
    expect(checkPayload(payload)).toBeNull()
    const [judgedAgain, ...carried] = payload.manifest.checklist
    expect(judgedAgain).not.toHaveProperty('carriedFrom')
    expect(carried.length).toBe(rest.length)
    for (const c of carried) expect(c.carriedFrom).toEqual({ round: 1, contentHash: judgedOn })
    expect(judgedOn).not.toBe(payload.manifest.contentHash)

    // Every published form says so: front matter, the sidecar/JSON manifest, the git commit.
    const { text } = renderOutput('markdown', payload)
    const fm = parseYaml(text.slice(4, text.indexOf('\n---\n', 3)), { version: '1.2' })
    expect(fm.signoff.checklist[0]).not.toHaveProperty('carriedFromRound')
    expect(fm.signoff.checklist[1]).toMatchObject({ carriedFromRound: '1', judgedOnHash: judgedOn })
    expect(JSON.parse(renderOutput('json', payload).text).manifest.checklist[1].carriedFrom.round).toBe(1)
    const message = commitMessage(payload)
    expect(message).toContain(`Checklist: ${carried[0]!.title}: pass (carried over from round 1)`)
    expect(message).toContain(`Checklist: ${judgedAgain!.title}: pass\n`)
  })
})
