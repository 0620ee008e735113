import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addComment,
  commentsOf,
  deriveOutput,
  deriveThreads,
  localOrigin,
  mentionsIn,
  OutputDoc,
  reopenThread,
  replyToThread,
  resolveThread,
  threadIndexRow,
  threadReasons,
  Workspace,
} from '../../../shared/domain/index.ts'
import { setup } from '../domain/fixture.ts'

const TEXT = 'Pro plan: 29 EUR per month from 1 March.'

/** A second member's copy of the same documents, synced by exchanging whole updates. */
function peer(ws: Workspace, out: OutputDoc, memberId: string) {
  const wsDoc = new Y.Doc()
  Y.applyUpdate(wsDoc, Y.encodeStateAsUpdate(ws.doc))
  const ws2 = new Workspace(wsDoc)
  const key = ws.signerFor(memberId)?.key
  if (key) ws2.holdKey(memberId, key)
  const outDoc = new Y.Doc()
  Y.applyUpdate(outDoc, Y.encodeStateAsUpdate(out.doc))
  return { ws: ws2, out: new OutputDoc(outDoc) }
}
const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}
const edit = (out: OutputDoc, who: string, fn: (t: Y.Text) => void) =>
  out.transact(localOrigin(who), () => fn(out.content))

describe('anchored comments', () => {
  it('a comment sits on the selected words, signed and chained', () => {
    const { ws, out } = setup()
    const from = TEXT.indexOf('29 EUR')
    const r = addComment(ws, out, 'rita', { from, to: from + 6, body: 'Is this the price with VAT?' }, 5000)
    expect(r.ok).toBe(true)
    const { threads, open, problems } = deriveThreads(ws, out)
    expect(problems).toEqual([])
    expect(open).toBe(1)
    expect(threads[0]).toMatchObject({
      by: 'rita',
      words: '29 EUR',
      range: { from, to: from + 6 },
      removed: false,
    })
    expect(threads[0]!.contentHash).toBe(out.hash())
    const raw = commentsOf(out).get(0) as { sig?: string }
    expect(raw.sig).toMatch(/^[0-9a-f]{64}\.[0-9a-f]{128}$/)
  })

  it('stays on the same words while another member edits before and inside them, offline too', () => {
    const { ws, out } = setup()
    const from = TEXT.indexOf('29 EUR')
    addComment(ws, out, 'rita', { from, to: from + 6, body: 'Check the price' })
    const other = peer(ws, out, 'alice')
    // Offline on both sides: Alice edits before and inside the words, Rita at the very end.
    edit(other.out, 'alice', (t) => t.insert(0, 'NEW: '))
    edit(other.out, 'alice', (t) => t.insert(other.out.text().indexOf('EUR'), 'thousand '))
    edit(out, 'rita', (t) => t.insert(t.length, ' Taxes extra.'))
    sync(out.doc, other.out.doc)
    expect(out.text()).toBe(other.out.text())
    for (const side of [
      { ws, out },
      { ws: other.ws, out: other.out },
    ]) {
      const [t] = deriveThreads(side.ws, side.out).threads
      expect(t!.words).toBe('29 thousand EUR')
      expect(side.out.text().slice(t!.range!.from, t!.range!.to)).toBe('29 thousand EUR')
    }
  })

  it('text typed right before or after the words stays outside the anchor', () => {
    const { ws, out } = setup()
    const from = TEXT.indexOf('29 EUR')
    addComment(ws, out, 'rita', { from, to: from + 6, body: 'x' })
    edit(out, 'alice', (t) => t.insert(from + 6, '!'))
    edit(out, 'alice', (t) => t.insert(from, '~'))
    expect(deriveThreads(ws, out).threads[0]!.words).toBe('29 EUR')
  })

  it('when its words are deleted the thread stays, on removed text, with its quote', () => {
    const { ws, out } = setup()
    const from = TEXT.indexOf('29 EUR')
    addComment(ws, out, 'rita', { from, to: from + 6, body: 'Check the price' })
    edit(out, 'alice', (t) => t.delete(from - 1, 8))
    const [t] = deriveThreads(ws, out).threads
    expect(t).toMatchObject({ removed: true, range: null, words: '29 EUR', status: 'open' })
    expect(threadReasons([t!])).toEqual(['“29 EUR” (removed text): Check the price'])
  })

  it('replies, @mentions into the workspace index, resolve and reopen', () => {
    const { ws, out } = setup()
    const c = addComment(ws, out, 'rita', { from: 0, to: 8, body: 'Name the plan' })
    if (!c.ok) throw new Error(c.reason)
    expect(replyToThread(ws, out, 'alice', { thread: c.id, body: 'Done. @Rita and @adam, ok?' }).ok).toBe(
      true,
    )
    const [t] = deriveThreads(ws, out).threads
    expect(t!.replies).toHaveLength(1)
    expect(t!.replies[0]!.mentions.sort()).toEqual(['adam', 'rita'])
    const row = threadIndexRow(ws, 'o1')
    expect(row.open).toBe(1)
    expect(row.mentions.map((m) => m.memberId).sort()).toEqual(['adam', 'rita'])
    expect(resolveThread(ws, out, 'alice', { thread: c.id }).ok).toBe(true)
    expect(threadIndexRow(ws, 'o1').open).toBe(0)
    expect(resolveThread(ws, out, 'alice', { thread: c.id })).toEqual({
      ok: false,
      reason: 'Only an open comment thread can be resolved.',
    })
    expect(reopenThread(ws, out, 'rita', { thread: c.id }).ok).toBe(true)
    expect(deriveThreads(ws, out).threads[0]!.status).toBe('open')
  })

  it('refuses bad input with a sentence and writes nothing', () => {
    const { ws, out } = setup()
    expect(addComment(ws, out, 'rita', { from: 0, to: 0, body: 'x' })).toEqual({
      ok: false,
      reason: 'Select the words the comment is about.',
    })
    expect(addComment(ws, out, 'rita', { from: 0, to: 999, body: 'x' }).ok).toBe(false)
    expect(addComment(ws, out, 'rita', { from: 0, to: 3, body: '   ' })).toEqual({
      ok: false,
      reason: 'Write something first.',
    })
    expect(addComment(ws, out, 'mallory', { from: 0, to: 3, body: 'hi' }).ok).toBe(false)
    expect(replyToThread(ws, out, 'rita', { thread: 'nope', body: 'hi' }).ok).toBe(false)
    expect(commentsOf(out).length).toBe(0)
  })

  it('a forged or altered record is not counted, and a comment never counts as a trail event', () => {
    const { ws, out } = setup()
    addComment(ws, out, 'rita', { from: 0, to: 3, body: 'Real' })
    // Someone with write access appends a comment "by adam" without adam's key, and copies
    // Rita's signed comment into the trail.
    const arr = commentsOf(out)
    const real = arr.get(0) as Record<string, unknown>
    out.transact(localOrigin('x'), () => {
      arr.push([{ ...real, id: 'c-forged', actor: 'adam', body: 'Approve it anyway' }])
      out.trail.push([real])
    })
    const { threads, problems } = deriveThreads(ws, out)
    expect(threads.map((t) => t.body)).toEqual(['Real'])
    expect(problems[0]!.reason).toMatch(/unverified/)
    const { derived } = deriveOutput(ws, out)
    expect(derived.problems.some((p) => p.eventId === real.id)).toBe(true)
  })

  it('finds @mentions by full name or an unambiguous first name', () => {
    const members = [
      { id: 'b1', name: 'Bea Reviewer', roles: [], joinedAt: 0 },
      { id: 'b2', name: 'Bea Other', roles: [], joinedAt: 0 },
      { id: 'c', name: 'Carl', roles: [], joinedAt: 0 },
    ]
    expect(mentionsIn('@Bea Reviewer look', members)).toEqual(['b1'])
    expect(mentionsIn('@bea look', members)).toEqual([])
    expect(mentionsIn('mail carl@x.com, @Carlos', members)).toEqual([])
    expect(mentionsIn('thanks @carl.', members)).toEqual(['c'])
  })
})
