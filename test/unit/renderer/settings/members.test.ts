import { describe, expect, it } from 'vitest'
import { canManage } from '../../../../renderer/src/settings/members.ts'
import { toggleRole, validateNewMember } from '../../../../shared/domain/member-actions.ts'
import type { Member } from '../../../../shared/domain/types.ts'

const m = (id: string, roles: Member['roles']): Member => ({ id, name: id.toUpperCase(), roles, joinedAt: 0 })

describe('members and roles', () => {
  const team = [m('ada', ['author', 'admin']), m('bob', ['reviewer'])]

  it('only admins manage members and types', () => {
    expect(canManage(team, 'ada').ok).toBe(true)
    const bob = canManage(team, 'bob')
    expect(bob.ok).toBe(false)
    expect(!bob.ok && bob.reason).toMatch(/Only admins/)
  })

  it('toggles a role, keeping roles in canonical order', () => {
    expect(toggleRole(team, 'bob', 'author')).toEqual({ ok: true, roles: ['author', 'reviewer'] })
    expect(toggleRole(team, 'ada', 'author')).toEqual({ ok: true, roles: ['admin'] })
  })

  it('refuses to remove the last admin role, with the reason', () => {
    const r = toggleRole(team, 'ada', 'admin')
    expect(r.ok).toBe(false)
    expect(!r.ok && r.reason).toMatch(/ADA is the last admin/)
    const two = [...team, m('cy', ['admin'])]
    expect(toggleRole(two, 'ada', 'admin')).toEqual({ ok: true, roles: ['author'] })
  })

  it('validates a new member: a unique name and at least one role', () => {
    expect(validateNewMember('  Dee ', ['author'], team)).toEqual({ ok: true, name: 'Dee' })
    expect(validateNewMember('', [], team)).toEqual({
      ok: false,
      errors: { name: 'Give the member a name.', roles: 'Choose at least one role.' },
    })
    const dup = validateNewMember('bob', ['author'], team)
    // The member there already, by the name they have.
    expect(!dup.ok && dup.errors.name).toBe('There is already a member called "BOB".')
  })

  it('leaves bidi controls out of a name, so it cannot read as another (U+202E "nimda")', () => {
    expect(validateNewMember('\u202enimda', ['author'], team)).toEqual({ ok: true, name: 'nimda' })
    expect(validateNewMember('\u2067Dee\u2069', ['author'], team)).toEqual({ ok: true, name: 'Dee' })
    expect(validateNewMember('\u202e', ['author'], team)).toEqual({
      ok: false,
      errors: { name: 'Give the member a name.' },
    })
    const hidden = validateNewMember('B\u200fOB', ['author'], team)
    expect(!hidden.ok && hidden.errors.name).toBe('There is already a member called "BOB".')
  })
})
