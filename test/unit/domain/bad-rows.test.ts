/**
 * Bad rows from other peers: member, output type, destination and summary rows arrive from
 * documents anyone in the workspace (or an older or buggy client) wrote. The row readers never
 * throw on them and keep every well-formed row (bad trails: bad-input.test.ts).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { localOrigin, SMALL_TEAM_TYPES } from '../../../shared/domain/index.ts'
import { parseDestination, parseMember, parseOutputType, parseSummary } from '../../../shared/domain/parse.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'

describe('rows from other peers', () => {
  it('member rows without an id or name are ignored and unknown roles dropped', () => {
    expect(parseMember({ name: 'No id' })).toBeNull()
    expect(parseMember({ id: 'x' })).toBeNull()
    expect(parseMember({ id: 7, name: 'Seven' })).toBeNull()
    expect(
      parseMember({ id: 'x', name: 'X', roles: ['god', 'admin', 3, null], joinedAt: 'yesterday' }),
    ).toEqual({
      id: 'x',
      name: 'X',
      roles: ['admin'],
      joinedAt: 0,
    })
    expect(parseMember({ id: 'x', name: 'X', roles: 'admin' })?.roles).toEqual([])
  })

  it('output type rows fall back to the strict side: unknown risk is high, no approver roles means approvers', () => {
    const t = parseOutputType({
      id: 't',
      name: 'T',
      risk: 'extreme',
      approverRoles: ['wizard'],
      approvalsRequired: 'two',
      allowSelfApproval: 'yes',
      reviewSlaHours: -4,
      checklist: [
        null,
        'x',
        { id: 'ok', title: 'OK' },
        { id: 'no-title' },
        { id: 'w', title: 'W', severity: 'meh' },
      ],
    })
    expect(t).toEqual({
      id: 't',
      name: 'T',
      description: '',
      risk: 'high',
      checklist: [
        { id: 'ok', title: 'OK', question: 'OK', guidance: '', severity: 'send-back' },
        { id: 'w', title: 'W', question: 'W', guidance: '', severity: 'send-back' },
      ],
      approvalsRequired: 1,
      approverRoles: ['approver'],
      allowSelfApproval: false,
      allowedDestinations: [],
      reviewSlaHours: 24,
    })
  })

  it.each([
    [0, 1],
    [-3, 1],
    [Number.NaN, 1],
    [Number.POSITIVE_INFINITY, 1],
    [2.7, 2],
    [99, 10],
  ])('an approvals count of %s is read as %s', (raw, read) => {
    expect(parseOutputType({ id: 't', name: 'T', approvalsRequired: raw })?.approvalsRequired).toBe(read)
  })

  it('destination rows of an unknown kind are ignored', () => {
    expect(parseDestination({ id: 'd', name: 'D', kind: 'ftp' })).toBeNull()
    expect(parseDestination({ id: 'd', name: 'D', kind: 'folder' })).toEqual({
      id: 'd',
      name: 'D',
      kind: 'folder',
    })
  })

  it('summary rows without their key fields or with an unknown state are ignored', () => {
    const good = { id: 'o', title: 'T', typeId: 't', authorId: 'a', state: 'draft' }
    expect(parseSummary(good)).toMatchObject({ ...good, approvals: 0, approvalsRequired: 1, reasons: [] })
    expect(parseSummary({ ...good, state: 'done' })).toBeNull()
    expect(parseSummary({ ...good, id: undefined })).toBeNull()
    expect(parseSummary({ ...good, title: 3 })).toBeNull()
    expect(parseSummary('junk')).toBeNull()
    expect(parseSummary(null)).toBeNull()
    expect(parseSummary({ ...good, approvals: '2', reasons: ['ok', 1], tags: 'x' })).toMatchObject({
      approvals: 0,
      reasons: ['ok'],
      tags: [],
    })
  })

  it('a summary row is frozen to its leaves: it is parsed once and shared by every reader', () => {
    const row = parseSummary({
      id: 'o',
      title: 'T',
      typeId: 't',
      authorId: 'a',
      state: 'published',
      tags: ['q3'],
      publishedTo: ['d'],
      publishError: { destinationId: 'd', error: 'down', at: 1 },
      nextSchedule: { destinationId: 'd', runAt: 2 },
      corrected: { at: 3, claimed: 'approved' },
    })!
    for (const part of [
      row,
      row.tags,
      row.assignees,
      row.reasons,
      row.publishedTo,
      row.publishError,
      row.nextSchedule,
      row.corrected,
    ])
      expect(Object.isFrozen(part)).toBe(true)
    expect(() => (row.tags as string[]).push('x')).toThrow(TypeError)
  })

  it('a workspace document with junk rows still reads its good rows', () => {
    const ws = smallTeamWorkspace(new Y.Doc(), 'w', 'Acme', { id: 'admin', name: 'Ada' })
    const types = ws.doc.getMap('types') as Y.Map<unknown>
    const members = ws.doc.getMap('members') as Y.Map<unknown>
    ws.transact(localOrigin('admin'), () => {
      // Not a row map at all.
      members.set('plain', { id: 'plain', name: 'Plain object' })
      members.set('str', 'junk')
      members.set('noname', new Y.Map<unknown>([['id', 'noname']]))
      types.set('num', 42)
      types.set('noname', new Y.Map<unknown>([['id', 'noname']]))
      ws.summaries.set('junk', 'junk')
      ws.summaries.set('half', { id: 'half' })
      ws.summaries.set('bad-state', { id: 'b', title: 'T', typeId: 't', authorId: 'a', state: 'shipped' })
      ws.summaries.set('good', { id: 'good', title: 'T', typeId: 't', authorId: 'a', state: 'in_review' })
      ws.summaries.set(
        'text',
        JSON.stringify({ id: 'text', title: 'T', typeId: 't', authorId: 'a', state: 'draft', tags: ['x'] }),
      )
    })
    // Read rows are shared: frozen, however they are stored.
    for (const id of ['good', 'text']) {
      const row = ws.summary(id)!
      expect(Object.isFrozen(row) && Object.isFrozen(row.tags)).toBe(true)
    }
    ws.transact(localOrigin('admin'), () => ws.summaries.delete('text'))
    expect(ws.members.all().map((m) => m.id)).toEqual(['admin'])
    expect(ws.members.get('plain')).toBeUndefined()
    expect(ws.memberMap().size).toBe(1)
    expect(ws.types.all()).toHaveLength(SMALL_TEAM_TYPES.length)
    expect(ws.types.get('num')).toBeUndefined()
    expect(ws.allSummaries().map((s) => s.id)).toEqual(['good'])
    expect(ws.summary('junk')).toBeUndefined()
  })
})

describe('rows keyed under another id', () => {
  it('a row stored under one key with another row id is ignored, so peers cannot disagree on who is who', async () => {
    const Y = await import('yjs')
    const { Workspace } = await import('../../../shared/domain/workspace.ts')
    const ws = new Workspace(new Y.Doc())
    /** A member row as a peer writes it: under `key`, saying it is member `id`. */
    const memberRow = (key: string, id: string, name: string, roles: string[]) =>
      ws.members.map.set(
        key,
        new Y.Map<unknown>([
          ['id', id],
          ['name', name],
          ['roles', roles],
        ]),
      )
    ws.doc.transact(() => {
      memberRow('m1', 'm1', 'Real', ['author'])
      memberRow('m2', 'm1', 'Shadow', ['admin'])
      ws.summaries.set('o2', { id: 'o1', title: 't', typeId: 'x', authorId: 'm1', state: 'draft' })
    })
    expect(ws.members.all().map((m) => m.name)).toEqual(['Real'])
    expect(ws.members.get('m2')).toBeUndefined()
    expect(ws.allSummaries()).toEqual([])
    expect(ws.summary('o2')).toBeUndefined()
  })
})
