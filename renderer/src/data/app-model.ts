import * as Y from 'yjs'
import { createWorkspace } from '../../../shared/domain/create.ts'
import { localOrigin } from '../../../shared/domain/origins.ts'
import type { DeviceKeyInfo, HostApi } from '../../../shared/host/api.ts'
import { Observable } from '../state/observable.ts'
import { dirtyOutputs, forgetHostCopy, hostCopied } from './host-copy.ts'
import type { OpenDocChannel } from './host-link.ts'
import {
  loadPendingLeaves,
  loadProfile,
  loadWorkspaceEntries,
  markPendingLeave,
  newMemberId,
  newWorkspaceId,
  type Profile,
  removeWorkspaceEntry,
  saveProfile,
  upsertWorkspaceEntry,
  type WorkspaceEntry,
} from './profile.ts'
import { WorkspaceSession } from './session.ts'

/** What a relay says about an invite token: whose it is and for which workspace. */
export interface TokenIdentity {
  workspaceId: string
  memberId: string
  access: 'read' | 'write'
}

/** What is wrong with a relay address as typed, in words; null when it is one. */
export function relayAddressProblem(raw: string): string | null {
  const text = raw.trim()
  if (!text) return 'Enter the relay address your teammate gave you, such as ws://192.168.1.20:4455.'
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return `“${text.slice(0, 80)}” is not a relay address: one looks like ws://192.168.1.20:4455 or wss://relay.example.com.`
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    return 'A relay address starts with ws:// or wss://, such as ws://192.168.1.20:4455.'
  return null
}

/** The relay's HTTP address for a ws(s):// relay URL (the trace API shares the port). */
export function relayHttpUrl(relayUrl: string): string {
  const problem = relayAddressProblem(relayUrl)
  if (problem) throw new Error(problem)
  const url = new URL(relayUrl.trim())
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  return url.href.replace(/\/$/, '')
}

/**
 * Everything this device holds: the profile, the workspaces and their live sessions. Several
 * workspaces stay open side by side; one is shown at a time.
 */
export class AppModel extends Observable {
  profile: Profile | null = loadProfile()
  entries: WorkspaceEntry[] = loadWorkspaceEntries()
  private sessions = new Map<string, WorkspaceSession>()
  /** Where this device's signing keys come from: the host (set by main.tsx). */
  keySource:
    | ((
        workspaceId: string,
        memberId: string,
        options?: { replaceUnreadable?: boolean },
      ) => Promise<DeviceKeyInfo>)
    | undefined

  /**
   * The host's side of each membership (set by main.tsx): told when a workspace is opened (with
   * its relay) and when it is left. `register` answers whether the host now holds the workspace
   * and does its background work, window or not.
   */
  hostLink:
    | {
        register(entry: WorkspaceEntry): Promise<boolean>
        forget(workspaceId: string, memberId: string): Promise<void>
        /** "Work offline" for the membership (the host's relay connection); answers whether it is. */
        workOffline(workspaceId: string, memberId: string, offline: boolean): Promise<boolean>
      }
    | undefined

  /** How this window syncs each document with the host (set by main.tsx; see data/host-link.ts). */
  hostChannel: OpenDocChannel | undefined

  /** The host's signed commands (set by main.tsx): it holds the keys and signs (data/host-commands.ts). */
  hostPerform: HostApi['perform'] | undefined

  setProfile(name: string): Profile {
    this.profile = saveProfile(name)
    this.emit()
    return this.profile
  }

  session(workspaceId: string): WorkspaceSession | undefined {
    let session = this.sessions.get(workspaceId)
    if (!session) {
      const entry = this.entries.find((e) => e.id === workspaceId)
      if (!entry) return undefined
      session = new WorkspaceSession(entry, this.hostChannel, this.hostPerform)
      this.sessions.set(workspaceId, session)
      session.heldByHost = this.hostLink?.register(entry).catch(() => false) ?? Promise.resolve(false)
      const link = this.hostLink
      // The entry as it stands when asked (a relay may have been connected since).
      if (link) {
        session.commands.register = () =>
          link.register(this.entries.find((e) => e.id === workspaceId) ?? entry)
        session.hostWorkOffline = (offline) => link.workOffline(workspaceId, entry.memberId, offline)
      }
      const source = this.keySource
      const member = entry.memberId
      session.startSigning(
        source
          ? (options) => source(workspaceId, member, options)
          : () => Promise.reject(new Error('this window is not connected to the Signoff host.')),
      )
    }
    return session
  }

  /** Create a workspace on this device from a starter template; its creator is its admin. */
  async createWorkspace(name: string, templateId: string): Promise<WorkspaceSession> {
    if (!this.profile) throw new Error('Create your profile first.')
    const entry: WorkspaceEntry = {
      id: newWorkspaceId(),
      name: name.trim(),
      memberId: newMemberId(),
      addedAt: Date.now(),
    }
    // Validate through the domain before anything is stored.
    const probe = new Y.Doc()
    createWorkspace(probe, {
      id: entry.id,
      name,
      creator: { id: entry.memberId, name: this.profile.name },
      templateId,
    })
    this.entries = upsertWorkspaceEntry(entry)
    const session = this.session(entry.id)!
    await session.ready
    Y.applyUpdate(session.workspace.doc, Y.encodeStateAsUpdate(probe), localOrigin(entry.memberId))
    this.emit()
    return session
  }

