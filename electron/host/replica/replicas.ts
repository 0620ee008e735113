/**
 * Every workspace this device is a member of, held by the host. The memberships are told by the
 * window when it opens or creates a workspace and kept in `<data>/replicas/memberships.json`, so
 * the next start opens them all before any window does. Every membership gets a replica (and the
 * background services): one with a relay syncs it with the team, one kept on this device only
 * gets its content from the windows, which sync with the host (WindowSync).
 *
 * A relay workspace that two members opened on this device gets a replica per member. The relay
 * gives a Yjs client id to the member who first sends its edits, so one connection carrying both
 * members' edits (made while the workspace was on this device only, by a window, or by the host
 * as that member) would have the second member's refused. Each member's replica therefore has
 * its own relay connection under that member's token, its own Yjs client ids (its own Y.Doc), its
 * own signing key, and its own keys in the local log: the member who held the workspace first
 * keeps the plain document names, every other member's are `<doc>@<memberId>`, so what one member
 * wrote here is never loaded into (and sent by) the other's replica. A window syncs with its own
 * member's replica. Both replicas hold the same team data once synced, so the workspace's
 * background work that must happen once (a scheduled publish, an SLA hand-over, a drift check,
 * an intake draft) runs on one of them, the one that acts: the first member's (see `acts`).
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { workspaceDocName } from '../../../shared/docnames.ts'
import { type HeldWorkspace, type Membership, membershipSchema } from '../../../shared/host/workspaces.ts'
import type { HeldDeviceKey } from '../device-keys.ts'
import { writeFileAtomic } from '../fsutil.ts'
import { isPlainObject, readStateFileSync } from '../state-file.ts'
import { ReplicaLog } from './log.ts'
import { WorkspaceReplica } from './workspace-replica.ts'

export interface ReplicasOptions {
  dataDir: string
  /** This device's key for a membership (the host's key store). */
  deviceKey: (workspaceId: string, memberId: string) => Promise<HeldDeviceKey>
  log?: (line: string) => void
}

const same = (a: Membership, b: Membership) =>
  a.memberId === b.memberId && a.relayUrl === b.relayUrl && a.token === b.token

const hasRelay = (m: Membership) => Boolean(m.relayUrl && m.token)

/** What memberships.json holds: every membership (the first of a workspace acts), and whose log is plain. */
interface Saved {
  version: 2
  memberships: Membership[]
  /** Workspaces held for more than one member: the member whose replica keeps the plain log keys. */
  plainLog: Record<string, string>
}

/** The suffix of a member's own log keys in a workspace more than one member holds here. */
export const memberLogSuffix = (memberId: string) => `@${memberId}`

export class Replicas {
  readonly log: ReplicaLog
  private readonly options: ReplicasOptions
  private readonly file: string
  /** Every membership held, in the order they were first told (the first of a workspace acts). */
  private memberships: Membership[] = []
  private readonly plainLog = new Map<string, string>()
  /**
   * Every membership told this run (and remembered), also one whose replica another member's took
   * over (a workspace kept on this device only has one): the host still signs for it, on a copy.
   */
  private readonly known = new Map<string, Membership>()
  /** Replicas by workspace, the acting one first. */
  private readonly held = new Map<string, WorkspaceReplica[]>()
  private readonly openListeners = new Set<(replica: WorkspaceReplica) => void>()
  private readonly actingListeners = new Set<(replica: WorkspaceReplica) => void>()
  private saving: Promise<void> = Promise.resolve()
  /** Device keys being loaded or made for replicas just opened. */
  private readonly keying = new Set<Promise<void>>()
  /** Written by hosts before each member had a replica; read once, then folded into memberships.json. */
  private readonly sharedFile: string
  private migrated = false

