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
    expect(schemaVersion(doc)).toBe(2)
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
    expect(migrate(doc, workspaceMigrations, 'workspace')).toEqual({ from: 0, to: 2 })
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    expect(migrate(doc, workspaceMigrations, 'workspace')).toEqual({ from: 2, to: 2 })
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
    expect(e.supported).toBe(2)
    expect(e.message).toBe(
      'This workspace was written by a newer Signoff (schema 99; this app understands up to 2). Update Signoff to open it.',
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
      expect(schemaVersion(doc)).toBe(2)
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
    expect(schemaVersion(a)).toBe(2)
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
    expect(migrate(a, workspaceMigrations, 'workspace')).toEqual({ from: 2, to: 2 })
  })

  it('migration writes carry a migration origin with its version, so undo and the trace can tell them apart', () => {
    for (const [open, doc, versions] of [
      [(d: Y.Doc) => new Workspace(d), v0Workspace(), [1, 2]],
      [(d: Y.Doc) => new OutputDoc(d), v0Output(), [1]],
    ] as const) {
      const origins: unknown[] = []
      doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
      open(doc)
      const expected: Origin[] = versions.map((version) => ({ kind: 'migration', version }))
      expect(origins).toEqual(expected)
    }
  })

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
    expect(migrate(doc, workspaceMigrations, 'workspace')).toEqual({ from: 1, to: 2 })
    const ws = new Workspace(doc)
    const history = ws.policyBook().history('post')
    expect(history).toHaveLength(1)
    expect(history[0]!.hash).toBe(ws.currentPolicy('post'))
    expect(history[0]!.policy.checklist.map((i) => i.id)).toEqual(['tone'])
    expect(history[0]!.by).toBe('migration')
  })

  it('migration lists are numbered from 1 with no gaps', () => {
    for (const list of [workspaceMigrations, outputMigrations]) {
      expect(list.map((m) => m.version)).toEqual(list.map((_, i) => i + 1))
      for (const m of list) expect(m.description.length).toBeGreaterThan(0)
    }
  })
})
