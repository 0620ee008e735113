/**
 * One workspace this device is a member of, held by the host: the workspace document and the
 * output documents the host's services need, each a DocReplica (local log + relay), with this
 * device's key held so what the host writes for the member is signed.
 */
import { outputDocName, workspaceDocName } from '../../../shared/docnames.ts'
import { enrollDevice } from '../../../shared/domain/devices.ts'
import { OutputDoc } from '../../../shared/domain/output.ts'
import type { DeviceKey } from '../../../shared/domain/signing.ts'
import { Workspace } from '../../../shared/domain/workspace.ts'
import type { Membership } from '../../../shared/host/workspaces.ts'
import { DocReplica, type RelayConfig } from './doc-replica.ts'
import type { ReplicaLog } from './log.ts'

export interface OpenReplicaOutput {
  replica: DocReplica
  output: OutputDoc
}

/** An output document nobody used for this long, and fully handed to the relay, is closed. */
export const OUTPUT_IDLE_MS = 60_000

export class WorkspaceReplica {
  readonly membership: Membership
  readonly replica: DocReplica
  readonly workspace: Workspace
  private readonly log: ReplicaLog
  private readonly relay: RelayConfig | undefined
  /** Appended to each document's log key: empty, or this member's own (see Replicas). */
  private readonly logSuffix: string
  private readonly outputs = new Map<string, OpenReplicaOutput>()
  private readonly lastUsed = new Map<string, number>()
  /** Outputs a window is syncing right now: never closed as idle. */
  private readonly pins = new Map<string, number>()
  private readonly idleSweep: ReturnType<typeof setInterval>
  private key: (DeviceKey & { device: string }) | undefined
  private readonly listeners = new Set<() => void>()
  private readonly closeListeners = new Set<() => void>()
  private closed = false
  /** The person chose "Work offline" for this membership: no document talks to the relay. */
  private offline = false

  constructor(membership: Membership, log: ReplicaLog, options: { logSuffix?: string } = {}) {
    this.membership = membership
    this.log = log
    this.logSuffix = options.logSuffix ?? ''
    this.relay =
      membership.relayUrl && membership.token
        ? { url: membership.relayUrl, token: membership.token }
        : undefined
    const name = workspaceDocName(membership.workspaceId)
    this.replica = new DocReplica(name, log, {
      memberId: membership.memberId,
      logName: name + this.logSuffix,
      ...(this.relay ? { relay: this.relay } : {}),
    })
    this.workspace = new Workspace(this.replica.doc, { migrate: false })
    if (this.replica.doc.share.size > 0 && this.workspace.id) this.workspace.migrate()
    void this.replica.firstSync().then(() => {
      if (this.closed) return
      // Kept on this device only, the workspace arrives from a window: until then there is
      // nothing to migrate (and writing a schema into an empty document would be a second one).
      if (this.relay || this.workspace.id) this.workspace.migrate()
      this.enrol()
    })
    this.workspace.summaries.observe(() => this.emit())
    this.workspace.members.map.observeDeep(() => {
      this.enrol()
      this.emit()
    })
    this.workspace.keys.map.observeDeep(() => this.emit())
    // A type's rules change what the services do (routing switched on assigns what waits).
    this.workspace.types.map.observeDeep(() => this.emit())
    this.idleSweep = setInterval(() => void this.closeIdle(Date.now() - OUTPUT_IDLE_MS), OUTPUT_IDLE_MS / 2)
    this.idleSweep.unref()
  }

  /** Close output documents unused since `before` whose changes the relay has (their log stays). */
  async closeIdle(before: number): Promise<number> {
    const closing: Promise<void>[] = []
    for (const [id, open] of this.outputs) {
      if ((this.lastUsed.get(id) ?? 0) > before || !open.replica.settled || this.pins.has(id)) continue
      this.outputs.delete(id)
      this.lastUsed.delete(id)
      closing.push(open.replica.close())
    }
    await Promise.all(closing)
    return closing.length
  }