  constructor(options: ReplicasOptions) {
    this.options = options
    this.log = new ReplicaLog(options.dataDir)
    this.file = join(options.dataDir, 'replicas', 'memberships.json')
    this.sharedFile = join(options.dataDir, 'replicas', 'shared-device.json')
    // No file yet (a first start), or an unreadable one (kept aside): the windows tell again.
    const raw = readStateFileSync(this.file, {
      valid: (x) => Array.isArray(x) || (isPlainObject(x) && Array.isArray(x.memberships)),
      log: options.log,
    })
    const list = Array.isArray(raw) ? raw : ((raw as Partial<Saved> | undefined)?.memberships ?? [])
    for (const r of list) {
      const m = membershipSchema.safeParse(r)
      if (!m.success || this.find(m.data.workspaceId, m.data.memberId)) continue
      this.memberships.push(m.data)
      this.known.set(`${m.data.workspaceId}/${m.data.memberId}`, m.data)
    }
    const plain = Array.isArray(raw) ? undefined : (raw as Partial<Saved> | undefined)?.plainLog
    if (plain && typeof plain === 'object')
      for (const [ws, member] of Object.entries(plain))
        if (typeof member === 'string') this.plainLog.set(ws, member)
    if (Array.isArray(raw)) this.migrateSharedDevice()
  }

  /**
   * A host of the version before kept one membership per workspace and left a relay workspace
   * that a second member opened here to the windows (shared-device.json). Its log under the plain
   * keys is the first member's: the one who wrote to it (`local:` rows). That member keeps it;
   * the member remembered, if another, gets keys of its own, so nothing of the first's is sent
   * under the second's token. The first member's replica opens when its window registers again.
   */
  private migrateSharedDevice(): void {
    let shared: unknown[] = []
    try {
      shared = JSON.parse(readFileSync(this.sharedFile, 'utf8')) as unknown[]
    } catch {
      return
    }
    for (const ws of shared) {
      if (typeof ws !== 'string') continue
      const m = this.memberships.find((x) => x.workspaceId === ws)
      if (!m || !hasRelay(m)) continue
      this.plainLog.set(ws, this.log.localWriter(workspaceDocName(ws)) ?? m.memberId)
    }
    this.migrated = true
  }

  private find(workspaceId: string, memberId: string): Membership | undefined {
    return this.memberships.find((m) => m.workspaceId === workspaceId && m.memberId === memberId)
  }

  /** Open every remembered membership (at start). */
  start(): void {
    for (const m of this.memberships) this.open(m)
    if (this.migrated)
      void this.save().then(
        () => rmSync(this.sharedFile, { force: true }),
        () => {},
      )
  }

  /** A window opened (or created, or joined) a workspace: remember and hold it. */
  async register(membership: Membership): Promise<HeldWorkspace> {
    const { workspaceId, memberId } = membership
    this.known.set(`${workspaceId}/${memberId}`, membership)
    const before = this.find(workspaceId, memberId)
    if (before && same(before, membership) && this.get(workspaceId, memberId)?.memberId === memberId)
      return { workspaceId, held: true }
    const others = this.memberships.filter((m) => m.workspaceId === workspaceId && m.memberId !== memberId)
    // Members of a relay workspace each keep their replica. A workspace kept on this device only
    // has no relay to refuse anything: one replica, the last member's, as windows switch.
    const alongside = hasRelay(membership) && others.every(hasRelay)
    if (!alongside) {
      this.memberships = this.memberships.filter((m) => !others.includes(m))
      this.plainLog.delete(workspaceId)
    } else if (others.length > 0 && !this.plainLog.has(workspaceId))
      this.plainLog.set(workspaceId, others[0]!.memberId)
    if (before) this.memberships[this.memberships.indexOf(before)] = membership
    else this.memberships.push(membership)
    await this.save()
    if (!alongside) for (const o of others) await this.drop(workspaceId, o.memberId)
    if (before) await this.drop(workspaceId, memberId)
    if (!this.held.get(workspaceId)?.some((r) => r.memberId === memberId)) this.open(membership)
    return { workspaceId, held: true }
  }

  /**
   * A member left a workspace on this device: their replica goes, another member's stays (and
   * acts, if the one that left did). Without a member, every member's goes.
   */
  async forget(workspaceId: string, memberId?: string): Promise<void> {
    const leaving = (m: Membership) =>
      m.workspaceId === workspaceId && (memberId === undefined || m.memberId === memberId)
    const gone = this.memberships.filter(leaving)
    for (const key of [...this.known.keys()])
      if (
        key.startsWith(`${workspaceId}/`) &&
        (memberId === undefined || key === `${workspaceId}/${memberId}`)
      )
        this.known.delete(key)
    if (gone.length === 0) return
    this.memberships = this.memberships.filter((m) => !leaving(m))
    // The plain log keys stay with their member while anyone else holds the workspace here.
    if (!this.memberships.some((m) => m.workspaceId === workspaceId)) this.plainLog.delete(workspaceId)
    await this.save()
    for (const m of gone) await this.drop(workspaceId, m.memberId)
  }

