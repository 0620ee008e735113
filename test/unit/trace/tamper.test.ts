/**
 * Tamper evidence: every way a member with write access to the shared documents could alter the
 * record of a decision is caught, named in the timeline, and not counted.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { nodeEd25519 } from '../../../electron/host/ed25519.ts'
import {
  confirmDevice,
  createOutput,
  type DeviceKey,
  deriveOutput,
  endorsement,
  enrollDevice,
  eventMessage,
  keyRecord,
  localOrigin,
  newDeviceKey,
  nobleEd25519,
  OutputDoc,
  perform,
  signEvent,
  type TrailEvent,
  Workspace,
} from '../../../shared/domain/index.ts'
import { changeRole } from '../../../shared/domain/member-actions.ts'
import { timeline } from '../../../shared/trace/timeline.ts'
import { deviceKeyOf } from '../../support/keys.ts'
import { setup } from '../domain/fixture.ts'

/** An output approved by adam and amy after rita passed every checklist item. */
function approved() {
  const { ws, out } = setup()
  perform(ws, out, 'alice', { action: 'submit' }, 3000)
  for (const item of ws.types.get('pricing-update')!.checklist)
    perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' }, 3100)
  expect(perform(ws, out, 'adam', { action: 'approve' }, 3200).ok).toBe(true)
  expect(perform(ws, out, 'amy', { action: 'approve' }, 3300).ok).toBe(true)
  expect(deriveOutput(ws, out).derived.state).toBe('approved')
  return { ws, out }
}

/** Submitted, its first checklist item failed by rita, and sent back for the wrong price. */
function sentBack() {
  const { ws, out } = setup()
  perform(ws, out, 'alice', { action: 'submit' }, 3000)
  const item = ws.types.get('pricing-update')!.checklist[0]!
  perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'fail', note: 'wrong price' }, 3100)
  perform(ws, out, 'rita', { action: 'request_changes', reasons: ['wrong price'] }, 3200)
  return { ws, out }
}

const events = (out: OutputDoc) => out.rawTrail() as TrailEvent[]
const indexOf = (out: OutputDoc, pred: (e: TrailEvent) => boolean) => events(out).findIndex(pred)

/** What a tamperer does with a Y.Array: delete an item and insert something in its place. */
function replaceAt(out: OutputDoc, index: number, value: unknown, who = 'otto') {
  out.transact(localOrigin(who), () => {
    out.trail.delete(index, 1)
    out.trail.insert(index, [value])
  })
}

function problemsOf(ws: Workspace, out: OutputDoc) {
  return deriveOutput(ws, out).derived.problems
}

function unverifiedLines(ws: Workspace, out: OutputDoc) {
  const { input, derived } = deriveOutput(ws, out)
  return timeline(derived, ws.memberMap(), input.type, { trail: out.rawTrail() }).filter((e) => e.unverified)
}

describe('an untouched trail', () => {
  it('verifies: every event signed by its author and chained, nothing reported', () => {
    const { ws, out } = approved()
    const trail = events(out)
    expect(trail.every((e) => typeof e.sig === 'string')).toBe(true)
    expect(trail.slice(1).every((e) => typeof e.prev === 'string')).toBe(true)
    expect(problemsOf(ws, out)).toEqual([])
    expect(unverifiedLines(ws, out)).toEqual([])
  })
})

