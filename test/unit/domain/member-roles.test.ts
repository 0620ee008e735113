import { describe, expect, it } from 'vitest'
import { MAX_ROLE_HISTORY, memberAt, roleChange, rolesAt } from '../../../shared/domain/member-roles.ts'
import { parseMember } from '../../../shared/domain/parse.ts'
import type { Member } from '../../../shared/domain/types.ts'

const bea: Member = { id: 'bea', name: 'Bea', roles: ['reviewer'], joinedAt: 100 }

describe('roles over time', () => {
  it('a member whose roles never changed holds them at every time', () => {
    expect(rolesAt(bea, 0)).toEqual(['reviewer'])
    expect(rolesAt(bea)).toEqual(['reviewer'])
    expect(memberAt(bea, 5)).toBe(bea)
  })

  it('each change counts from its time; before the first, the roles held then; now, the current ones', () => {
    const once = { ...bea, ...roleChange(bea, ['reviewer', 'approver'], 1000) }
    const twice = { ...once, ...roleChange(once, [], 2000) }
    expect(twice.roleHistory).toEqual([
      { at: 0, roles: ['reviewer'] },
      { at: 1000, roles: ['reviewer', 'approver'] },
      { at: 2000, roles: [] },
    ])
    expect(rolesAt(twice, 999)).toEqual(['reviewer'])
    expect(rolesAt(twice, 1000)).toEqual(['reviewer', 'approver'])
    expect(rolesAt(twice, 1999)).toEqual(['reviewer', 'approver'])
    expect(rolesAt(twice, 2000)).toEqual([])
    expect(rolesAt(twice)).toEqual([])
    // Two admins' changes crossed: the current roles win from the latest change on.
    const crossed = { ...twice, roles: ['author' as const] }
    expect(rolesAt(crossed, 5000)).toEqual(['author'])
    expect(rolesAt(crossed, 1500)).toEqual(['reviewer', 'approver'])
  })

  it('keeps the last changes only, and reads a peer’s junk history defensively', () => {
    let m: Member = bea
    for (let i = 1; i <= MAX_ROLE_HISTORY + 20; i++)
      m = { ...m, ...roleChange(m, i % 2 ? ['approver'] : ['reviewer'], i * 10) }
    expect(m.roleHistory).toHaveLength(MAX_ROLE_HISTORY)
    const parsed = parseMember({
      id: 'x',
      name: 'X',
      roles: ['author'],
      roleHistory: [
        { at: 50, roles: ['admin', 'wizard'] },
        'junk',
        { at: 'soon' },
        { at: 10, roles: 'approver' },
      ],
    })
    expect(parsed?.roleHistory).toEqual([
      { at: 10, roles: [] },
      { at: 50, roles: ['admin'] },
    ])
    expect(parseMember({ id: 'y', name: 'Y', roles: [], roleHistory: 'no' })?.roleHistory).toBeUndefined()
  })
})
