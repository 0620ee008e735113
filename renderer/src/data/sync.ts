import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { REMOTE } from '../../../shared/domain/origins.ts'
import { Observable } from '../state/observable.ts'

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

// Close codes the relay uses for refusals that retrying will not fix.
const FATAL_CLOSE = new Map<number, string>([
  [4401, 'The relay refused the invite token (missing or unknown).'],
  [4403, 'The relay refused access to this workspace with this token (revoked or for another workspace).'],
])

/**
 * One Y.Doc kept in IndexedDB and, when a relay is configured, synced through y-websocket.
 * Persistence failure (a corrupted or blocked database) is reported, never fatal: the document
 * keeps working in memory and through the relay.
 */
export class DocSync extends Observable {
  readonly doc: Y.Doc
  readonly name: string
  readonly persistence: IndexeddbPersistence | null
  provider: WebsocketProvider | null = null
  status: SyncStatus
  readonly loaded: Promise<void>
  private relay: RelayConfig | undefined
  private workOffline = false

  constructor(name: string, doc: Y.Doc, relay: RelayConfig | undefined, options: { connect?: boolean } = {}) {
    super()
    this.doc = doc
    this.name = name
    this.relay = relay
    this.status = { state: relay ? 'connecting' : 'local', pending: 0 }
    let persistence: IndexeddbPersistence | null = null
    try {
      persistence = new IndexeddbPersistence(`signoff:${name}`, doc)
    } catch (error) {
      this.fail(`Could not open the local database: ${String(error)}. Changes are kept in memory only.`)
    }
    this.persistence = persistence
    this.loaded = persistence
      ? Promise.race([
          persistence.whenSynced.then(() => undefined),
          new Promise<void>((resolve) =>
            setTimeout(() => {
              if (!persistence?.synced)
                this.fail('The local database did not answer; working in memory for now.')
              resolve()
            }, 5000),
          ),
        ])
      : Promise.resolve()
    doc.on('update', this.onUpdate)
    if (relay && options.connect !== false) this.connect()
  }

  private onUpdate = (_update: Uint8Array, origin: unknown) => {
    // Count only our own changes that the relay has not seen yet.
    if (origin === this.provider || origin === this.persistence || origin === REMOTE) return
    if (!this.relay) return
    if (this.status.state !== 'synced' || (this.provider?.ws?.bufferedAmount ?? 0) > 0) {
      this.set({ ...this.status, pending: this.status.pending + 1 })
    }
  }

  private set(status: SyncStatus) {
    this.status = status
    this.emit()
  }

  private fail(message: string) {
    this.set({ ...this.status, error: message })
  }

  connect(): void {
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
      const fatal = event ? FATAL_CLOSE.get(event.code) : undefined
      if (fatal) {
        // Retrying a refused token only hammers the relay; stop and say why.
        provider.shouldConnect = false
        this.set({
          ...this.status,
          state: 'offline',
          error: `${fatal}${event?.reason ? ` (${event.reason})` : ''}`,
        })
      } else if (event && event.code >= 4000) {
        this.set({
          ...this.status,
          state: 'offline',
          error: `The relay closed the connection: ${event.reason || event.code}`,
        })
      }
    })
    provider.on('connection-error', () => {
      this.set({
        ...this.status,
        state: 'offline',
        error: `Cannot reach the relay at ${this.relay?.url}; working offline.`,
      })
    })
  }

  /** Stop syncing on purpose ("work offline"); local edits continue and merge on reconnect. */
  setWorkOffline(offline: boolean): void {
    this.workOffline = offline
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
    this.connect()
  }

  /** Wait until IndexedDB has committed every update written so far. */
  async flush(): Promise<void> {
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
    this.doc.off('update', this.onUpdate)
    this.provider?.destroy()
    this.provider = null
    void this.persistence?.destroy()
  }
}
