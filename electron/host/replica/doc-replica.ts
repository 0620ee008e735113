/**
 * One Yjs document held by the host: loaded from the local log, every change appended to it
 * (durably, before `durable()` resolves), and synced with the team's relay as a y-websocket
 * client when the workspace has one.
 */
import { WebSocket } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { ReplicaLog } from './log.ts'
import { detachAwarenessEcho, detachExitHandler } from './provider-internals.ts'

export interface RelayConfig {
  url: string
  token: string
}

/** The origin of what is read back from the local log (not a change: never logged again). */
const FROM_LOG = Object.freeze({ source: 'host log' })

/** Close codes after which retrying does not help: a refused or revoked token. */
const FATAL_CLOSE = new Set([4401, 4403])

export class DocReplica {
  /** The document's name on the relay (and for the windows). */
  readonly name: string
  /** Its key in the local log: the name, or one kept apart per member (see Replicas). */
  readonly logName: string
  readonly doc = new Y.Doc()
  /**
   * Who is here among this device's windows (WindowSync). Not passed on to the relay: a stock
   * y-websocket provider re-sends every state it holds, and the relay takes a presence id as
   * owned by the connection that sends it, so the host's connection would claim the windows'
   * (and, echoed back, other members') ids; windows of a relay workspace show presence through
   * their own relay connection. The host itself shows none.
   */
  readonly awareness = new Awareness(this.doc)
  private readonly log: ReplicaLog
  private readonly writer: string
  private provider: WebsocketProvider | null = null
  private lastWrite: Promise<void> = Promise.resolve()
  private writeError: unknown = null
  private syncedOnce = false
  private readonly syncWaiters: (() => void)[] = []
  /** Why the relay refused this document (a revoked token), when it did. */
  refused: string | null = null

  constructor(
    name: string,
    log: ReplicaLog,
    options: { memberId: string; relay?: RelayConfig; logName?: string },
  ) {
    this.name = name
    this.logName = options.logName ?? name
    this.log = log
    this.writer = `local:${options.memberId}`
    this.awareness.setLocalState(null)
    const stored = log.load(this.logName)
    if (stored) Y.applyUpdate(this.doc, stored, FROM_LOG)
    this.doc.on('update', this.onUpdate)
    if (options.relay) this.connect(options.relay)
  }

  private onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === FROM_LOG) return
    const write = this.log.append(this.logName, update, origin === this.provider ? 'relay' : this.writer)
    write.catch((error: unknown) => {
      this.writeError = error
    })
    this.lastWrite = write
  }

  private connect(relay: RelayConfig): void {
    const provider = new WebsocketProvider(relay.url, this.name, this.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: relay.token },
      disableBc: true,
      maxBackoffTime: 5000,
    })
    // The host is not a person: it shows no presence, and echoes nobody else's.
    provider.awareness.setLocalState(null)
    detachExitHandler(provider)
    detachAwarenessEcho(provider)
    provider.on('sync', (synced: boolean) => {
      if (!synced) return
      this.syncedOnce = true
      for (const w of this.syncWaiters.splice(0)) w()
    })
    provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (event && FATAL_CLOSE.has(event.code)) {
        provider.shouldConnect = false
        this.refused = event.reason || `closed with ${event.code}`
      }
    })
    this.provider = provider
  }

  get hasRelay(): boolean {
    return this.provider !== null
  }

  /** Synced with the relay right now. */
  get synced(): boolean {
    return this.provider?.synced ?? false
  }

  /** Resolves once synced with the relay (at once without one), or after `ms`. */
  whenSynced(ms: number): Promise<boolean> {
    if (!this.provider) return Promise.resolve(true)
    if (this.provider.synced) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms)
      this.syncWaiters.push(() => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  }

  /**
   * Everything written here has been handed to the relay: synced, and nothing left in the
   * socket's buffer (an update made while offline goes out in the next sync's exchange).
   */
  get settled(): boolean {
    const provider = this.provider
    if (!provider) return true
    return provider.synced && (provider.ws?.bufferedAmount ?? 0) === 0
  }

  get everSynced(): boolean {
    return this.syncedOnce
  }

  /** Resolves once every change made so far is on the disk; rejects if the log failed. */
  async durable(): Promise<void> {
    await this.lastWrite
    if (this.writeError) throw this.writeError
  }

  async close(): Promise<void> {
    await this.lastWrite.catch(() => {})
    this.provider?.destroy()
    this.provider = null
    this.doc.off('update', this.onUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }
}
