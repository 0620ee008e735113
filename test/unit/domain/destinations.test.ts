import { describe, expect, it } from 'vitest'
import {
  addDestination,
  removeDestination,
  renameDestination,
} from '../../../shared/domain/destination-actions.ts'
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
