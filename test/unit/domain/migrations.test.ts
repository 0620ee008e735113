/** Schema migrations: old documents open with their data kept, newer ones refuse clearly. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  migrate,
  NewerSchemaError,
  type Origin,
  OutputDoc,
  outputMigrations,
  REMOTE,
  schemaVersion,
  Workspace,
  workspaceMigrations,
} from '../../../shared/domain/index.ts'

/** A v0 workspace: written before schema versions existed, just a name and one member row. */
function v0Workspace(): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    doc.getMap('meta').set('name', 'Old Acme')
    doc.getMap('meta').set('id', 'ws-old')
    const row = new Y.Map<unknown>([
      ['id', 'ada'],
      ['name', 'Ada'],
      ['roles', ['admin']],
    ])
    doc.getMap('members').set('ada', row)
  })
  return doc
}

/** A v0 output: content and one trail event, no meta kind, no schema version. */
function v0Output(): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    doc.getMap('meta').set('title', 'Old post')
    doc.getText('content').insert(0, 'Hello from before versions.')
    doc.getArray('trail').push([{ id: 'e1', v: 1, kind: 'reopened', actor: 'ada', at: 1, reason: '' }])
  })
  return doc
}

const copy = (doc: Y.Doc): Y.Doc => {
  const c = new Y.Doc()
  Y.applyUpdate(c, Y.encodeStateAsUpdate(doc), REMOTE)
  return c
}

describe('migrations', () => {
  it('a v0 workspace migrates to the latest schema and keeps its name and members', () => {
    const doc = v0Workspace()
    expect(schemaVersion(doc)).toBe(0)
    const ws = new Workspace(doc)
    expect(schemaVersion(doc)).toBe(3)
    expect(ws.meta.get('kind')).toBe('signoff-workspace')
    expect(ws.name).toBe('Old Acme')
    expect(ws.id).toBe('ws-old')
    expect(ws.members.get('ada')).toMatchObject({ id: 'ada', name: 'Ada', roles: ['admin'] })
  })

  it('a v0 output migrates to v1 and keeps its content and trail', () => {
    const out = new OutputDoc(v0Output())
    expect(schemaVersion(out.doc)).toBe(1)
    expect(out.meta.get('kind')).toBe('signoff-output')
    expect(out.meta.get('title')).toBe('Old post')
    expect(out.text()).toBe('Hello from before versions.')
    expect(out.rawTrail()).toHaveLength(1)
  })

  it('migrate reports the versions it went from and to, and a second run does nothing', () => {
    const doc = v0Workspace()
    expect(migrate(doc, workspaceMigrations, 'workspace')).toEqual({ from: 0, to: 3 })
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    expect(migrate(doc, workspaceMigrations, 'workspace')).toEqual({ from: 3, to: 3 })
    new Workspace(doc)
    expect(updates).toEqual([])
  })

  it('a document from a newer schema is refused with a message that says to update', () => {
    const doc = new Y.Doc()
    doc.getMap('meta').set('schemaVersion', 99)
    let error: unknown
    try {
      new Workspace(doc)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(NewerSchemaError)
    const e = error as NewerSchemaError
    expect(e.found).toBe(99)
    expect(e.supported).toBe(3)
    expect(e.message).toBe(
      'This workspace was written by a newer Signoff (schema 99; this app understands up to 3). Update Signoff to open it.',
    )
    // Nothing was written to the newer document.
    expect(doc.getMap('meta').toJSON()).toEqual({ schemaVersion: 99 })
    expect(() => new OutputDoc(copy(doc))).toThrow(/This output was written by a newer Signoff/)
  })

  it('a malformed schema version is read as v0 and migrated', () => {
    for (const v of ['1', -1, 1.5, null]) {
      const doc = new Y.Doc()
      doc.getMap('meta').set('schemaVersion', v)
      expect(schemaVersion(doc)).toBe(0)
      new Workspace(doc)
      expect(schemaVersion(doc)).toBe(3)
    }
  })

  it('two peers migrating copies of the same v0 document offline merge into one v1 document', () => {
    const original = v0Workspace()
    const a = copy(original)
    const b = copy(original)
    const wsA = new Workspace(a)
    const wsB = new Workspace(b)
    // Each also keeps working offline after migrating.
    wsA.transact({ kind: 'local', memberId: 'ada' }, () => wsA.meta.set('name', 'Acme A'))
    wsB.transact({ kind: 'local', memberId: 'ada' }, () =>
      wsB.members.put({ id: 'bob', name: 'Bob', roles: ['reviewer'], joinedAt: 2 }),
    )
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), REMOTE)
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE)
    expect(a.getMap('meta').toJSON()).toEqual(b.getMap('meta').toJSON())
    expect(schemaVersion(a)).toBe(3)
    expect(a.getMap('meta').get('kind')).toBe('signoff-workspace')
    expect(wsA.name).toBe('Acme A')
    expect(
      wsA.members
        .all()
        .map((m) => m.id)
        .sort(),
    ).toEqual(['ada', 'bob'])
    expect(new Workspace(b).members.all()).toEqual(expect.arrayContaining(wsA.members.all()))
    // Opening the merged document again migrates nothing.
    expect(migrate(a, workspaceMigrations, 'workspace')).toEqual({ from: 3, to: 3 })
  })

  it('migration writes carry a migration origin with its version, so undo and the trace can tell them apart', () => {
    for (const [open, doc, versions] of [
      [(d: Y.Doc) => new Workspace(d), v0Workspace(), [1, 2, 3]],
      [(d: Y.Doc) => new OutputDoc(d), v0Output(), [1]],
    ] as const) {
      const origins: unknown[] = []
      doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
      open(doc)
      const expected: Origin[] = versions.map((version) => ({ kind: 'migration', version }))
      expect(origins).toEqual(expected)
    }
  })
})

