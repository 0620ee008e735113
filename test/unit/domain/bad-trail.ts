/**
 * Bad trails for the domain's bad-input tests: a well-formed trail that ends approved, and ways to
 * mix junk into it and check that the good events still count.
 */
import { expect } from 'vitest'
import { type DeriveInput, derive, type Member, SMALL_TEAM_TYPES } from '../../../shared/domain/index.ts'

export const TYPE = SMALL_TEAM_TYPES.find((t) => t.id === 'client-proposal')!
export const HASH = 'a'.repeat(64)
export const MEMBERS = new Map<string, Member>(
  (
    [
      ['alice', ['author']],
      ['rita', ['reviewer']],
      ['adam', ['approver']],
    ] as const
  ).map(([id, roles]) => [id, { id, name: id, roles: [...roles], joinedAt: 0 }]),
)

/** A well-formed trail that ends approved: created, submitted, every item passed, one approval. */
export function goodTrail(): Record<string, unknown>[] {
  let t = 100
  const ev = (kind: string, actor: string, fields: Record<string, unknown>) => ({
    id: `e${t}`,
    v: 1,
    kind,
    actor,
    at: t++,
    ...fields,
  })
  return [
    ev('created', 'alice', { title: 'Proposal', typeId: TYPE.id, contentHash: HASH }),
    ev('submitted', 'alice', { contentHash: HASH }),
    ...TYPE.checklist.map((item) =>
      ev('judged', 'rita', { contentHash: HASH, itemId: item.id, verdict: 'pass', note: '' }),
    ),
    ev('approved', 'adam', { contentHash: HASH, note: 'ok' }),
  ]
}

/** How many events the good trail has: bad ones appended after it start at this index. */
export const GOOD = goodTrail().length

export const input = (trail: readonly unknown[]): DeriveInput => ({
  trail,
  type: TYPE,
  members: MEMBERS,
  authorId: 'alice',
  currentHash: HASH,
})

/** Put junk before every good event and after the last, and return the junk's indexes. */
export function interleave(junk: unknown): { trail: unknown[]; junkAt: number[] } {
  const trail: unknown[] = []
  const junkAt: number[] = []
  for (const e of goodTrail()) {
    junkAt.push(trail.length)
    trail.push(junk, e)
  }
  junkAt.push(trail.length)
  trail.push(junk)
  return { trail, junkAt }
}

export function expectStillApproved(trail: unknown[]) {
  const d = derive(input(trail))
  expect(d.state).toBe('approved')
  expect(d.events.map((e) => e.id)).toEqual(goodTrail().map((e) => e.id))
  return d
}
