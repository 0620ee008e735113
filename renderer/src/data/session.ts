import * as Y from 'yjs'
import { outputDocName, workspaceDocName } from '../../../shared/docnames.ts'
import { verifySummary } from '../../../shared/domain/actions.ts'
import { refreshThreadIndex, threadIndexOf } from '../../../shared/domain/comments.ts'
import { isOrigin } from '../../../shared/domain/origins.ts'
import { OutputDoc } from '../../../shared/domain/output.ts'
import { verifyAhead } from '../../../shared/domain/signing.ts'
import { Workspace } from '../../../shared/domain/workspace.ts'
import type { DeviceKeyInfo, HostApi } from '../../../shared/host/api.ts'
import { Observable } from '../state/observable.ts'
import { BackgroundPass, subtle } from './background-pass.ts'
import { HostCommands, registerCommands } from './host-commands.ts'
import { markDirty } from './host-copy.ts'
import type { OpenDocChannel } from './host-link.ts'
import type { WorkspaceEntry } from './profile.ts'
import { changedSomething, DocSync, type RelayConfig, type SyncStatus } from './sync.ts'

export interface OpenOutput {
  sync: DocSync
  output: OutputDoc
}

const KEEP_OPEN = 8
/** How long a new device waits to hear from the relay about the member's other devices. */
const ENROL_WAIT_MS = 10_000
const ENROL_RETRY_MS = 3000
/** A burst of remote changes to an open output settles before its board row is checked. */
const VERIFY_DELAY_MS = 300

/** Changes this member's own app made (not the relay's, not the local database's). */
const isOwn = (origin: unknown) => isOrigin(origin) && origin.kind === 'local'

/** Where this device's signing key stands for the workspace. */
export interface SigningStatus {
  state: 'loading' | 'ready' | 'unavailable'
  /** Why this device cannot sign (no key, key not trusted yet), or nothing. */
  problem?: string
  /** Something the person should know once (a damaged key file replaced). */
  notice?: string
}

/**
 * One workspace on this device: its workspace document (always open), and output documents
 * opened lazily when a person looks at one, plus a background pass (background-pass.ts) that
 * syncs every output so all of them stay available offline.
 */
export class WorkspaceSession extends Observable {
  readonly entry: WorkspaceEntry
  readonly sync: DocSync
  readonly workspace: Workspace
  readonly ready: Promise<void>
  /** Whether the host holds this workspace and runs its background work (see AppModel.hostLink). */
  heldByHost: Promise<boolean> = Promise.resolve(false)
  private readonly outputs = new Map<string, OpenOutput>()
  private readonly recent: string[] = []
  /** Outputs views read all at once, with how many views hold each (see `hold`). */
  private readonly held = new Map<string, number>()
  /** Syncs every output in the background, so all of them stay available offline. */
  private readonly background: BackgroundPass
  private offline = false
  /** "Work offline" as asked here, until the host's report agrees (see setWorkOffline). */
  private offlineAsked: boolean | undefined
  /** Asks the host to take this membership's relay connection offline, or back (set by AppModel). */
  hostWorkOffline: ((offline: boolean) => Promise<boolean>) | undefined
  private destroyed = false
  private deviceKey: DeviceKeyInfo | undefined
  private keyError: string | undefined
  private fetchKey: ((options?: { replaceUnreadable?: boolean }) => Promise<DeviceKeyInfo>) | undefined
  private loadedLocal = false
  private heardFromRelay = false
  private waitedForRelay = false
  private readonly verifyTimers = new Map<string, ReturnType<typeof setTimeout>>()
  /** How this window syncs documents with the host (undefined: no host, e.g. a bare page). */
  private readonly host: OpenDocChannel | undefined
  /** Resolves once every output this window owes the host is in the host's log. */
  readonly copiedToHost: Promise<void>
  /** Signed commands, performed by the host with the key it holds (this window has none). */
  readonly commands: HostCommands
  /**
   * Counts changes to the workspace document alone (rows, members, types, threads): what the
   * inbox and other whole-workspace views depend on. The session also changes with its output
   * documents' sync state, at every keystroke.
   */
  workspaceVersion = 0
  private enrolling = false

