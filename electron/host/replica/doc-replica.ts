/**
 * One Yjs document held by the host: loaded from the local log, every change appended to it
 * (durably, before `durable()` resolves), and synced with the team's relay as a y-websocket
 * client when the workspace has one. The windows of this member have no relay connection of their
 * own: their changes and their presence reach the team through this one, and they are told where
 * it stands (`relayStatus`).
 */
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  closeMessage,
  isFatalClose,
  type RelayStatus,
  unreachableMessage,
} from '../../../shared/sync/relay-status.ts'
import type { ReplicaLog } from './log.ts'
import { detachAwarenessEcho, detachExitHandler } from './provider-internals.ts'

export interface RelayConfig {
  url: string
  token: string
}

/** The origin of what is read back from the local log (not a change: never logged again). */
const FROM_LOG = Object.freeze({ source: 'host log' })

/** The origin of presence that came from the relay (not sent back to it). */
const FROM_RELAY = Object.freeze({ source: 'relay presence' })
/** y-websocket's message type for awareness. */
const MESSAGE_AWARENESS = 1

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] }

export class DocReplica {
  /** The document's name on the relay (and for the windows). */
  readonly name: string
  /** Its key in the local log: the name, or one kept apart per member (see Replicas). */
  readonly logName: string
  readonly doc = new Y.Doc()
  /**
   * Who is here: this member's windows (WindowSync) and, through the relay, the team. The
   * windows' presence is sent to the relay on this document's connection, and only theirs: a
   * stock provider re-sends every state it holds, and the relay takes a presence id as owned by
   * the connection that sends it, so echoing other members' would claim their ids. The host
   * itself shows none.
   */
  readonly awareness = new Awareness(this.doc)
  /** Presence ids of this member's windows (sent to the relay; the rest came from it). */
  private readonly windowPresence = new Set<number>()
  /** Relay connections made so far: added to the windows' presence clocks (see sendPresence). */
  private connections = 0
  private status: RelayStatus = { state: 'connecting' }
  private readonly statusListeners = new Set<(status: RelayStatus) => void>()
  private workOffline = false
  private readonly log: ReplicaLog
  private readonly writer: string
  private provider: WebsocketProvider | null = null
  private lastWrite: Promise<void> = Promise.resolve()
  private writeError: unknown = null
  private syncedOnce = false
  /** Waiting for the next sync: told true when it comes, false when the relay is out of reach. */
  private readonly syncWaiters: ((synced: boolean) => void)[] = []
  private readonly firstSyncWaiters: (() => void)[] = []
  /** Why the relay refused this document (a revoked token), when it did. */
  refused: string | null = null
  /** What to tell the windows about that refusal. */
  private refusal = ''

  constructor(
    name: string,
    log: ReplicaLog,
    options: { memberId: string; relay?: RelayConfig; logName?: string; workOffline?: boolean },
  ) {
    this.name = name
    this.logName = options.logName ?? name
    this.log = log
    this.writer = `local:${options.memberId}`
    this.awareness.setLocalState(null)
    const stored = log.load(this.logName)
    if (stored) Y.applyUpdate(this.doc, stored, FROM_LOG)
    this.doc.on('update', this.onUpdate)
    this.awareness.on('update', this.onWindowPresence)
    if (options.relay) this.connect(options.relay, options.workOffline === true)
  }