  get workspaceId(): string {
    return this.membership.workspaceId
  }

  get memberId(): string {
    return this.membership.memberId
  }

  /** Synced with a relay (else kept on this device only). */
  get hasRelay(): boolean {
    return this.relay !== undefined
  }

  /** Hold this device's key for the membership, so the host's writes are signed. */
  holdKey(key: DeviceKey & { device: string }): void {
    this.key = key
    this.workspace.holdKey(this.memberId, { publicKey: key.publicKey, secretKey: key.secretKey })
    this.enrol()
    this.emit()
  }

  /**
   * Register the key with the member once the relay has told what it knows (the window does the
   * same with the same key; whichever comes first, the other finds it known).
   */
  private enrol(): void {
    const key = this.key
    if (!key || this.closed || (this.relay && !this.replica.everSynced)) return
    if (this.workspace.keys.get(key.publicKey)?.memberId === this.memberId) return
    enrollDevice(
      this.workspace,
      this.memberId,
      { publicKey: key.publicKey, secretKey: key.secretKey },
      key.device,
    )
  }

  /** Why the host cannot act for the member here yet (not synced, not a member, key not trusted), or null. */
  notReady(): string | null {
    if (!this.workspace.id)
      return this.relay
        ? 'The workspace has not arrived from the relay yet.'
        : 'The workspace has not arrived from a window yet.'
    if (!this.workspace.members.has(this.memberId)) return 'This device’s member is not in the workspace.'
    return this.workspace.signingProblem(this.memberId)
  }

  /** Run `fn` whenever the workspace's rows, members, keys or types change. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private emit(): void {
    for (const fn of this.listeners) fn()
  }

  /** The output's replica (opened on first use, closed when idle and settled; see closeIdle). */
  output(outputId: string): OpenReplicaOutput {
    this.lastUsed.set(outputId, Date.now())
    let open = this.outputs.get(outputId)
    if (!open) {
      const name = outputDocName(this.workspaceId, outputId)
      const replica = new DocReplica(name, this.log, {
        memberId: this.memberId,
        logName: name + this.logSuffix,
        ...(this.relay ? { relay: this.relay } : {}),
        workOffline: this.offline,
      })
      const output = new OutputDoc(replica.doc, { migrate: false })
      if (output.id) output.migrate()
      open = { replica, output }
      this.outputs.set(outputId, open)
    }
    return open
  }

  /** "Work offline" for this membership, or back online: every document it holds follows. */
  setWorkOffline(offline: boolean): void {
    this.offline = offline
    this.replica.setWorkOffline(offline)
    for (const open of this.outputs.values()) open.replica.setWorkOffline(offline)
  }

  get workOffline(): boolean {
    return this.offline
  }

  /** Keep an output open while a window syncs it; returns the release. */
  pin(outputId: string): () => void {
    this.pins.set(outputId, (this.pins.get(outputId) ?? 0) + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const n = (this.pins.get(outputId) ?? 1) - 1
      if (n > 0) this.pins.set(outputId, n)
      else this.pins.delete(outputId)
      this.lastUsed.set(outputId, Date.now())
    }
  }

  /** An output opened and caught up with the relay (up to `ms`), migrated. */
  async syncedOutput(outputId: string, ms = 5000): Promise<OpenReplicaOutput> {
    const open = this.output(outputId)
    await open.replica.whenSynced(ms)
    if (open.output.id) open.output.migrate()
    return open
  }

  openOutputs(): number {
    return this.outputs.size
  }

  /** Run `fn` when this replica closes (a window's channel then reconnects to its successor). */
  onClose(fn: () => void): () => void {
    this.closeListeners.add(fn)
    return () => this.closeListeners.delete(fn)
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.idleSweep)
    this.listeners.clear()
    for (const fn of [...this.closeListeners]) fn()
    this.closeListeners.clear()
    await Promise.all([this.replica.close(), ...[...this.outputs.values()].map((o) => o.replica.close())])
    this.outputs.clear()
  }
}
