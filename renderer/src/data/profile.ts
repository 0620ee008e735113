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

/** A stored list, keeping the records whose `fields` are strings (a damaged one is left out). */
function readList<T>(key: string, fields: readonly (keyof T & string)[]): T[] {
  const list = read<unknown[]>(key)
  if (!Array.isArray(list)) return []
  return list.filter(
    (e): e is T =>
      typeof e === 'object' &&
      e !== null &&
      fields.every((f) => typeof (e as Record<string, unknown>)[f] === 'string'),
  )
}

export function loadWorkspaceEntries(): WorkspaceEntry[] {
  return readList<WorkspaceEntry>(WORKSPACES_KEY, ['id', 'memberId'])
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
  return readList<PendingLeave>(LEFT_KEY, ['workspaceId', 'memberId'])
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