describe('tampering is caught and not counted', () => {
  it('editing the payload of a past approval', () => {
    const { ws, out } = approved()
    const i = indexOf(out, (e) => e.kind === 'approved' && e.actor === 'adam')
    replaceAt(out, i, { ...events(out)[i]!, note: 'LGTM, no need to check the numbers' })
    const { derived } = deriveOutput(ws, out)
    expect(derived.state).toBe('in_review')
    const p = derived.problems.find((x) => x.index === i)!
    expect(p.unverified).toBe(true)
    expect(p.reason).toMatch(/approved by adam is unverified: Its signature does not match its content/)
    // The event chained after it says so too: it was changed after being followed.
    expect(derived.problems.find((x) => x.index === i + 1)?.reason).toMatch(
      /was changed after this one was signed/,
    )
    // And the event before it lost its only witness, so it is not confirmed either.
    expect(derived.problems.find((x) => x.index === i - 1)?.reason).toMatch(
      /The event that follows it \(.+\) does not verify, so nothing confirms this one is unchanged/,
    )
    const lines = unverifiedLines(ws, out)
    expect(lines.map((l) => l.index)).toEqual([i - 1, i, i + 1])
    expect(lines[1]!.who).toBe('Adam')
  })

  it('turning a failed checklist judgement into a pass, even re-signed by its own author', () => {
    const { ws, out } = sentBack()
    const i = indexOf(out, (e) => e.kind === 'judged')
    const original = events(out)[i] as TrailEvent & { kind: 'judged' }
    // Rita rewrites her own judgement and signs it again with her own key: the signature holds,
    // but the event chained after it named the original, so the change shows.
    const rewritten = signEvent(
      out.scope(),
      { ...original, verdict: 'pass' as const, note: '' },
      deviceKeyOf('rita'),
    )
    replaceAt(out, i, rewritten, 'rita')
    const problems = problemsOf(ws, out)
    expect(problems.find((p) => p.index === i)?.reason).toMatch(
      /judged by rita is unverified: It was changed after a later event \(.+\) was chained to it/,
    )
    expect(problems.find((p) => p.index === i + 1)?.reason).toMatch(/changes_requested by rita is unverified/)
  })

  it('swapping the signatures of two events', () => {
    const { ws, out } = approved()
    const a = indexOf(out, (e) => e.kind === 'approved' && e.actor === 'adam')
    const b = indexOf(out, (e) => e.kind === 'approved' && e.actor === 'amy')
    const ea = events(out)[a]!
    const eb = events(out)[b]!
    replaceAt(out, a, { ...ea, sig: eb.sig })
    replaceAt(out, b, { ...eb, sig: ea.sig })
    const { derived } = deriveOutput(ws, out)
    expect(derived.state).toBe('in_review')
    expect(derived.approvals).toEqual([])
    const reasons = derived.problems.filter((p) => p.index === a || p.index === b).map((p) => p.reason)
    expect(reasons).toEqual([
      expect.stringMatching(
        /approved by adam is unverified: It claims to be by Adam but is signed with Amy's key/,
      ),
      expect.stringMatching(
        /approved by amy is unverified: It claims to be by Amy but is signed with Adam's key/,
      ),
    ])
  })

  it('removing an event from the middle of the chain', () => {
    const { ws, out } = sentBack()
    perform(ws, out, 'alice', { action: 'submit' }, 3300)
    // Someone removes the "changes requested" so the record reads as if it was never sent back.
    const i = indexOf(out, (e) => e.kind === 'changes_requested')
    const removedId = events(out)[i]!.id
    out.transact(localOrigin('alice'), () => out.trail.delete(i, 1))
    const problems = problemsOf(ws, out)
    expect(problems).toHaveLength(1)
    expect(problems[0]!.index).toBe(i)
    expect(problems[0]!.reason).toBe(
      `submitted by alice is unverified: It follows event ${removedId}, which is missing before it: an event was removed or moved.`,
    )
  })

  it('moving an event earlier in the trail', () => {
    const { ws, out } = approved()
    const last = events(out).length - 1
    const moved = events(out)[last]!
    out.transact(localOrigin('otto'), () => {
      out.trail.delete(last, 1)
      out.trail.insert(2, [moved])
    })
    const p = problemsOf(ws, out).find((x) => x.index === 2)
    expect(p?.reason).toMatch(
      /approved by amy is unverified: It follows event .+, which is missing before it/,
    )
  })
})

