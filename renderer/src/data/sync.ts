import { IndexeddbPersistence, storeState } from 'y-indexeddb'
import { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { REMOTE } from '../../../shared/domain/origins.ts'
import { closeMessage, isFatalClose, unreachableMessage } from '../../../shared/sync/relay-status.ts'
import { Observable } from '../state/observable.ts'
import { HostLink, type HostLinkState, type OpenDocChannel } from './host-link.ts'
import { readAfter, storeAfterFrame, unstored } from './idb-internals.ts'
import { readStoredUpdates, type StoredUpdates } from './stored-updates.ts'

export type SyncState = 'local' | 'offline' | 'connecting' | 'synced'

export interface SyncStatus {
  state: SyncState
  /** Local changes the relay has not confirmed yet. */
  pending: number
  /** Set when the local database or the relay failed; the app keeps working locally. */
  error?: string
}

export interface RelayConfig {
  url: string
  token: string
}

const LOAD_TIMEOUT_MS = 5000
const DRAIN_CHECK_MS = 250

/** The origin of updates read back from the local database (not an edit: never counted). */
const LOCAL_LOAD = Object.freeze({ source: 'local database' })
/** A stored change this large is most likely a whole copy of the document. */
const BIG_STORED_UPDATE = 256 * 1024

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('timeout'), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

/**
 * One Y.Doc kept in IndexedDB (this window's cache, so the board shows at once) and synced with
 * the host, which keeps it in its log and syncs it with the team's relay: the window's changes and
 * presence reach the team through the host, and the host tells where its relay connection stands.
 * Without a host (a bare page), or when the host refuses the document, the window talks to the
 * relay itself through y-websocket. Persistence failure (a corrupted or blocked database) is
 * reported, never fatal: the document keeps working in memory, with the host and the relay.
 */
export class DocSync extends Observable {
  readonly doc: Y.Doc
  readonly name: string
  /** Presence on this document through the host (a direct relay connection has its own, `provider.awareness`). */
  awareness: Awareness | null = null
  /** The link to the host, once the local copy is loaded (null without a host). */
  hostLink: HostLink | null = null
  /** How many stored changes the local copy was loaded from (a window's storage, for the migration). */
  storedUpdates = 0
  private readonly openHost: OpenDocChannel | undefined
  /** Null until the local copy is loaded, and for good when the local database is damaged. */
  persistence: IndexeddbPersistence | null = null
  /** The local changes waiting for the next frame before they are stored (idb-internals.ts). */
  private storing: ReturnType<typeof storeAfterFrame> = null
  provider: WebsocketProvider | null = null
  status: SyncStatus
  readonly loaded: Promise<void>
  private relay: RelayConfig | undefined
  private workOffline = false
  /** The window talks to the relay itself: no host, or the host refused the document. */
  private direct = false
  private destroyed = false
  /** Why the local database cannot be used, for as long as this document is open. */
  private damaged: string | undefined

  constructor(
    name: string,
    doc: Y.Doc,
    relay: RelayConfig | undefined,
    options: { host?: OpenDocChannel } = {},
  ) {
    super()
    this.doc = doc
    this.name = name
    this.relay = relay
    this.openHost = options.host
    this.status = { state: relay ? 'connecting' : 'local', pending: 0 }
    this.loaded = this.load()
    doc.on('afterTransaction', this.onTransaction)
    if (relay && !options.host) this.connect()
    // The first sync with the host carries everything this window's storage holds: connect once
    // it is loaded (or could not be).
    if (options.host) void this.loaded.then(() => this.linkHost())
  }

  private linkHost(): void {
    if (this.destroyed || this.hostLink || !this.openHost) return
    this.awareness = new Awareness(this.doc)
    this.hostLink = new HostLink(this.name, this.doc, this.awareness, this.openHost, () => this.onHost())
    this.emit()
  }

  /** The host's link changed: where the relay stands comes from it, unless the window talks to the relay. */
  private onHost(): void {
    const host = this.hostLink?.state
    if (!host || !this.relay || this.direct) {
      this.emit()
      return
    }
    if (host.refused) {
      // The host does not hold this document for this member: the relay is reached directly.
      this.connect()
      this.emit()
      return
    }
    this.set(this.fromHost())
  }

  /** The sync status the host's report and this window's link to it make. */
  private fromHost(): SyncStatus {
    const host = this.hostLink?.state
    const relay = host?.synced ? host.relay : undefined
    const state = this.workOffline ? 'offline' : (relay?.state ?? 'connecting')
    const pending = state === 'synced' ? 0 : this.status.pending
    const error = this.workOffline ? undefined : relay?.error
    return { state, pending, ...(error ? { error } : {}) }
  }

  /** The relay is reached through the host (not by this window itself). */
  get viaHost(): boolean {
    return this.openHost !== undefined && !this.direct
  }

  /** Where this document stands with the host's log (null without a host). */
  get host(): HostLinkState | null {
    return this.hostLink?.state ?? null
  }

  /** The awareness to show and publish presence on: the relay connection's, else the host's. */
  get presence(): Awareness | null {
    return this.provider?.awareness ?? this.awareness
  }

  /**
   * Read the local database ourselves before handing it to y-indexeddb, which cannot survive a
   * damaged store (a value that is not an update, or missing object stores): it throws inside its
   * own promise chain and never reports "synced", and would keep appending to a log it can no
   * longer read back. A damaged store is reported, left untouched for recovery, and not written
   * to; what could be read is loaded and the document continues in memory (and on the relay).
   */
  private async load(): Promise<void> {
    const dbName = `signoff:${this.name}`
    let found: StoredUpdates | 'timeout'
    try {
      found = await withTimeout(readStoredUpdates(dbName), LOAD_TIMEOUT_MS)
    } catch (error) {
      this.fail(`Could not open the local database: ${String(error)}. Changes are kept in memory only.`)
      return
    }
    if (found === 'timeout') {
      this.fail('The local database did not answer; working in memory for now.')
      return
    }
    this.storedUpdates = found.updates.length
    if (found.missingStore || found.unreadable > 0) {
      this.loadDamaged(dbName, found, this.apply(found.updates, LOCAL_LOAD) + found.unreadable)
      return
    }
    if (this.destroyed) return
    let persistence: IndexeddbPersistence
    try {
      // Opened before the stored changes are applied: y-indexeddb writes the document's whole
      // state into the store when it opens, which for a 10,000-output workspace was a 2 MiB
      // encode on every start, and another 2 MiB copy to read back on the next.
      persistence = new IndexeddbPersistence(dbName, this.doc)
    } catch (error) {
      this.apply(found.updates, LOCAL_LOAD)
      this.fail(`Could not open the local database: ${String(error)}. Changes are kept in memory only.`)
      return
    }
    // Everything up to lastKey is applied below: let y-indexeddb read only what came after,
    // instead of reading and decoding the whole log a second time.
    const readAll = !readAfter(persistence, found.lastKey)
    this.persistence = persistence
    const synced = await withTimeout(persistence.whenSynced, LOAD_TIMEOUT_MS)
    if (this.destroyed) return
    // As y-indexeddb's own: not stored again, not a change waiting for the relay.
    let unreadable = 0
    if (!readAll) unstored(persistence, this.doc, () => (unreadable = this.apply(found.updates, persistence)))
    if (unreadable > 0) {
      this.persistence = null
      void persistence.destroy()
      this.loadDamaged(dbName, found, unreadable)
      return
    }
    this.storing = storeAfterFrame(persistence, this.doc)
    this.emit()
    if (synced === 'timeout' && !persistence.synced) {
      this.fail('The local database did not answer; working in memory for now.')
      return
    }
    // Stores written before y-indexeddb was opened this way hold a full copy per start: fold
    // them into one, once.
    if (found.updates.filter((u) => u.length > BIG_STORED_UPDATE).length > 1) void storeState(persistence)
  }

  /** Apply stored changes in one transaction; returns how many could not be read. */
  private apply(updates: Uint8Array[], origin: unknown): number {
    let unreadable = 0
    if (updates.length > 0)
      Y.transact(
        this.doc,
        () => {
          for (const update of updates) {
            try {
              Y.applyUpdate(this.doc, update, origin)
            } catch {
              unreadable++
            }
          }
        },
        origin,
      )
    return unreadable
  }

  private loadDamaged(dbName: string, found: StoredUpdates, unreadable: number): void {
    const what = found.missingStore
      ? 'its storage is missing'
      : `${unreadable} saved change${unreadable === 1 ? '' : 's'} could not be read`
    this.damaged =
      `The local database "${dbName}" is damaged (${what}). It is kept as it is for recovery. ` +
      `What could be read is shown; new changes are kept in memory${this.relay ? ' and sent to the relay' : ''}, not saved on this device.`
    this.fail(this.damaged)
  }

  /** Not an 'update' listener: that makes Yjs encode each transaction (the whole load included). */
  private onTransaction = (tr: Y.Transaction) => {
    if (changedSomething(tr)) this.onUpdate(tr.origin)
  }

  private onUpdate(origin: unknown) {
    // Count only our own changes that the relay has not seen yet.
    if (
      origin === this.provider ||
      origin === this.hostLink ||
      origin === this.persistence ||
      origin === LOCAL_LOAD ||
      origin === REMOTE
    )
      return
    if (!this.relay) return
    if (!this.direct) {
      // Through the host: a change made while its relay connection is not synced waits.
      if (this.status.state !== 'synced') this.set({ ...this.status, pending: this.status.pending + 1 })
      return
    }
    if (this.status.state !== 'synced' || (this.provider?.ws?.bufferedAmount ?? 0) > 0) {
      this.set({ ...this.status, pending: this.status.pending + 1 })
      if (this.status.state === 'synced') this.watchDrain()
    }
  }

  private drainTimer: ReturnType<typeof setTimeout> | null = null

  /**
   * While synced, a change counted because the socket was still sending earlier ones is gone
   * once the socket's buffer is empty; y-websocket sends no later 'sync' event to reset the count
   * (that comes only on a reconnect), so without this the header said "changes waiting" forever.
   */
  private watchDrain() {
    if (this.drainTimer) return
    const check = () => {
      this.drainTimer = null
      if (this.destroyed || this.status.state !== 'synced' || this.status.pending === 0) return
      if ((this.provider?.ws?.bufferedAmount ?? 0) > 0) this.drainTimer = setTimeout(check, DRAIN_CHECK_MS)
      else this.set({ ...this.status, pending: 0 })
    }
    this.drainTimer = setTimeout(check, DRAIN_CHECK_MS)
  }

  private set(status: SyncStatus) {
    // A damaged local database stays reported: syncing with the relay does not repair it.
    this.status = this.damaged && !status.error ? { ...status, error: this.damaged } : status
    this.emit()
  }

  private fail(message: string) {
    this.set({ ...this.status, error: message })
  }

  /** Talk to the relay directly (no host, or the host refused the document). */
  connect(): void {
    this.direct = true
    if (!this.relay || this.provider || this.workOffline) return
    const provider = new WebsocketProvider(this.relay.url, this.name, this.doc, {
      params: { token: this.relay.token },
      maxBackoffTime: 5000,
    })
    this.provider = provider
    this.set({ ...this.status, state: 'connecting' })
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.set({ ...this.status, state: 'connecting' })
      else if (status === 'disconnected') this.set({ ...this.status, state: 'offline' })
    })
    provider.on('sync', (synced: boolean) => {
      if (synced) this.set({ state: 'synced', pending: 0 })
    })
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (!event) return
      // Retrying a refused token only hammers the relay; stop and say why.
      if (isFatalClose(event.code)) provider.shouldConnect = false
      const error = closeMessage(event.code, event.reason)
      if (error) this.set({ ...this.status, state: 'offline', error })
    })
    provider.on('connection-error', () => {
      this.set({ ...this.status, state: 'offline', error: unreachableMessage(this.relay?.url ?? '') })
    })
  }

  /**
   * Stop syncing on purpose ("work offline"); local edits continue and merge on reconnect. Through
   * the host, the host's relay connection goes offline (the session asks it); this only shows it.
   */
  setWorkOffline(offline: boolean): void {
    this.workOffline = offline
    if (!this.direct) {
      if (this.relay) this.set(this.fromHost())
      return
    }
    if (offline) {
      this.provider?.destroy()
      this.provider = null
      if (this.relay) this.set({ ...this.status, state: 'offline' })
    } else {
      this.set({ ...this.status, error: undefined } as SyncStatus)
      this.connect()
    }
  }

  setRelay(relay: RelayConfig | undefined): void {
    this.provider?.destroy()
    this.provider = null
    this.relay = relay
    this.set({ state: relay ? 'connecting' : 'local', pending: 0 })
    if (this.direct || !this.openHost) this.connect()
    else if (relay) this.set(this.fromHost())
  }

  /**
   * Wait until IndexedDB has committed every update written so far, and the host's log has them
   * (up to `hostMs`: the host may be away).
   */
  async flush(hostMs = 2000): Promise<void> {
    await Promise.all([this.flushLocal(), this.hostLink?.whenSaved(hostMs)])
  }

  private async flushLocal(): Promise<void> {
    this.storing?.batch.flush()
    const db = this.persistence?.db
    if (!db) return
    await new Promise<void>((resolve) => {
      try {
        // A transaction on the same store completes only after the earlier writes did.
        const tx = db.transaction(['updates'], 'readonly')
        tx.oncomplete = () => resolve()
        tx.onerror = () => resolve()
        tx.onabort = () => resolve()
      } catch {
        resolve()
      }
    })
  }

  destroy(): void {
    this.destroyed = true
    if (this.drainTimer) clearTimeout(this.drainTimer)
    this.doc.off('afterTransaction', this.onTransaction)
    this.provider?.destroy()
    this.provider = null
    this.hostLink?.destroy()
    this.awareness?.destroy()
    this.storing?.stop()
    void this.persistence?.destroy()
  }
}

/** Whether a transaction changed the document (what makes Yjs emit 'update'). */
export function changedSomething(tr: Y.Transaction): boolean {
  return tr.changed.size > 0 || tr.deleteSet.clients.size > 0
}
