import { newId } from '../../../shared/domain/ids.ts'

/** Who this person is on this device, and the workspaces they have here. */
export interface Profile {
  name: string
  createdAt: number
}

export interface WorkspaceEntry {
  id: string
  name: string
  /** This person's member id in that workspace. */
  memberId: string
  /** Relay to sync through; absent for a workspace kept on this device only. */
  relayUrl?: string
  token?: string
  addedAt: number
}

const PROFILE_KEY = 'signoff.profile'
const WORKSPACES_KEY = 'signoff.workspaces'

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key)
    return raw ? (JSON.parse(raw) as T) : null
  } catch {
    // A damaged entry must not lock the person out; they can recreate it.
    return null
  }
}

export function loadProfile(): Profile | null {
  const p = read<Profile>(PROFILE_KEY)
  return p && typeof p.name === 'string' && p.name.trim() ? p : null
}

export function saveProfile(name: string): Profile {
  const trimmed = name.trim().slice(0, 80)
  if (!trimmed) throw new Error('Your profile needs a name.')
  const profile = { name: trimmed, createdAt: Date.now() }
  localStorage.setItem(PROFILE_KEY, JSON.stringify(profile))
  return profile
}

export function loadWorkspaceEntries(): WorkspaceEntry[] {
  const list = read<unknown[]>(WORKSPACES_KEY)
  if (!Array.isArray(list)) return []
  return list.filter(
    (e): e is WorkspaceEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as WorkspaceEntry).id === 'string' &&
      typeof (e as WorkspaceEntry).memberId === 'string',
  )
}

export function saveWorkspaceEntries(entries: WorkspaceEntry[]): void {
  localStorage.setItem(WORKSPACES_KEY, JSON.stringify(entries))
}

export function upsertWorkspaceEntry(entry: WorkspaceEntry): WorkspaceEntry[] {
  const list = loadWorkspaceEntries().filter((e) => e.id !== entry.id)
  list.push(entry)
  saveWorkspaceEntries(list)
  return list
}

export function removeWorkspaceEntry(id: string): WorkspaceEntry[] {
  const list = loadWorkspaceEntries().filter((e) => e.id !== id)
  saveWorkspaceEntries(list)
  return list
}

export const newMemberId = (): string => newId('m')
export const newWorkspaceId = (): string => newId('w')

/** A workspace left in this window whose leaving the app's host has not acknowledged yet. */
export interface PendingLeave {
  workspaceId: string
  memberId: string
}

const LEFT_KEY = 'signoff.leftWorkspaces'

export function loadPendingLeaves(): PendingLeave[] {
  const list = read<unknown[]>(LEFT_KEY)
  if (!Array.isArray(list)) return []
  return list.filter(
    (e): e is PendingLeave =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as PendingLeave).workspaceId === 'string' &&
      typeof (e as PendingLeave).memberId === 'string',
  )
}

/** Note (`pending`) or clear one leave; answers the list as it stands. */
export function markPendingLeave(leave: PendingLeave, pending: boolean): PendingLeave[] {
  const list = loadPendingLeaves().filter(
    (l) => !(l.workspaceId === leave.workspaceId && l.memberId === leave.memberId),
  )
  if (pending) list.push(leave)
  localStorage.setItem(LEFT_KEY, JSON.stringify(list))
  return list
}