describe('forged and replayed events are caught and not counted', () => {
  it("forging another member's approval with a new key", () => {
    const { ws, out } = approved()
    perform(ws, out, 'alice', { action: 'reopen' }, 4000)
    perform(ws, out, 'alice', { action: 'submit' }, 4100)
    const forger = newDeviceKey()
    const forge = (): TrailEvent => ({
      id: `forged-${out.trail.length}`,
      v: 1,
      kind: 'approved',
      actor: 'adam',
      at: 4200,
      contentHash: out.hash(),
      note: '',
    })
    // 1. Signed with a key nobody registered.
    out.transact(localOrigin('otto'), () => out.append(forge(), { memberId: 'adam', key: forger }))
    expect(problemsOf(ws, out).at(-1)?.reason).toMatch(/It is signed with key .+, which no member registered/)
    // 2. The key registered in Adam's name as his first device: Adam now has two keys that both
    //    claim to be his first, so neither counts until one is confirmed.
    ws.transact(localOrigin('otto'), () => ws.keys.put(keyRecord(ws.id, 'adam', forger, 'evil', 4300, false)))
    out.transact(localOrigin('otto'), () => out.append(forge(), { memberId: 'adam', key: forger }))
    const { derived } = deriveOutput(ws, out)
    expect(derived.problems.at(-1)?.reason).toMatch(
      /approved by adam is unverified: .*which is not trusted: 2 keys claim to be Adam's first device/,
    )
    expect(derived.approvals).toEqual([])
    // 3. Registered as a pending second device: not trusted until confirmed.
    ws.transact(localOrigin('otto'), () => ws.keys.delete(forger.publicKey))
    ws.transact(localOrigin('otto'), () => ws.keys.put(keyRecord(ws.id, 'adam', forger, 'evil', 4400, true)))
    out.transact(localOrigin('otto'), () => out.append(forge(), { memberId: 'adam', key: forger }))
    expect(problemsOf(ws, out).at(-1)?.reason).toMatch(/Waiting to be confirmed/)
    // 4. Otto cannot confirm it: only Adam's own trusted device or an admin may.
    ws.holdKey('otto', deviceKeyOf('otto'))
    expect(confirmDevice(ws, 'otto', forger.publicKey)).toEqual({
      ok: false,
      reason: 'Only the member themselves or an admin can confirm a device.',
    })
    // 5. Binding Adam's real key to Otto (to make Adam's approvals look like Otto's) fails the
    //    proof of possession.
    const stolen = {
      ...keyRecord(ws.id, 'otto', newDeviceKey(), 'x', 1, false),
      id: deviceKeyOf('adam').publicKey,
    }
    expect(ws.keyTrust().get(deviceKeyOf('adam').publicKey)?.trusted).toBe(true)
    ws.transact(localOrigin('otto'), () => ws.keys.put(stolen))
    expect(ws.keyTrust().get(stolen.id)?.why).toMatch(/proof of possession does not verify/)
  })

  it('replaying a valid approval onto another output', () => {
    const { ws, out } = approved()
    const other = new OutputDoc(new Y.Doc())
    createOutput(ws, other, {
      id: 'o2',
      title: 'April pricing',
      typeId: 'pricing-update',
      content: out.text(),
      authorId: 'alice',
      now: 5000,
    })
    perform(ws, other, 'alice', { action: 'submit' }, 5100)
    for (const item of ws.types.get('pricing-update')!.checklist)
      perform(ws, other, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' }, 5200)
    // Same bytes, so the same content hash: only the signature's scope tells them apart.
    expect(other.hash()).toBe(out.hash())
    const approvals = events(out).filter((e) => e.kind === 'approved')
    const last = events(other).at(-1)!
    other.transact(localOrigin('otto'), () => {
      // Chained properly to the other output's last event, but signed for the first output.
      const copy = { ...approvals[0]!, prev: `${last.id}:${'0'.repeat(64)}` }
      other.trail.push([copy, approvals[1]!])
    })
    const { derived } = deriveOutput(ws, other)
    expect(derived.state).toBe('in_review')
    expect(derived.approvals).toEqual([])
    for (const p of derived.problems.slice(-2))
      expect(p.reason).toMatch(
        /is unverified: Its signature does not match its content: it was changed after it was signed, or copied from another output/,
      )
  })

  it('replaying an approval onto another version of the same output', () => {
    const { ws, out } = approved()
    const approval = events(out).find((e) => e.kind === 'approved' && e.actor === 'adam')!
    out.transact(localOrigin('alice'), () => out.content.insert(0, 'Updated: '))
    perform(ws, out, 'alice', { action: 'reopen' }, 6000)
    perform(ws, out, 'alice', { action: 'submit' }, 6100)
    const last = events(out).at(-1)!
    const replay = {
      ...approval,
      id: 'replayed',
      contentHash: out.hash(),
      prev: `${last.id}:${'0'.repeat(64)}`,
    }
    out.transact(localOrigin('alice'), () => out.trail.push([replay, approval]))
    const problems = problemsOf(ws, out).slice(-2)
    expect(problems[0]!.reason).toMatch(/approved by adam is unverified: Its signature does not match/)
    expect(problems[1]!.reason).toBe('duplicate event id')
  })

  it('an unsigned event, as from an app without a key', () => {
    const { ws, out } = approved()
    perform(ws, out, 'alice', { action: 'reopen' }, 7000)
    perform(ws, out, 'alice', { action: 'submit' }, 7100)
    out.transact(localOrigin('adam'), () =>
      out.append({
        id: 'nosig',
        v: 1,
        kind: 'approved',
        actor: 'adam',
        at: 7200,
        contentHash: out.hash(),
        note: '',
      }),
    )
    expect(problemsOf(ws, out).at(-1)?.reason).toBe(
      'approved by adam is unverified: It is not signed, so nothing shows who wrote it.',
    )
  })
})

describe('honest concurrency verifies', () => {
  it('two members approving offline both chain to the same event, and both count after the merge', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    for (const item of ws.types.get('pricing-update')!.checklist)
      perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' }, 3100)
    const copy = new OutputDoc(new Y.Doc())
    Y.applyUpdate(copy.doc, Y.encodeStateAsUpdate(out.doc))
    perform(ws, out, 'adam', { action: 'approve' }, 3200)
    perform(ws, copy, 'amy', { action: 'approve' }, 3201)
    Y.applyUpdate(out.doc, Y.encodeStateAsUpdate(copy.doc))
    const trail = events(out)
    expect(trail.at(-1)!.prev).toBe(trail.at(-2)!.prev)
    const { derived } = deriveOutput(ws, out)
    expect(derived.problems).toEqual([])
    expect(derived.state).toBe('approved')
  })
})