  private async drop(workspaceId: string, memberId: string): Promise<void> {
    const list = this.held.get(workspaceId)
    const replica = list?.find((r) => r.memberId === memberId)
    if (!list || !replica) return
    const acted = list[0] === replica
    list.splice(list.indexOf(replica), 1)
    if (list.length === 0) this.held.delete(workspaceId)
    await replica.close()
    const next = list[0]
    if (acted && next) for (const fn of this.actingListeners) fn(next)
  }

  private open(membership: Membership): WorkspaceReplica {
    const { workspaceId, memberId } = membership
    const owner = this.plainLog.get(workspaceId)
    const replica = new WorkspaceReplica(membership, this.log, {
      logSuffix: owner === undefined || owner === memberId ? '' : memberLogSuffix(memberId),
    })
    const list = this.held.get(workspaceId) ?? []
    const acts = list.length === 0
    list.push(replica)
    this.held.set(workspaceId, list)
    // A first key is made and written to the key store: close() waits for it, so nothing is
    // still writing into the data folder once the host says it has closed.
    const keyed = this.options.deviceKey(workspaceId, memberId).then(
      (key) => {
        if (this.held.get(workspaceId)?.includes(replica)) replica.holdKey(key)
      },
      (e: unknown) =>
        this.options.log?.(
          `The host has no signing key for ${memberId} in ${workspaceId}: ${e instanceof Error ? e.message : String(e)}`,
        ),
    )
    this.keying.add(keyed)
    void keyed.finally(() => this.keying.delete(keyed))
    for (const fn of this.openListeners) fn(replica)
    if (acts) for (const fn of this.actingListeners) fn(replica)
    return replica
  }

  private save(): Promise<void> {
    const saved: Saved = {
      version: 2,
      memberships: [...this.memberships],
      plainLog: Object.fromEntries(this.plainLog),
    }
    const write = () => writeFileAtomic(this.file, JSON.stringify(saved))
    this.saving = this.saving.then(write, write)
    return this.saving
  }

  /** A membership of this device (its relay and token), also one without a replica of its own. */
  membershipOf(workspaceId: string, memberId: string): Membership | undefined {
    return this.find(workspaceId, memberId) ?? this.known.get(`${workspaceId}/${memberId}`)
  }

  /** Does the host hold this workspace (and do its background work)? */
  holds(workspaceId: string): boolean {
    return this.held.has(workspaceId)
  }

  /**
   * The replica for a member (a window syncs with it, the host signs on it as that member), or,
   * without a member, the one that acts for the workspace. A workspace kept on this device only
   * has one replica, which serves every member's windows.
   */
  get(workspaceId: string, memberId?: string): WorkspaceReplica | undefined {
    const list = this.held.get(workspaceId)
    if (!list) return undefined
    if (memberId === undefined) return list[0]
    return (
      list.find((r) => r.memberId === memberId) ??
      (list.length === 1 && !list[0]!.hasRelay ? list[0] : undefined)
    )
  }

  /** Is this the replica that does its workspace's once-only background work? */
  acts(replica: WorkspaceReplica): boolean {
    return this.held.get(replica.workspaceId)?.[0] === replica
  }

  /** The acting replica of every workspace held. */
  all(): WorkspaceReplica[] {
    return [...this.held.values()].map((list) => list[0]!)
  }

  /** Every replica held, each member's. */
  everyReplica(): WorkspaceReplica[] {
    return [...this.held.values()].flat()
  }

  /** Called with every replica opened from now on, each member's (windows wait for theirs). */
  onOpen(fn: (replica: WorkspaceReplica) => void): () => void {
    this.openListeners.add(fn)
    return () => this.openListeners.delete(fn)
  }

  /** Called with each replica that comes to act for its workspace (services start their part). */
  onActing(fn: (replica: WorkspaceReplica) => void): () => void {
    this.actingListeners.add(fn)
    return () => this.actingListeners.delete(fn)
  }

  async close(): Promise<void> {
    this.openListeners.clear()
    this.actingListeners.clear()
    await this.saving.catch(() => {})
    await Promise.all(this.keying)
    await Promise.all(this.everyReplica().map((r) => r.close()))
    this.held.clear()
    this.log.close()
  }
}