  private onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === FROM_LOG) return
    const write = this.log.append(this.logName, update, origin === this.provider ? 'relay' : this.writer)
    write.catch((error: unknown) => {
      this.writeError = error
    })
    this.lastWrite = write
  }

  private connect(relay: RelayConfig, workOffline: boolean): void {
    this.workOffline = workOffline
    const provider = new WebsocketProvider(relay.url, this.name, this.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: relay.token },
      disableBc: true,
      maxBackoffTime: 5000,
      connect: !workOffline,
    })
    // The host is not a person: it shows no presence, and echoes nobody else's.
    provider.awareness.setLocalState(null)
    detachExitHandler(provider)
    detachAwarenessEcho(provider)
    provider.awareness.on('update', this.onRelayPresence)
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') {
        // The handshake follows; the windows' presence goes with it.
        this.setStatus({ state: 'connecting' })
        this.connections++
        this.sendPresence([...this.windowPresence])
      } else if (status === 'disconnected' && this.status.state !== 'offline')
        this.setStatus({ state: 'offline' })
    })
    provider.on('sync', (synced: boolean) => {
      if (!synced) return
      this.syncedOnce = true
      this.setStatus({ state: 'synced' })
      for (const w of this.syncWaiters.splice(0)) w(true)
      for (const w of this.firstSyncWaiters.splice(0)) w()
    })
    provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (!event) return
      const error = closeMessage(event.code, event.reason)
      if (isFatalClose(event.code)) {
        provider.shouldConnect = false
        this.refused = event.reason || `closed with ${event.code}`
        this.refusal = error ?? this.refused
      }
      if (error) this.setStatus({ state: 'offline', error })
    })
    provider.on('connection-error', () => {
      this.setStatus({ state: 'offline', error: unreachableMessage(relay.url) })
    })
    this.provider = provider
    this.status = workOffline ? { state: 'offline', chosen: true } : { state: 'connecting' }
  }

  /** Where the relay connection stands (for the windows); null without a relay. */
  get relayStatus(): RelayStatus | null {
    return this.provider ? this.status : null
  }

  /** Called with each change of `relayStatus`; returns the unsubscribe. */
  onRelayStatus(fn: (status: RelayStatus) => void): () => void {
    this.statusListeners.add(fn)
    return () => this.statusListeners.delete(fn)
  }

  private setStatus(status: RelayStatus): void {
    // Working offline by choice stays what it is until the person goes back online.
    const next = this.workOffline ? { state: 'offline' as const, chosen: true } : status
    if (JSON.stringify(next) === JSON.stringify(this.status)) return
    this.status = next
    for (const fn of this.statusListeners) fn(next)
    if (this.outOfReach) for (const w of this.syncWaiters.splice(0)) w(false)
  }

  /** Stop talking to the relay ("Work offline"), or start again; changes merge on reconnect. */
  setWorkOffline(offline: boolean): void {
    const provider = this.provider
    if (!provider || offline === this.workOffline) return
    this.workOffline = offline
    if (offline) {
      provider.disconnect()
      this.setStatus({ state: 'offline', chosen: true })
    } else {
      this.setStatus({ state: 'connecting' })
      // A refused token stays refused: reconnecting would only be refused again.
      if (this.refused) this.setStatus({ state: 'offline', error: this.refusal })
      else provider.connect()
    }
  }

  /** A window's presence changed (or went): pass it on to the relay. */
  private onWindowPresence = ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
    if (origin === FROM_RELAY) return
    const changed = [...added, ...updated].filter((c) => c !== this.awareness.clientID)
    for (const c of changed) this.windowPresence.add(c)
    const gone = removed.filter((c) => this.windowPresence.delete(c))
    this.sendPresence([...changed, ...gone])
  }

  /**
   * Send windows' presence to the relay. Each connection starts the clocks higher: when the last
   * connection dropped, the relay and the team removed these states but kept their clocks, and
   * a state sent again with the clock it had would be ignored until the window next renews it.
   */
  private sendPresence(clients: number[]): void {
    const provider = this.provider
    if (!provider?.wsconnected || !provider.ws || clients.length === 0) return
    const body = encoding.createEncoder()
    encoding.writeVarUint(body, clients.length)
    for (const c of clients) {
      encoding.writeVarUint(body, c)
      encoding.writeVarUint(body, (this.awareness.meta.get(c)?.clock ?? 0) + this.connections)
      encoding.writeVarString(body, JSON.stringify(this.awareness.getStates().get(c) ?? null))
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(body))
    provider.ws.send(encoding.toUint8Array(encoder))
  }

  /** The team's presence changed on the relay connection (or timed out there): tell the windows. */
  private onRelayPresence = ({ added, updated, removed }: AwarenessChange) => {
    const provider = this.provider
    if (!provider) return
    const clients = [...added, ...updated, ...removed].filter(
      (c) => !this.windowPresence.has(c) && c !== provider.awareness.clientID,
    )
    if (clients.length === 0) return
    const update = awarenessProtocol.encodeAwarenessUpdate(provider.awareness, clients)
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, FROM_RELAY)
  }

  get hasRelay(): boolean {
    return this.provider !== null
  }

  /** Synced with the relay right now. */
  get synced(): boolean {
    return this.provider?.synced ?? false
  }

  /**
   * Resolves true once synced with the relay (at once without one); false after `ms`, or at once
   * while the relay is out of reach (working offline, refused, unreachable): what is here is all
   * there is to work with until it is back, and the host's work must not wait for it.
   */
  whenSynced(ms: number): Promise<boolean> {
    if (!this.provider) return Promise.resolve(true)
    if (this.provider.synced) return Promise.resolve(true)
    if (this.outOfReach) return Promise.resolve(false)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms)
      this.syncWaiters.push((synced) => {
        clearTimeout(timer)
        resolve(synced)
      })
    })
  }

  /** Resolves at the first sync with the relay (at once without one, or once it has been). */
  firstSync(): Promise<void> {
    if (!this.provider || this.syncedOnce) return Promise.resolve()
    return new Promise((resolve) => this.firstSyncWaiters.push(resolve))
  }

  private get outOfReach(): boolean {
    return this.workOffline || (this.status.state === 'offline' && this.status.error !== undefined)
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
    this.statusListeners.clear()
    this.awareness.off('update', this.onWindowPresence)
    this.provider?.awareness.off('update', this.onRelayPresence)
    this.provider?.destroy()
    this.provider = null
    this.doc.off('update', this.onUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }
}
