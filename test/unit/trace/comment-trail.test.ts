import { describe, expect, it } from 'vitest'
import {
  acceptSuggestions,
  addComment,
  commentsOf,
  deriveOutput,
  deriveThreads,
  perform,
  replyToThread,
  resolveThread,
  suggestChange,
} from '../../../shared/domain/index.ts'
import { commentLines, commentsByRound, roundAt } from '../../../shared/trace/comment-trail.ts'
import { setup } from '../domain/fixture.ts'

const ok = (r: { ok: true; id: string } | { ok: false; reason: string }) => {
  if (!r.ok) throw new Error(r.reason)
  return r.id
}

describe('comments in the trace', () => {
  it('lists who said what about which version, per round, and forged records as not counted', () => {
    const { ws, out } = setup('internal-summary', 'Decisions: ship on Friday.')
    const draftVersion = out.hash().slice(0, 8)
    // Before review: Alice notes something on her draft.
    const note = ok(addComment(ws, out, 'alice', { from: 0, to: 9, body: 'Check the wording' }, 3_000))
    perform(ws, out, 'alice', { action: 'submit' }, 4_000)
    // Round 1: Rita comments, Alice replies, Rita suggests and Alice accepts, Rita resolves.
    const c = ok(addComment(ws, out, 'rita', { from: 19, to: 25, body: 'Which Friday?' }, 5_000))
    ok(replyToThread(ws, out, 'alice', { thread: c, body: 'The 14th.' }, 6_000))
    const s = ok(
      suggestChange(ws, out, 'rita', { from: 11, to: 15, replacement: 'release', body: '' }, 7_000),
    )
    expect(acceptSuggestions(ws, out, 'alice', { threads: [s] }, 8_000)).toEqual({ ok: true })
    ok(resolveThread(ws, out, 'rita', { thread: c }, 9_000))
    // A record nobody signed, slipped into the array.
    out.doc.transact(() =>
      commentsOf(out).push([
        {
          id: 'forged',
          v: 1,
          actor: 'adam',
          at: 9_500,
          kind: 'reply',
          thread: c,
          contentHash: 'x',
          body: 'LGTM',
          mentions: [],
        },
      ]),
    )
    const { derived, input } = deriveOutput(ws, out)
    const lines = commentLines(
      deriveThreads(ws, out),
      input.members,
      derived.rounds,
      (i) => commentsOf(out).get(i) as { actor?: unknown; at?: unknown },
    )
    const rounds = commentsByRound(lines)
    expect(rounds.map((r) => r.round)).toEqual([0, 1])
    expect(rounds[0]!.lines.map((l) => [l.id, l.text])).toEqual([
      [note, `Alice commented on “Decisions” (version ${draftVersion}): Check the wording`],
    ])
    const texts = rounds[1]!.lines.map((l) => l.text)
    expect(texts[0]).toMatch(/^Rita commented on “Friday” \(version [0-9a-f]{8}\): Which Friday\?$/)
    expect(texts[1]).toBe('Alice replied to the thread on “Friday”: The 14th.')
    expect(texts[2]).toMatch(/^Rita suggested replacing “ship” with “release” \(version [0-9a-f]{8}\)$/)
    expect(texts[3]).toMatch(/^Alice accepted the suggestion on “ship”, making it version [0-9a-f]{8}$/)
    expect(texts[4]).toBe('Rita resolved the thread on “Friday”')
    const forged = rounds[1]!.lines[5]!
    expect(forged).toMatchObject({ counted: false, who: 'Adam', kind: 'problem', unverified: true })
    expect(forged.text).toMatch(/^Not counted: reply by adam is unverified/)
  })

  it('a record belongs to the last round begun at or before it', () => {
    const rounds = [
      { round: 1, at: 10, eventId: 'a', by: 'x' },
      { round: 2, at: 20, eventId: 'b', by: 'x' },
    ]
    expect([5, 10, 19, 20, 99].map((at) => roundAt(rounds, at))).toEqual([0, 1, 1, 2, 2])
  })
})