  /** Join a teammate's workspace with a relay address and the invite token they gave you. */
  async joinWorkspace(relayUrl: string, token: string): Promise<WorkspaceSession> {
    if (!this.profile) throw new Error('Create your profile first.')
    const trimmedUrl = relayUrl.trim()
    const trimmedToken = token.trim()
    if (!trimmedToken) throw new Error('Paste the invite token you were given.')
    let base: string
    try {
      base = relayHttpUrl(trimmedUrl)
    } catch (error) {
      throw new Error(error instanceof Error ? error.message : 'That relay address is not valid.')
    }
    let response: Response
    try {
      response = await fetch(`${base}/api/whoami`, { headers: { authorization: `Bearer ${trimmedToken}` } })
    } catch {
      throw new Error(
        `Cannot reach the relay at ${trimmedUrl}. Check the address and that the relay is running.`,
      )
    }
    if (response.status === 401 || response.status === 403) {
      throw new Error(
        'The relay refused this invite token: it is wrong, revoked or expired. Ask for a new one.',
      )
    }
    if (!response.ok) throw new Error(`The relay answered ${response.status}; try again later.`)
    const identity = (await response.json()) as TokenIdentity
    const existing = this.entries.find((e) => e.id === identity.workspaceId)
    const entry: WorkspaceEntry = {
      id: identity.workspaceId,
      name: existing?.name ?? 'Joining…',
      memberId: identity.memberId,
      relayUrl: trimmedUrl,
      token: trimmedToken,
      addedAt: existing?.addedAt ?? Date.now(),
    }
    this.sessions.get(entry.id)?.destroy()
    this.sessions.delete(entry.id)
    this.entries = upsertWorkspaceEntry(entry)
    const session = this.session(entry.id)!
    await session.ready
    this.emit()
    return session
  }

  /** Remember the name a workspace has now, for the switcher. */
  rename(workspaceId: string, name: string): void {
    const entry = this.entries.find((e) => e.id === workspaceId)
    if (!entry || entry.name === name) return
    this.entries = upsertWorkspaceEntry({ ...entry, name })
    this.emit()
  }

  /** Point a workspace at a relay (for example after starting to host it on this machine). */
  setRelay(workspaceId: string, relayUrl: string | undefined, token: string | undefined): void {
    const entry = this.entries.find((e) => e.id === workspaceId)
    if (!entry) return
    const next: WorkspaceEntry = { ...entry }
    if (relayUrl && token) {
      next.relayUrl = relayUrl
      next.token = token
    } else {
      delete next.relayUrl
      delete next.token
    }
    this.entries = upsertWorkspaceEntry(next)
    const session = this.sessions.get(workspaceId)
    if (session) {
      session.destroy()
      this.sessions.delete(workspaceId)
    }
    this.emit()
  }

  /**
   * Leave a workspace on this device. Answers whether the app's host was told (it then stops
   * holding it: no sync, intake or scheduled publishing for it). When it could not be, the leave
   * is kept and told again at the next start (`tellPendingLeaves`), so the host does not go on
   * working for a workspace the person left.
   */
  async leave(workspaceId: string): Promise<boolean> {
    const memberId = this.entries.find((e) => e.id === workspaceId)?.memberId
    this.sessions.get(workspaceId)?.destroy()
    this.sessions.delete(workspaceId)
    this.entries = removeWorkspaceEntry(workspaceId)
    forgetHostCopy(workspaceId)
    this.emit()
    if (!memberId || !this.hostLink) return true
    const leave = { workspaceId, memberId }
    markPendingLeave(leave, true)
    try {
      await this.hostLink.forget(workspaceId, memberId)
      markPendingLeave(leave, false)
      return true
    } catch {
      return false
    }
  }

  /** Tell the host the leaves it missed (the window could not reach it then). */
  async tellPendingLeaves(): Promise<void> {
    const link = this.hostLink
    if (!link) return
    for (const leave of loadPendingLeaves()) {
      // Joined again since: the membership is wanted.
      if (this.entries.some((e) => e.id === leave.workspaceId && e.memberId === leave.memberId)) {
        markPendingLeave(leave, false)
        continue
      }
      await link.forget(leave.workspaceId, leave.memberId).then(
        () => markPendingLeave(leave, false),
        () => undefined,
      )
    }
  }

  /**
   * The first start with a host that keeps every workspace: open each workspace this window has,
   * so its storage (the workspace and every output) is pushed into the host's log, and answer how
   * many workspaces the host did not have before (the migration, told once). Later starts skip
   * workspaces already copied.
   */
  async copyIntoHost(timeoutMs = 120_000): Promise<{ imported: number; incomplete: string[] }> {
    if (!this.hostChannel) return { imported: 0, incomplete: [] }
    let imported = 0
    const incomplete: string[] = []
    // A workspace with a relay syncs with it directly (see WorkspaceSession): nothing to copy.
    const owed = this.entries.filter(
      (e) => !(e.relayUrl && e.token) && (!hostCopied(e.id) || dirtyOutputs(e.id).size > 0),
    )
    await Promise.all(
      owed.map(async (entry) => {
        const session = this.session(entry.id)
        if (!session) return
        await session.ready
        const done = await Promise.race([
          Promise.all([session.copiedToHost, session.sync.hostLink?.whenSaved(timeoutMs)]).then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs)),
        ])
        if (!done || session.sync.host?.unsaved) incomplete.push(entry.name)
        if (session.sync.host?.imported && session.sync.storedUpdates > 0) imported++
      }),
    )
    return { imported, incomplete }
  }

  async flush(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.flush()))
  }
}