describe('device keys', () => {
  function freshWorkspace() {
    const { ws } = setup()
    return ws
  }
  it("a member's second device waits for confirmation, then signs", () => {
    const ws = freshWorkspace()
    const laptop2: DeviceKey = newDeviceKey()
    expect(enrollDevice(ws, 'rita', laptop2, 'Rita’s desktop', 5000)).toBe('pending')
    expect(ws.signingProblem('rita')).toMatch(/not trusted: Waiting to be confirmed/)
    // Rita confirms it from her first device.
    ws.holdKey('rita', deviceKeyOf('rita'))
    expect(confirmDevice(ws, 'rita', laptop2.publicKey, 5100)).toEqual({ ok: true })
    expect(ws.keyTrust().get(laptop2.publicKey)).toMatchObject({ trusted: true, why: /Confirmed by Rita/ })
    ws.holdKey('rita', laptop2)
    expect(ws.signingProblem('rita')).toBeNull()
  })

  it('an admin may confirm a device; a device cannot confirm itself', () => {
    const ws = freshWorkspace()
    const key = newDeviceKey()
    enrollDevice(ws, 'adam', key, 'new', 5000)
    expect(confirmDevice(ws, 'adam', key.publicKey)).toEqual({
      ok: false,
      reason: 'A device cannot confirm itself; confirm it from another device.',
    })
    expect(confirmDevice(ws, 'admin', key.publicKey, 5100)).toEqual({ ok: true })
    expect(ws.keyTrust().get(key.publicKey)?.trusted).toBe(true)
  })

  it("an admin's confirmation stands after they stop being an admin; one they make after does not count", () => {
    const ws = freshWorkspace()
    const key = newDeviceKey()
    enrollDevice(ws, 'adam', key, 'new', 5000)
    expect(confirmDevice(ws, 'admin', key.publicKey, 5100)).toEqual({ ok: true })
    expect(changeRole(ws, 'admin', 'adam', 'admin', 6000)).toEqual({ ok: true })
    expect(changeRole(ws, 'adam', 'admin', 'admin', 7000)).toEqual({ ok: true })
    expect(ws.keyTrust().get(key.publicKey)).toMatchObject({ trusted: true, why: /Confirmed by Ada/ })
    // Confirmed by a device of the former admin after the change: it does not count.
    const later = newDeviceKey()
    enrollDevice(ws, 'rita', later, 'new', 8000)
    const row = ws.keys.get(later.publicKey)
    if (!row) throw new Error('no key row')
    ws.transact(localOrigin('admin'), () =>
      ws.keys.patch(later.publicKey, endorsement(ws.id, row, deviceKeyOf('admin'), 9000)),
    )
    expect(ws.keyTrust().get(later.publicKey)?.trusted).toBe(false)
  })

  it('review actions from a device that cannot sign are refused with the reason', () => {
    const { ws, out } = setup()
    perform(ws, out, 'alice', { action: 'submit' }, 3000)
    // The same document opened by a process that holds nobody's key.
    const bare = new Workspace(ws.doc)
    expect(perform(bare, out, 'rita', { action: 'judge', itemId: 'numbers', verdict: 'pass' })).toEqual({
      ok: false,
      reason: 'This device holds no signing key for you, so nothing you record here would count.',
    })
  })
})

describe('the two Ed25519 backends', () => {
  it('accept each other’s signatures and refuse the same forgeries', () => {
    const key = newDeviceKey()
    const message = eventMessage({ workspaceId: 'w', outputId: 'o' }, { id: 'e1', kind: 'approved' })
    const a = nobleEd25519.sign(message, key)
    const b = nodeEd25519.sign(message, key)
    expect(a).toBe(b) // RFC 8032 signatures are deterministic
    expect(nobleEd25519.verify(key.publicKey, message, b)).toBe(true)
    expect(nodeEd25519.verify(key.publicKey, message, a)).toBe(true)
    const altered = message.slice()
    altered[altered.length - 2] = (altered[altered.length - 2] ?? 0) ^ 1
    const flipped = `${a.slice(0, 10)}${a[10] === '0' ? '1' : '0'}${a.slice(11)}`
    for (const backend of [nobleEd25519, nodeEd25519]) {
      expect(backend.verify(key.publicKey, altered, a)).toBe(false)
      expect(backend.verify(key.publicKey, message, flipped)).toBe(false)
      expect(backend.verify(newDeviceKey().publicKey, message, a)).toBe(false)
    }
  })
})
