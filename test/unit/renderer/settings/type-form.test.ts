import { describe, expect, it } from 'vitest'
import {
  changedSince,
  draftOf,
  editType,
  emptyDraft,
  mergeTypeEdit,
  type TypeDraft,
  validateType,
} from '../../../../renderer/src/settings/type-form.ts'
import { SMALL_TEAM_TYPES } from '../../../../shared/domain/templates.ts'
import type { Member } from '../../../../shared/domain/types.ts'

const pricing = SMALL_TEAM_TYPES.find((t) => t.id === 'pricing-update')!
const member = (id: string, roles: Member['roles']): Member => ({ id, name: id, roles, joinedAt: 0 })

describe('output type form', () => {
  it('round-trips an existing type unchanged', () => {
    const v = validateType(draftOf(pricing), [])
    expect(v).toEqual({ ok: true, type: pricing, warnings: [] })
  })

  it('adds, edits, reorders and removes checklist items, keeping their ids', () => {
    let d = editType(emptyDraft(), { kind: 'field', field: 'name', value: 'Release notes' })
    d = editType(d, { kind: 'addItem', id: 'a' })
    d = editType(d, { kind: 'addItem', id: 'b' })
    d = editType(d, { kind: 'item', index: 0, patch: { title: 'First', question: 'Q1?' } })
    d = editType(d, {
      kind: 'item',
      index: 1,
      patch: { title: 'Second', question: 'Q2?', severity: 'warning' },
    })
    d = editType(d, { kind: 'moveItem', index: 1, by: -1 })
    expect(d.checklist.map((i) => i.id)).toEqual(['b', 'a'])
    expect(editType(d, { kind: 'moveItem', index: 0, by: -1 })).toBe(d)
    expect(editType(d, { kind: 'moveItem', index: 1, by: 1 })).toBe(d)
    d = editType(d, { kind: 'removeItem', index: 0 })
    expect(d.checklist).toEqual([
      { id: 'a', title: 'First', question: 'Q1?', guidance: '', severity: 'send-back' },
    ])
    const v = validateType(d, ['Pricing update'], [], () => 't1')
    expect(v.ok && v.type).toMatchObject({ id: 't1', name: 'Release notes', checklist: [{ id: 'a' }] })
  })

  it('keeps approver roles in canonical order', () => {
    let d: TypeDraft = { ...emptyDraft(), approverRoles: [] }
    d = editType(d, { kind: 'toggleRole', role: 'admin' })
    d = editType(d, { kind: 'toggleRole', role: 'reviewer' })
    expect(d.approverRoles).toEqual(['reviewer', 'admin'])
    expect(editType(d, { kind: 'toggleRole', role: 'admin' }).approverRoles).toEqual(['reviewer'])
  })

  it('says per field what is wrong: name, approver roles, approvals 1–10, SLA, item title and question', () => {
    let d: TypeDraft = { ...emptyDraft(), approverRoles: [], approvalsRequired: '0', reviewSlaHours: '-1' }
    d = editType(d, { kind: 'addItem', id: 'x' })
    const v = validateType(d, [])
    expect(v.ok).toBe(false)
    if (v.ok) return
    expect(Object.keys(v.errors).sort()).toEqual(
      [
        'approvalsRequired',
        'approverRoles',
        'item.0.question',
        'item.0.title',
        'name',
        'reviewSlaHours',
      ].sort(),
    )
    expect(validateType({ ...draftOf(pricing), approvalsRequired: '11' }, []).ok).toBe(false)
    expect(validateType({ ...draftOf(pricing), approvalsRequired: '1.5' }, []).ok).toBe(false)
    expect(validateType({ ...draftOf(pricing), approvalsRequired: '10' }, []).ok).toBe(true)
  })

  it('says the longest SLA it takes when one is too long, not that it must be above 0', () => {
    const v = validateType({ ...draftOf(pricing), reviewSlaHours: '100000' }, [])
    expect(!v.ok && v.errors.reviewSlaHours).toBe('The review SLA is at most 8,760 hours (a year).')
    expect(validateType({ ...draftOf(pricing), reviewSlaHours: '8760' }, []).ok).toBe(true)
  })

  it('refuses a second type with the same name', () => {
    const v = validateType({ ...emptyDraft(), name: ' pricing UPDATE ' }, ['Pricing update'])
    expect(!v.ok && v.errors.name).toMatch(/already a type/)
  })

  it('warns when too few members could ever approve, or the checklist is empty', () => {
    const v = validateType(draftOf(pricing), [], [member('a', ['approver']), member('b', ['author'])])
    expect(v.ok && v.warnings[0]).toMatch(/Only 1 member holds a role that may approve, but 2 approvals/)
    const empty = validateType({ ...emptyDraft(), name: 'X' }, [], [], () => 't')
    expect(empty.ok && empty.warnings).toEqual([expect.stringMatching(/checklist is empty/)])
  })
})

describe('saving a type that changed while the form was open', () => {
  const base = { ...pricing, allowedDestinations: ['site'] }
  const opened = draftOf(base)
  // Bea, elsewhere: a checklist item added, and the type no longer goes to "site".
  const theirs = {
    ...base,
    checklist: [
      ...base.checklist,
      {
        id: 'legal',
        title: 'Legal read it',
        question: 'Did legal read it?',
        guidance: '',
        severity: 'send-back' as const,
      },
    ],
    allowedDestinations: [],
  }

  it('keeps their changes to fields left alone here and writes only the fields changed here', () => {
    const mine = editType(opened, { kind: 'field', field: 'description', value: 'Prices, reviewed twice.' })
    const v = validateType(mine, [])
    if (!v.ok) throw new Error('invalid')
    const merged = mergeTypeEdit(theirs, opened, mine, v.type)
    expect(merged.overwrote).toEqual([])
    expect(merged.type.description).toBe('Prices, reviewed twice.')
    expect(merged.type.checklist.map((i) => i.id)).toContain('legal')
    expect(merged.type.allowedDestinations).toEqual([])
    expect(changedSince(theirs, opened)).toEqual(['the checklist', 'where it may be published'])
  })

  it('says which of their changes a change here replaced', () => {
    const mine = editType(opened, { kind: 'removeItem', index: 0 })
    const v = validateType(mine, [])
    if (!v.ok) throw new Error('invalid')
    const merged = mergeTypeEdit(theirs, opened, mine, v.type)
    expect(merged.overwrote).toEqual(['the checklist'])
    expect(merged.type.checklist.map((i) => i.id)).not.toContain('legal')
    expect(merged.type.allowedDestinations).toEqual([])
  })

  it('nothing changed anywhere: the save writes the form as it is', () => {
    expect(changedSince(base, opened)).toEqual([])
    const v = validateType(opened, [])
    if (!v.ok) throw new Error('invalid')
    expect(mergeTypeEdit(base, opened, opened, v.type)).toEqual({ type: base, overwrote: [] })
  })
})
