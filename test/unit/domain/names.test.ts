/** Names people tell things apart by: destinations (kept when removed) and the workspace. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { refreshSummary } from '../../../shared/domain/actions.ts'
import {
  addDestination,
  removeDestination,
  renameDestination,
} from '../../../shared/domain/destination-actions.ts'
import {
  destinationGone,
  destinationLabel,
  destinationLabels,
} from '../../../shared/domain/destination-names.ts'
import { renameWorkspace } from '../../../shared/domain/member-actions.ts'
import { Workspace } from '../../../shared/domain/workspace.ts'
import { setup } from './fixture.ts'

describe('destination names', () => {
  it('are unique whatever their case: adding or renaming onto a taken name is refused in words', () => {
    const { ws } = setup()
    const drive = addDestination(ws, 'admin', 'Shared drive', 'folder')
    expect(drive.ok).toBe(true)
    const taken = 'There is already a destination named “Shared drive”: give this one another name.'
    expect(addDestination(ws, 'admin', '  shared DRIVE ', 'git')).toEqual({ ok: false, reason: taken })
    const repo = addDestination(ws, 'admin', 'Site repo', 'git')
    if (!repo.ok || !drive.ok) throw new Error('setup')
    expect(renameDestination(ws, 'admin', repo.destination.id, 'SHARED drive')).toEqual({
      ok: false,
      reason: taken,
    })
    expect(ws.destinations.get(repo.destination.id)?.name).toBe('Site repo')
    // Its own name in another case is a rename, not a clash; a removed destination's name is free again.
    expect(renameDestination(ws, 'admin', drive.destination.id, 'Shared Drive')).toEqual({ ok: true })
    expect(removeDestination(ws, 'admin', drive.destination.id).ok).toBe(true)
    expect(renameDestination(ws, 'admin', repo.destination.id, 'Shared drive')).toEqual({ ok: true })
    // Only admins.
    expect(addDestination(ws, 'alice', 'Mine', 'folder')).toEqual({
      ok: false,
      reason: 'Only admins can change destinations.',
    })
  })
})

describe('a removed destination', () => {
  it('keeps its name for what went there, told apart from a new one of that name, on every peer', () => {
    const { ws } = setup()
    const drive = addDestination(ws, 'admin', 'Shared drive', 'folder')
    if (!drive.ok) throw new Error('setup')
    const id = drive.destination.id
    expect(destinationLabel(ws, id)).toBe('Shared drive')
    expect(removeDestination(ws, 'admin', id, 5_000)).toEqual({ ok: true })
    expect(ws.destinations.get(id)).toBeUndefined()
    expect(ws.removedDestinations.get(id)).toEqual({
      id,
      name: 'Shared drive',
      kind: 'folder',
      removedAt: 5_000,
      removedBy: 'admin',
    })
    expect(destinationGone(ws, id)).toBe(true)
    // A new destination may take the name; the two still read apart.
    const again = addDestination(ws, 'admin', 'Shared drive', 'git')
    if (!again.ok) throw new Error('setup')
    expect(destinationLabel(ws, id)).toBe('Shared drive (removed)')
    expect(destinationLabel(ws, again.destination.id)).toBe('Shared drive')
    expect(destinationLabels(ws)).toEqual(
      new Map([
        [id, 'Shared drive (removed)'],
        [again.destination.id, 'Shared drive'],
      ]),
    )
    // A peer that only syncs reads the same.
    const peerDoc = new Y.Doc()
    Y.applyUpdate(peerDoc, Y.encodeStateAsUpdate(ws.doc))
    const peer = new Workspace(peerDoc, { migrate: false })
    expect(destinationLabel(peer, id)).toBe('Shared drive (removed)')
    // An id nobody kept a name for (removed by an older app) is said as such, never shown raw.
    expect(destinationLabel(ws, 'd-unknown')).toBe('a removed destination')
  })

  it('is removed once, by an admin, and a malformed row in the book is ignored', () => {
    const { ws } = setup()
    const drive = addDestination(ws, 'admin', 'Shared drive', 'folder')
    if (!drive.ok) throw new Error('setup')
    expect(removeDestination(ws, 'alice', drive.destination.id).ok).toBe(false)
    expect(ws.destinations.get(drive.destination.id)).toBeDefined()
    expect(removeDestination(ws, 'admin', drive.destination.id).ok).toBe(true)
    expect(removeDestination(ws, 'admin', drive.destination.id)).toEqual({
      ok: false,
      reason: 'That destination no longer exists.',
    })
    ws.doc.transact(() => {
      const row = new Y.Map<unknown>([
        ['id', 'd-bad'],
        ['name', 'Bad'],
        ['kind', 'folder'],
      ])
      ws.removedDestinations.map.set('d-bad', row)
    })
    expect(ws.removedDestinations.get('d-bad')).toBeUndefined()
    expect(destinationLabel(ws, 'd-bad')).toBe('a removed destination')
  })
})

describe('renaming the workspace', () => {
  it('is for admins, refuses an empty, unchanged or overlong name in words, and strips bidi controls', () => {
    const { ws } = setup()
    expect(renameWorkspace(ws, 'alice', 'Initech')).toEqual({
      ok: false,
      reason: 'Only admins can rename the workspace.',
    })
    expect(renameWorkspace(ws, 'admin', '   ')).toEqual({ ok: false, reason: 'Give the workspace a name.' })
    expect(renameWorkspace(ws, 'admin', 'x'.repeat(121))).toEqual({
      ok: false,
      reason: 'That name is 121 characters long: keep it to 120.',
    })
    expect(renameWorkspace(ws, 'admin', ` ${ws.name} `)).toEqual({
      ok: false,
      reason: 'That is its name already.',
    })
    expect(renameWorkspace(ws, 'admin', '\u202eInitech Ltd\u202c ')).toEqual({ ok: true })
    expect(ws.name).toBe('Initech Ltd')
  })
})

describe('the workspace name as read', () => {
  it('is bounded and free of bidi controls whatever a member wrote into the document', () => {
    const { ws } = setup()
    ws.doc.transact(() => ws.doc.getMap('meta').set('name', `\u202e${'A'.repeat(5_000_000)}`))
    expect(ws.name).toBe('A'.repeat(120))
    ws.doc.transact(() => ws.doc.getMap('meta').set('name', '  \u2066  '))
    expect(ws.name).toBe('Untitled workspace')
    ws.doc.transact(() => ws.doc.getMap('meta').set('name', 42))
    expect(ws.name).toBe('Untitled workspace')
  })
})

describe('names written by a peer', () => {
  it('are read bounded and without bidi controls: members, output types and destinations', () => {
    const { ws } = setup()
    const huge = `\u202e${'B'.repeat(2_000_000)}`
    ws.doc.transact(() => {
      ws.members.map.get('alice')!.set('name', huge)
      ws.types.map.get('pricing-update')!.set('name', '\u2067\u2069')
      ws.destinations.put({ id: 'd1', name: huge, kind: 'folder' })
    })
    expect(ws.members.get('alice')?.name).toBe('B'.repeat(120))
    expect(ws.types.get('pricing-update')?.name).toBe('Unnamed type')
    expect(ws.destinations.get('d1')?.name).toBe('B'.repeat(120))
  })
})

describe('an output title written by a peer', () => {
  it('is read as renameOutput writes it, at most 200 characters, in the document and on the board row', () => {
    const { ws, out } = setup()
    out.doc.transact(() => out.meta.set('title', 'T'.repeat(1_000_000)))
    expect(out.readMeta().title).toBe('T'.repeat(200))
    refreshSummary(ws, out, 'alice')
    expect(ws.summary('o1')?.title).toBe('T'.repeat(200))
    // The row holds: no rewrite on every check.
    const before = ws.doc.getMap('outputs').get('o1')
    refreshSummary(ws, out, 'alice')
    expect(ws.doc.getMap('outputs').get('o1')).toBe(before)
  })
})