describe('migrations, version by version', () => {
  it('v1 → v2 records the rules every type holds, so older rounds keep being judged by them', () => {
    const doc = v0Workspace()
    migrate(doc, workspaceMigrations.slice(0, 1), 'workspace')
    doc.transact(() => {
      doc.getMap('types').set(
        'post',
        new Y.Map<unknown>([
          ['id', 'post'],
          ['name', 'Post'],
          ['risk', 'medium'],
          ['checklist', [{ id: 'tone', title: 'Tone' }]],
          ['approverRoles', ['approver']],
        ]),
      )
      // A row that is not a type is skipped, not a throw.
      doc.getMap('types').set('junk', new Y.Map<unknown>([['id', 7]]))
    })
    expect(migrate(doc, workspaceMigrations, 'workspace')).toEqual({ from: 1, to: 3 })
    const ws = new Workspace(doc)
    const history = ws.policyBook().history('post')
    expect(history).toHaveLength(1)
    expect(history[0]!.hash).toBe(ws.currentPolicy('post'))
    expect(history[0]!.policy.checklist.map((i) => i.id)).toEqual(['tone'])
    expect(history[0]!.by).toBe('migration')
  })

  it('v2 → v3 stores summary rows as text that reads the same, and leaves bad rows bad', () => {
    const doc = v0Workspace()
    migrate(doc, workspaceMigrations.slice(0, 2), 'workspace')
    const row = {
      id: 'o1',
      title: 'Launch post',
      typeId: 'post',
      state: 'in_review',
      authorId: 'ada',
      assignees: ['bea'],
      tags: ['q4'],
      createdAt: 1,
      updatedAt: 2,
      submittedAt: 2,
      contentHash: 'h1',
      approvals: 0,
      approvalsRequired: 1,
      checklistDone: 1,
      checklistTotal: 2,
      checklistFailed: 0,
      reasons: [],
    }
    doc.transact(() => {
      doc.getMap('outputs').set('o1', row)
      doc.getMap('outputs').set('junk', { nope: true })
    })
    const before = new Workspace(doc, { migrate: false }).summary('o1')
    expect(before).toMatchObject({ id: 'o1', state: 'in_review', assignees: ['bea'] })
    // Another member, offline, migrates its own copy too.
    const other = copy(doc)
    expect(migrate(doc, workspaceMigrations, 'workspace')).toEqual({ from: 2, to: 3 })
    migrate(other, workspaceMigrations, 'workspace')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), REMOTE)
    expect(typeof doc.getMap('outputs').get('o1')).toBe('string')
    const ws = new Workspace(doc)
    expect(ws.summary('o1')).toEqual(before)
    expect(ws.summary('junk')).toBeUndefined()
    expect(ws.allSummaries().map((s) => s.id)).toEqual(['o1'])
    // A row changed from here is written as text; an unchanged one is not written again.
    let writes = 0
    doc.on('update', () => writes++)
    ws.transact(REMOTE, () => ws.putSummary(before!))
    expect(writes).toBe(0)
    ws.transact(REMOTE, () => ws.putSummary({ ...before!, state: 'approved', approvals: 1 }))
    expect(writes).toBe(1)
    expect(ws.summary('o1')).toMatchObject({ state: 'approved', approvals: 1 })
    // Text that is not a row reads as no row, as a bad object does.
    doc.transact(() => doc.getMap('outputs').set('o2', '{"id":"o2",'))
    expect(ws.summary('o2')).toBeUndefined()
  })

  it('migration lists are numbered from 1 with no gaps', () => {
    for (const list of [workspaceMigrations, outputMigrations]) {
      expect(list.map((m) => m.version)).toEqual(list.map((_, i) => i + 1))
      for (const m of list) expect(m.description.length).toBeGreaterThan(0)
    }
  })
})
