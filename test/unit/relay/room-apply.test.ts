import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Room, type RoomSource } from '../../../sync-server/room.ts'

const emptyLog: RoomSource = {
  checkpoint: () => undefined,
  stats: () => ({ seq: 0, bytes: 0 }),
  updates: () => [],
  clientOwners: () => new Map(),
}

function room(): Room {
  return new Room('W/doc', emptyLog, () => {})
}

/** Updates a client makes while `edit` runs, one per transaction. */
function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const out: Uint8Array[] = []
  const on = (u: Uint8Array) => out.push(u)
  doc.on('update', on)
  edit()
  doc.off('update', on)
  return out
}

describe('Room.apply tells a change from a no-op (nothing is logged for a no-op)', () => {
  it('an insert changes the document; the same update again does not', () => {
    const client = new Y.Doc()
    const [insert] = updatesOf(client, () => client.getText('t').insert(0, 'hello'))
    const r = room()
    expect(r.apply(insert!)).toBe('changed')
    expect(r.apply(insert!)).toBe('noop')
    expect(r.doc.getText('t').toString()).toBe('hello')
  })

  it('a delete alone changes the document; deleting it again does not', () => {
    const client = new Y.Doc()
    const [insert] = updatesOf(client, () => client.getText('t').insert(0, 'hello'))
    const [del] = updatesOf(client, () => client.getText('t').delete(0, 2))
    const r = room()
    r.apply(insert!)
    expect(r.apply(del!)).toBe('changed')
    expect(r.apply(del!)).toBe('noop')
    expect(r.doc.getText('t').toString()).toBe('llo')
  })

  it('an empty update is a no-op, and an update missing what it builds on fails', () => {
    const client = new Y.Doc()
    const [first, second] = updatesOf(client, () => {
      client.getText('t').insert(0, 'a')
      client.getText('t').insert(1, 'b')
    })
    const r = room()
    expect(r.apply(Y.encodeStateAsUpdate(new Y.Doc()))).toBe('noop')
    expect(r.apply(second!)).toBe('failed')
    expect(first).toBeDefined()
  })
})
