/**
 * Every workspace this device is a member of, held by the host. The memberships are told by the
 * window when it opens or creates a workspace and kept in `<data>/replicas/memberships.json`, so
 * the next start opens them all before any window does. Every membership gets a replica (and the
 * background services): one with a relay syncs it with the team, one kept on this device only
 * gets its content from the windows, which sync with the host (WindowSync).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type HeldWorkspace, type Membership, membershipSchema } from '../../../shared/host/workspaces.ts'
import type { HeldDeviceKey } from '../device-keys.ts'
import { writeFileAtomic } from '../intake/fsutil.ts'
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

export class Replicas {
  readonly log: ReplicaLog
  private readonly options: ReplicasOptions
  private readonly file: string
  private memberships = new Map<string, Membership>()
  private readonly held = new Map<string, WorkspaceReplica>()
  private readonly listeners = new Set<(replica: WorkspaceReplica) => void>()
  private saving: Promise<void> = Promise.resolve()
  /**
   * Relay workspaces that more than one member opened on this device. The host has one relay
   * connection per workspace, under one member's token; the relay gives a Yjs client to the
   * member who first sends its edits, so that connection would hand one member's edits (made
   * while the workspace was on this device only, or by the host as that member) to the other,
   * and the owner's next edit would be refused. Such a workspace is left to the windows, which
   * sync with the relay under their own tokens; the host does not hold it.
   */
  private readonly sharedDevice = new Set<string>()
  private readonly sharedFile: string
  /** Every membership a window told this run, by workspace and member (two members may share one). */
  private readonly known = new Map<string, Membership>()

  constructor(options: ReplicasOptions) {
    this.options = options
    this.log = new ReplicaLog(options.dataDir)
    this.file = join(options.dataDir, 'replicas', 'memberships.json')
    this.sharedFile = join(options.dataDir, 'replicas', 'shared-device.json')
    try {
      for (const id of JSON.parse(readFileSync(this.sharedFile, 'utf8')) as unknown[])
        if (typeof id === 'string') this.sharedDevice.add(id)
    } catch {
      // None yet.
    }
    try {
      const raw = JSON.parse(readFileSync(this.file, 'utf8')) as unknown[]
      for (const r of raw) {
        const m = membershipSchema.safeParse(r)
        if (!m.success) continue
        this.memberships.set(m.data.workspaceId, m.data)
        this.known.set(`${m.data.workspaceId}/${m.data.memberId}`, m.data)
      }
    } catch {
      // No file yet (a first start), or an unreadable one: the windows tell again.
    }
  }

  /** Open every remembered membership (at start). */
  start(): void {
    for (const m of this.memberships.values()) if (!this.leftToWindows(m)) this.open(m)
  }

  private leftToWindows(m: Membership): boolean {
    return this.sharedDevice.has(m.workspaceId) && Boolean(m.relayUrl)
  }

  /** A window opened (or created, or joined) a workspace: remember and hold it. */
  async register(membership: Membership): Promise<HeldWorkspace> {
    const before = this.memberships.get(membership.workspaceId)
    this.known.set(`${membership.workspaceId}/${membership.memberId}`, membership)
    if (before && before.memberId !== membership.memberId && !this.sharedDevice.has(membership.workspaceId)) {
      this.sharedDevice.add(membership.workspaceId)
      await writeFileAtomic(this.sharedFile, JSON.stringify([...this.sharedDevice]))
    }
    if (this.leftToWindows(membership)) {
      this.memberships.set(membership.workspaceId, membership)
      await this.save()
      await this.drop(membership.workspaceId)
      return { workspaceId: membership.workspaceId, held: false }
    }
    if (!before || !same(before, membership)) {
      this.memberships.set(membership.workspaceId, membership)
      await this.save()
      if (before) await this.drop(membership.workspaceId)
    }
    if (!this.held.has(membership.workspaceId)) this.open(membership)
    return { workspaceId: membership.workspaceId, held: true }
  }

  /** The person left a workspace on this device. */
  async forget(workspaceId: string): Promise<void> {
    if (!this.memberships.delete(workspaceId)) return
    await this.save()
    await this.drop(workspaceId)
  }

  private async drop(workspaceId: string): Promise<void> {
    const replica = this.held.get(workspaceId)
    this.held.delete(workspaceId)
    await replica?.close()
  }

  private open(membership: Membership): WorkspaceReplica {
    const replica = new WorkspaceReplica(membership, this.log)
    this.held.set(membership.workspaceId, replica)
    this.options.deviceKey(membership.workspaceId, membership.memberId).then(
      (key) => {
        if (this.held.get(membership.workspaceId) === replica) replica.holdKey(key)
      },
      (e: unknown) =>
        this.options.log?.(
          `The host has no signing key for ${membership.workspaceId}: ${e instanceof Error ? e.message : String(e)}`,
        ),
    )
    for (const fn of this.listeners) fn(replica)
    return replica
  }

  private save(): Promise<void> {
    const write = () => writeFileAtomic(this.file, JSON.stringify([...this.memberships.values()]))
    this.saving = this.saving.then(write, write)
    return this.saving
  }

  /** A membership of this device (its relay and token), also one the host leaves to the windows. */
  membershipOf(workspaceId: string, memberId: string): Membership | undefined {
    return this.known.get(`${workspaceId}/${memberId}`)
  }

  /** Does the host hold this workspace (and do its background work)? */
  holds(workspaceId: string): boolean {
    return this.held.has(workspaceId)
  }

  get(workspaceId: string): WorkspaceReplica | undefined {
    return this.held.get(workspaceId)
  }

  all(): WorkspaceReplica[] {
    return [...this.held.values()]
  }

  /** Called with every replica opened from now on (services start their per-workspace part). */
  onOpen(fn: (replica: WorkspaceReplica) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  async close(): Promise<void> {
    this.listeners.clear()
    await this.saving.catch(() => {})
    await Promise.all([...this.held.values()].map((r) => r.close()))
    this.held.clear()
    this.log.close()
  }
}
