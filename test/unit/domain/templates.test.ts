/** The starter templates: realistic types a small team would use, and workspaces created from them. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  createWorkspace,
  parseOutputType,
  ROLES,
  SMALL_TEAM_TYPES,
  TEMPLATES,
} from '../../../shared/domain/index.ts'

const byName = (name: string) => SMALL_TEAM_TYPES.find((t) => t.name === name)

describe('the small-team template', () => {
  it.each([
    ['Internal summary', 'low'],
    ['Social post', 'medium'],
    ['Blog article', 'medium'],
    ['Customer email', 'high'],
    ['Homepage / web copy', 'high'],
    ['Pricing update', 'critical'],
    ['Client proposal', 'high'],
  ])('has a "%s" type of %s risk', (name, risk) => {
    expect(byName(name)?.risk).toBe(risk)
  })

  it('is the template called "small-team"', () => {
    expect(TEMPLATES.find((t) => t.id === 'small-team')?.types).toBe(SMALL_TEAM_TYPES)
  })

  it('only low-risk types let the author approve their own output', () => {
    for (const t of SMALL_TEAM_TYPES) expect(t.allowSelfApproval).toBe(t.risk === 'low')
  })

  it('critical types need two approvals from approvers or admins', () => {
    for (const t of SMALL_TEAM_TYPES.filter((t) => t.risk === 'critical')) {
      expect(t.approvalsRequired).toBeGreaterThanOrEqual(2)
      expect(t.approverRoles).not.toContain('reviewer')
    }
  })

  it.each(TEMPLATES.flatMap((tpl) => tpl.types.map((t) => [tpl.id, t.id, t] as const)))(
    '%s/%s round-trips through parseOutputType unchanged',
    (_, __, type) => {
      expect(parseOutputType(JSON.parse(JSON.stringify(type)))).toEqual(type)
    },
  )

  it('every type has a description, an SLA and a non-empty checklist', () => {
    for (const t of SMALL_TEAM_TYPES) {
      expect(t.description.length).toBeGreaterThan(0)
      expect(t.reviewSlaHours).toBeGreaterThan(0)
      expect(t.checklist.length).toBeGreaterThan(0)
      expect(t.checklist.some((i) => i.severity === 'send-back')).toBe(true)
      expect(t.approverRoles.length).toBeGreaterThan(0)
    }
  })

  it('every checklist item has a question and guidance', () => {
    for (const t of SMALL_TEAM_TYPES) {
      for (const item of t.checklist) {
        expect(item.title.length, `${t.id}/${item.id}`).toBeGreaterThan(0)
        expect(item.question, `${t.id}/${item.id}`).toMatch(/\?$/)
        expect(item.guidance.length, `${t.id}/${item.id}`).toBeGreaterThan(10)
      }
    }
  })

  it('type ids are unique, and item ids are unique within each type', () => {
    const ids = SMALL_TEAM_TYPES.map((t) => t.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const t of SMALL_TEAM_TYPES) {
      const items = t.checklist.map((i) => i.id)
      expect(new Set(items).size, t.id).toBe(items.length)
    }
    const templateIds = TEMPLATES.map((t) => t.id)
    expect(new Set(templateIds).size).toBe(templateIds.length)
  })
})

describe('creating a workspace', () => {
  const args = {
    id: 'w1',
    name: '  Acme  ',
    creator: { id: 'ada', name: 'Ada' },
    templateId: 'small-team',
    now: 5,
  }

  it('makes its creator a member with every role and copies the template types', () => {
    const ws = createWorkspace(new Y.Doc(), args)
    expect(ws.name).toBe('Acme')
    expect(ws.id).toBe('w1')
    expect(ws.members.all()).toEqual([{ id: 'ada', name: 'Ada', roles: [...ROLES], joinedAt: 5 }])
    for (const t of SMALL_TEAM_TYPES) expect(ws.types.get(t.id)).toEqual(t)
  })

  it('copies the types, so editing a workspace type leaves the template alone', () => {
    const ws = createWorkspace(new Y.Doc(), args)
    ws.transact({ kind: 'local', memberId: 'ada' }, () =>
      ws.types.patch('pricing-update', { approvalsRequired: 3 }),
    )
    expect(ws.types.get('pricing-update')?.approvalsRequired).toBe(3)
    expect(SMALL_TEAM_TYPES.find((t) => t.id === 'pricing-update')?.approvalsRequired).toBe(2)
  })

  it('the empty template starts with no types', () => {
    expect(createWorkspace(new Y.Doc(), { ...args, templateId: 'empty' }).types.all()).toEqual([])
  })

  it.each(['', '   ', '\n\t'])('refuses a blank workspace name (%j)', (name) => {
    expect(() => createWorkspace(new Y.Doc(), { ...args, name })).toThrow('A workspace needs a name.')
  })

  it('refuses a creator without a name', () => {
    expect(() => createWorkspace(new Y.Doc(), { ...args, creator: { id: 'ada', name: ' ' } })).toThrow(
      'Your profile needs a name.',
    )
  })

  it('refuses an unknown template', () => {
    expect(() => createWorkspace(new Y.Doc(), { ...args, templateId: 'enterprise' })).toThrow(
      'There is no starter template "enterprise".',
    )
  })

  it('cuts an overlong name to 120 characters', () => {
    expect(createWorkspace(new Y.Doc(), { ...args, name: 'x'.repeat(300) }).name).toHaveLength(120)
  })
})
