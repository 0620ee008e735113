/**
 * Property: whatever a member with write access does to a signed trail (change a field, move,
 * remove, duplicate with a new id, re-sign an event with its author's own key), any change other
 * than cutting events off the end is reported, and every event derivation still counts is one
 * its author signed: byte for byte what was written, or (the one thing a hash chain cannot
 * rule out) rewritten by its own author.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  canonicalJson,
  deriveOutput,
  localOrigin,
  perform,
  signEvent,
  type TrailEvent,
} from '../../../shared/domain/index.ts'
import { deviceKeyOf } from '../../support/keys.ts'
import { setup } from '../domain/fixture.ts'

type Tamper =
  | { kind: 'field'; at: number; field: 'note' | 'verdict' | 'contentHash' | 'actor' | 'at' }
  | { kind: 'remove'; at: number }
  | { kind: 'move'; from: number; to: number }
  | { kind: 'resign'; at: number; field: 'note' | 'verdict' }
  | { kind: 'clone'; at: number }

const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({
    kind: fc.constant('field' as const),
    at: fc.nat(40),
    field: fc.constantFrom(
      'note' as const,
      'verdict' as const,
      'contentHash' as const,
      'actor' as const,
      'at' as const,
    ),
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(40) }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat(40), to: fc.nat(40) }),
  fc.record({
    kind: fc.constant('resign' as const),
    at: fc.nat(40),
    field: fc.constantFrom('note' as const, 'verdict' as const),
  }),
  fc.record({ kind: fc.constant('clone' as const), at: fc.nat(40) }),
)

function honest() {
  const { ws, out } = setup()
  perform(ws, out, 'alice', { action: 'submit' }, 3000)
  for (const item of ws.types.get('pricing-update')!.checklist)
    perform(ws, out, 'rita', { action: 'judge', itemId: item.id, verdict: 'pass' }, 3100)
  perform(ws, out, 'adam', { action: 'approve' }, 3200)
  perform(ws, out, 'amy', { action: 'approve' }, 3300)
  return { ws, out }
}

describe('tampering with a signed trail', () => {
  it('never gets a changed event counted, and is reported unless it only cuts the end', () => {
    fc.assert(
      fc.property(fc.array(tamperArb, { minLength: 1, maxLength: 3 }), (tampers) => {
        const { ws, out } = honest()
        const original = (out.rawTrail() as TrailEvent[]).map((e) => canonicalJson(e))
        const genuine = new Set(original)
        const resigned = new Set<string>()
        const trail = out.trail
        out.transact(localOrigin('otto'), () => {
          for (const t of tampers) {
            const n = trail.length
            if (n === 0) return
            const e = trail.get(('at' in t ? t.at : t.from) % n) as Record<string, unknown>
            const i = ('at' in t ? t.at : t.from) % n
            switch (t.kind) {
              case 'field': {
                const changed = { ...e }
                if (t.field === 'verdict') changed.verdict = e.verdict === 'pass' ? 'fail' : 'pass'
                else if (t.field === 'contentHash') changed.contentHash = 'f'.repeat(64)
                else if (t.field === 'actor') changed.actor = e.actor === 'adam' ? 'amy' : 'adam'
                else if (t.field === 'at') changed.at = Number(e.at) + 1
                else changed.note = `${String(e.note ?? '')} (edited)`
                trail.delete(i, 1)
                trail.insert(i, [changed])
                break
              }
              case 'resign': {
                const actor = String(e.actor)
                const changed = { ...e, [t.field]: t.field === 'verdict' ? 'fail' : 'rewritten' }
                trail.delete(i, 1)
                const signed = signEvent(out.scope(), changed, deviceKeyOf(actor))
                resigned.add(canonicalJson(signed))
                trail.insert(i, [signed])
                break
              }
              case 'remove':
                trail.delete(i, 1)
                break
              case 'move': {
                const to = t.to % n
                trail.delete(i, 1)
                trail.insert(Math.min(to, trail.length), [e])
                break
              }
              case 'clone':
                trail.push([{ ...e, id: `${String(e.id)}-copy` }])
                break
            }
          }
        })
        const after = (out.rawTrail() as TrailEvent[]).map((e) => canonicalJson(e))
        const { derived } = deriveOutput(ws, out)
        // Counted events are genuine, byte for byte, or re-signed by their own author.
        for (const e of derived.events)
          if (!genuine.has(canonicalJson(e))) expect(resigned.has(canonicalJson(e))).toBe(true)
        // Anything but a cut of the end is reported.
        const isPrefix = after.length <= original.length && after.every((x, k) => x === original[k])
        // An author rewriting their own latest event, which nothing follows (any more), leaves
        // no witness in the trail (the relay's log still holds the original).
        // Likewise an author appending an event they signed themselves is just them writing.
        const kept = after.filter((x) => !resigned.has(x))
        const headRewrite =
          after.slice(kept.length).every((x) => resigned.has(x)) && kept.every((x, k) => x === original[k])
        if (!isPrefix && !headRewrite) expect(derived.problems.length).toBeGreaterThan(0)
      }),
      { numRuns: 300 },
    )
    // Hundreds of signed trails: on two busy cores (the whole suite at once) this passes 30 s.
  }, 120_000)
})