  constructor(entry: WorkspaceEntry, host?: OpenDocChannel, perform?: HostApi['perform']) {
    super()
    this.entry = entry
    // Every document syncs with the host, which holds it, does its background work and, for a
    // workspace with a relay, syncs it with the team: this window's changes and presence reach
    // the relay through the host's connection, under this member's token. Each document syncs with
    // this member's replica: two members of one workspace on this device each have their own.
    const toHost: OpenDocChannel | undefined = host
      ? (name, handlers) => host(name, handlers, entry.memberId)
      : undefined
    this.host = toHost
    this.background = new BackgroundPass({
      workspaceId: entry.id,
      host: this.host,
      relay: () => (this.offline ? undefined : this.relay()),
      outputIds: () => this.workspace.summaries.keys(),
      open: this.outputs,
      verify: (output) => this.verifyRow(output),
    })
    this.copiedToHost = this.background.copied
    const doc = new Y.Doc()
    this.sync = new DocSync(workspaceDocName(entry.id), doc, this.relay(), toHost ? { host: toHost } : {})
    this.workspace = new Workspace(doc, { migrate: false })
    this.commands = new HostCommands(perform, entry.id, entry.memberId, doc)
    registerCommands(this.workspace, this.commands)
    this.commands.saved = () => this.flush()
    this.sync.subscribe(() => {
      this.adoptHostOffline()
      this.emit()
    })
    // Not 'update': a listener to it makes Yjs encode every transaction, the 2 MiB load of a
    // 10,000-output workspace included, only for the bytes to be thrown away here.
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (!changedSomething(tr)) return
      this.workspaceVersion++
      this.emit()
    })
    this.ready = this.sync.loaded.then(() => {
      this.workspace.migrate()
      this.loadedLocal = true
      this.background.start()
      this.enrolIfDue()
    })
    this.workspace.summaries.observe((event) => {
      // A row another app wrote is a claim: check it against the output's trail.
      if (!isOwn(event.transaction.origin)) for (const id of event.keysChanged) this.recheck(id)
      this.background.schedule()
    })
    // So is a thread index row (open comments on a card, mentions in an inbox): checked against
    // the output's signed comment records.
    threadIndexOf(this.workspace).observe((event) => {
      if (!isOwn(event.transaction.origin)) for (const id of event.keysChanged) this.recheck(id)
    })
    this.sync.subscribe(() => {
      if (this.sync.status.state === 'synced' && !this.heardFromRelay) {
        this.heardFromRelay = true
        this.enrolIfDue()
      }
    })
    // The member's row may arrive later (joining): enrol then.
    this.workspace.members.map.observeDeep(() => this.enrolIfDue())
  }

  /**
   * Start signing with this device's key for the membership: hold it, and register it with the
   * member once the local copy is loaded and the relay (if any) has had a chance to tell about
   * the member's other devices, so a second device asks to be confirmed instead of competing.
   * A key the host cannot open is never replaced on its own: `signing` says why, and the person
   * chooses `retrySigning()` or `replaceSigningKey()` (a new key, to be confirmed again).
   */
  startSigning(fetchKey: (options?: { replaceUnreadable?: boolean }) => Promise<DeviceKeyInfo>): void {
    this.fetchKey = fetchKey
    this.loadKey({})
  }

  retrySigning(): void {
    this.loadKey({})
  }

  replaceSigningKey(): void {
    this.loadKey({ replaceUnreadable: true })
  }

  private loadKey(options: { replaceUnreadable?: boolean }): void {
    const fetchKey = this.fetchKey
    if (!fetchKey) return
    this.keyError = undefined
    this.emit()
    fetchKey(options).then(
      (key) => {
        if (this.destroyed) return
        this.deviceKey = key
        this.workspace.knowKey(this.memberId, key.publicKey)
        this.enrolIfDue()
        this.emit()
      },
      (e: unknown) => {
        this.keyError = `This device has no signing key, so your decisions here would not count: ${e instanceof Error ? e.message : String(e)}`
        this.emit()
      },
    )
    setTimeout(() => {
      this.waitedForRelay = true
      this.enrolIfDue()
    }, ENROL_WAIT_MS)
  }

  private enrolIfDue(): void {
    const key = this.deviceKey
    if (!key || this.destroyed || !this.loadedLocal) return
    if (this.workspace.keys.get(key.publicKey)?.memberId === this.memberId) return
    if (this.relay() && !this.offline && !this.heardFromRelay && !this.waitedForRelay) return
    if (!this.workspace.members.get(this.memberId) || !this.workspace.id || this.enrolling) return
    // The host registers the key: the proof of possession is signed with its private half.
    this.enrolling = true
    void this.commands.onWorkspace({ name: 'enrollDevice', args: {} }).then((r) => {
      this.enrolling = false
      // Not yet (the host has not caught up, say): `signing` says the key is not registered, and
      // this tries again in a moment.
      if (!r.ok && !this.destroyed) setTimeout(() => this.enrolIfDue(), ENROL_RETRY_MS)
      this.emit()
    })
  }

  get signing(): SigningStatus {
    if (this.keyError) return { state: 'unavailable', problem: this.keyError }
    if (!this.deviceKey) return { state: 'loading', problem: 'Loading this device’s signing key…' }
    const problem = this.workspace.signingProblem(this.memberId)
    return {
      state: 'ready',
      ...(problem ? { problem } : {}),
      ...(this.deviceKey.notice ? { notice: this.deviceKey.notice } : {}),
    }
  }

  get memberId(): string {
    return this.entry.memberId
  }

  get status(): SyncStatus {
    return this.sync.status
  }

  private relay(): RelayConfig | undefined {
    return this.entry.relayUrl && this.entry.token
      ? { url: this.entry.relayUrl, token: this.entry.token }
      : undefined
  }

  /** Open (or reuse) an output's document; resolves once its local copy is loaded. */
  async openOutput(outputId: string): Promise<OpenOutput> {
    const open = this.openOutputNow(outputId, { migrate: false })
    await open.sync.loaded
    open.output.migrate()
    // Check the trail's signatures natively, all at once, before anything derives from it.
    await verifyAhead(open.output.scope(), open.output.rawTrail(), subtle()).catch(() => 0)
    this.touch(outputId)
    this.verifyRow(open.output)
    return open
  }

  /** The handle at once (its content may still be loading); used when creating a new output. */
  openOutputNow(outputId: string, options: { migrate?: boolean } = {}): OpenOutput {
    let open = this.outputs.get(outputId)
    if (!open) {
      const doc = new Y.Doc()
      const sync = new DocSync(
        outputDocName(this.entry.id, outputId),
        doc,
        this.offline && !this.host ? undefined : this.relay(),
        this.host ? { host: this.host } : {},
      )
      // Opened while working offline: it shows so, and never reaches for the relay itself.
      if (this.offline) sync.setWorkOffline(true)
      open = { sync, output: new OutputDoc(doc, options) }
      this.outputs.set(outputId, open)
      sync.subscribe(() => this.emit())
      // Only what arrived from elsewhere is a claim to check: this window's own edits (commands,
      // and the editor's keystrokes, whose origin is the editor binding's) are not.
      doc.on('update', (_u: Uint8Array, origin: unknown, _d: Y.Doc, tr: Y.Transaction) => {
        if (!tr.local && !isOwn(origin)) this.scheduleVerify(outputId)
      })
    }
    return open
  }

  /**
   * Keep these outputs open until the returned release is called, beyond the KEEP_OPEN most
   * recently used ones: a view that reads more outputs than that at once (Activity, Shipped)
   * would otherwise close its first ones while it opens its last, read again at the change that
   * makes, and so open and close them without end, never showing a result.
   */
  hold(outputIds: readonly string[]): () => void {
    for (const id of outputIds) this.held.set(id, (this.held.get(id) ?? 0) + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      for (const id of outputIds) {
        const n = (this.held.get(id) ?? 0) - 1
        if (n > 0) this.held.set(id, n)
        else this.held.delete(id)
      }
      // After the view that follows has taken its holds (React runs cleanups, then effects).
      queueMicrotask(() => this.trim())
    }
  }

  private touch(outputId: string) {
    const i = this.recent.indexOf(outputId)
    if (i >= 0) this.recent.splice(i, 1)
    this.recent.push(outputId)
    this.trim(outputId)
  }

  /** Close the least recently used outputs beyond KEEP_OPEN, except held ones and `keep`. */
  private trim(keep?: string) {
    let excess = this.recent.length - KEEP_OPEN
    for (let i = 0; excess > 0 && i < this.recent.length; ) {
      const id = this.recent[i]!
      if (id === keep || this.held.has(id)) {
        i++
        continue
      }
      this.recent.splice(i, 1)
      excess--
      void this.closeOutput(id)
    }
  }

  private async closeOutput(outputId: string) {
    const open = this.outputs.get(outputId)
    if (!open) return
    this.outputs.delete(outputId)
    await open.sync.flush()
    this.noteUnsaved(outputId, open.sync)
    open.sync.destroy()
  }

  /** An output closed with changes the host has not acknowledged: copy it at the next start. */
  private noteUnsaved(outputId: string, sync: DocSync) {
    const host = sync.host
    if (host && (host.unsaved > 0 || !host.synced) && !host.refused) markDirty(this.entry.id, outputId)
  }

  /**
   * The board shows what trails say, never what a row claims: a row another app wrote is checked
   * against its output — at once when the output is open here, else by syncing it again.
   */
  private recheck(outputId: string) {
    if (this.outputs.has(outputId)) this.scheduleVerify(outputId)
    else this.background.recheck(outputId)
  }

  private scheduleVerify(outputId: string) {
    if (this.destroyed || this.verifyTimers.has(outputId)) return
    const timer = setTimeout(() => {
      this.verifyTimers.delete(outputId)
      const open = this.outputs.get(outputId)
      if (open) this.verifyRow(open.output)
    }, VERIFY_DELAY_MS)
    this.verifyTimers.set(outputId, timer)
  }

  /** Correct the output's board row from its trail when they disagree (see verifySummary). */
  private verifyRow(output: OutputDoc) {
    if (this.destroyed || !this.loadedLocal) return
    try {
      const claimed = verifySummary(this.workspace, output, this.memberId)?.claimed
      const threadsCorrected = refreshThreadIndex(this.workspace, output, this.memberId)
      if (claimed || threadsCorrected) this.emit()
    } catch {
      // A damaged document is reported where it is opened; the row stays as it is.
    }
  }

  /** Changes waiting for the relay across the workspace and its open outputs. */
  pending(): number {
    let n = this.sync.status.pending
    for (const o of this.outputs.values()) n += o.sync.status.pending
    return n
  }

  /**
   * Where this window's changes stand with the host's log, across the workspace and its open
   * outputs: null without a host; otherwise how many are not durable there yet, and whether the
   * host is connected.
   */
  saved(): { unsaved: number; connected: boolean; refused?: string } | null {
    const host = this.sync.host
    if (!host) return this.host ? { unsaved: this.sync.status.pending, connected: false } : null
    // The host refused the document (it holds no replica for this membership, e.g. its local log
    // could not be opened): what is saved is what the relay has, which the sync status says.
    if (host.refused) return { unsaved: this.sync.status.pending, connected: false, refused: host.refused }
    let unsaved = host.unsaved
    let connected = host.synced
    for (const o of this.outputs.values()) {
      const h = o.sync.host
      if (!h) continue
      unsaved += h.unsaved
      connected &&= h.synced || h.unsaved === 0
    }
    return { unsaved, connected }
  }

  /**
   * "Work offline" or back online. With a host, that is its relay connection for this membership
   * (the window has none): it is asked, and what it reports is what every window shows.
   */
  setWorkOffline(offline: boolean): void {
    // The host holds the relay connection, unless it refused the workspace and the window talks
    // to the relay itself (then the window's own connection goes, as on a page without a host).
    const ask = this.relay() && this.sync.viaHost ? this.hostWorkOffline : undefined
    if (ask) this.offlineAsked = offline
    this.showOffline(offline)
    if (!ask) return
    ask(offline).then(
      (now) => {
        if (this.offlineAsked !== offline) return
        this.offlineAsked = undefined
        this.showOffline(now)
      },
      () => {
        // The host did not take it: what it reports stands.
        if (this.offlineAsked === offline) this.offlineAsked = undefined
        this.adoptHostOffline()
      },
    )
  }

  private showOffline(offline: boolean): void {
    if (offline === this.offline) return
    this.offline = offline
    this.sync.setWorkOffline(offline)
    for (const o of this.outputs.values()) o.sync.setWorkOffline(offline)
    if (!offline) this.background.schedule()
    this.emit()
  }

  /** Another window (or this one before a reload) chose it: the host's report says so. */
  private adoptHostOffline(): void {
    const chosen = this.sync.host?.relay
    if (this.offlineAsked !== undefined || !chosen) return
    this.showOffline(chosen.chosen === true)
  }

  get workOffline(): boolean {
    return this.offline
  }

  async flush(): Promise<void> {
    await Promise.all([this.sync.flush(), ...[...this.outputs.values()].map((o) => o.sync.flush())])
  }

  destroy(): void {
    this.destroyed = true
    this.background.stop()
    for (const t of this.verifyTimers.values()) clearTimeout(t)
    this.verifyTimers.clear()
    this.sync.destroy()
    for (const [id, o] of this.outputs) {
      this.noteUnsaved(id, o.sync)
      o.sync.destroy()
    }
    this.outputs.clear()
  }
}
