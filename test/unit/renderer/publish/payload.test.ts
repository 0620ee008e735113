import { describe, expect, it } from 'vitest'
import { buildPayload, receiptRecord } from '../../../../renderer/src/publish/flow.ts'
import { claimPublish, deriveOutput, localOrigin, perform } from '../../../../shared/domain/index.ts'
import { checkPayload } from '../../../../shared/publish/manifest.ts'
import { setup } from '../../domain/fixture.ts'

describe('the publish payload', () => {
  it('carries exactly the approved bytes and a manifest with approvers, checklist and publisher', () => {
    const content = 'Proposal for Initech: 12 weeks, 48,000 EUR.'
    const { ws, out } = setup('client-proposal', content)
    ws.transact(localOrigin('admin'), () => {
      ws.destinations.put({ id: 'proposals', name: 'Proposals folder', kind: 'folder' })
      ws.types.patch('client-proposal', { allowedDestinations: ['proposals'] })
    })
    perform(ws, out, 'alice', { action: 'submit' })
    for (const item of ws.types.get('client-proposal')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' })
    expect(perform(ws, out, 'adam', { action: 'approve' }).ok).toBe(true)

    const claimed = claimPublish(ws, out, 'alice', 'proposals')
    expect(claimed.ok).toBe(true)
    if (!claimed.ok) return
    const { input, derived } = deriveOutput(ws, out)
    const payload = buildPayload(
      ws,
      out,
      input,
      derived,
      claimed.claim,
      ws.destinations.get('proposals')!,
      'alice',
      Date.UTC(2026, 0, 2, 3, 4, 5),
    )
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
})
