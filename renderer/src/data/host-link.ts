/**
 * One document synced with the host (shared/host/doc-sync.ts): y-protocols sync and awareness over
 * a channel the shell gives (a MessagePort in Electron, the web bridge's WebSocket in a browser),
 * so this code does not care which. It counts the changes it sent and the host's SAVED answers:
 * a change is saved once the host's log has it on the disk.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import type * as Y from 'yjs'
import {
  decodeRelay,
  MSG_AWARENESS,
  MSG_IMPORTED,
  MSG_REFUSED,
  MSG_RELAY,
  MSG_SAVED,
  MSG_SYNC,
  readMessage,
} from '../../../shared/host/doc-sync.ts'
import type { RelayStatus } from '../../../shared/sync/relay-status.ts'
import { UpdateBatch } from './update-batch.ts'

export interface ChannelHandlers {
  onOpen(): void
  onMessage(data: Uint8Array): void
  onClose(): void
}

export interface DocChannel {
  send(data: Uint8Array): void
  close(): void
}

/**
 * Opens a channel for one document, to `memberId`'s replica in the host (two members of one
 * workspace on this device each have their own); the shell's transport (renderer/src/host/doc-channel.ts).
 */
export type OpenDocChannel = (docName: string, handlers: ChannelHandlers, memberId?: string) => DocChannel

export interface HostLinkState {
  /** The channel is open and the host has answered the handshake. */
  synced: boolean
  /** Changes not yet durable in the host's log (sent and not acknowledged, or made while away). */
  unsaved: number
  /** The host took this window's copy into a log that did not have the document (migration). */
  imported: boolean
  /** The host refused the document (it does not hold the workspace). */
  refused?: string
  /** Where the host's connection to the team's relay stands for this document (a relay workspace). */
  relay?: RelayStatus
}

const MIN_BACKOFF_MS = 100
const MAX_BACKOFF_MS = 5000

export class HostLink {
  readonly name: string
  private readonly doc: Y.Doc
  private readonly awareness: awarenessProtocol.Awareness
  private readonly openChannel: OpenDocChannel
  private readonly onChange: () => void
  private channel: DocChannel | null = null
  private open = false
  private destroyed = false
  private backoff = MIN_BACKOFF_MS
  private retry: ReturnType<typeof setTimeout> | null = null
  private sent = 0
  private saved = 0
  /** Changes made while no channel was open: they go in the next handshake's step 2. */
  private away = 0
  /** Clients whose presence came from the host (dropped when the channel goes). */
  private readonly fromHost = new Set<number>()
  state: HostLinkState = { synced: false, unsaved: 0, imported: false }
  private readonly savedWaiters: (() => void)[] = []
  /** Local changes wait here for the frame that shows them to be drawn (update-batch.ts). */
  private readonly batch = new UpdateBatch((update) => this.send(update))

  constructor(
    name: string,
    doc: Y.Doc,
    awareness: awarenessProtocol.Awareness,
    openChannel: OpenDocChannel,
    onChange: () => void,
  ) {
    this.name = name
    this.doc = doc
    this.awareness = awareness
    this.openChannel = openChannel
    this.onChange = onChange
    doc.on('update', this.onUpdate)
    awareness.on('update', this.onAwareness)
    this.connect()
  }

  private set(patch: Partial<HostLinkState>): void {
    const unsaved = this.sent - this.saved + this.away + (this.batch.pending ? 1 : 0)
    this.state = { ...this.state, ...patch, unsaved }
    if (this.state.unsaved === 0) for (const w of this.savedWaiters.splice(0)) w()
    this.onChange()
  }

  private connect(): void {
    if (this.destroyed || this.channel || this.state.refused) return
    const channel = this.openChannel(this.name, {
      onOpen: () => {
        if (this.channel !== channel) return
        this.open = true
        this.backoff = MIN_BACKOFF_MS
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MSG_SYNC)
        syncProtocol.writeSyncStep1(encoder, this.doc)
        channel.send(encoding.toUint8Array(encoder))
        if (this.awareness.getLocalState() !== null) this.sendAwareness([this.doc.clientID])
      },
      onMessage: (data) => {
        if (this.channel === channel) this.receive(data)
      },
      onClose: () => {
        if (this.channel !== channel) return
        this.channel = null
        this.open = false
        // What was sent and not acknowledged goes again in the next handshake.
        this.away += this.sent - this.saved
        this.sent = 0
        this.saved = 0
        const gone = [...this.fromHost]
        this.fromHost.clear()
        if (gone.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, gone, this)
        // What the host said of its relay connection is no longer known.
        const { relay: _unknown, ...rest } = this.state
        this.state = rest
        this.set({ synced: false })
        if (this.destroyed || this.state.refused) return
        this.retry = setTimeout(() => {
          this.retry = null
          this.connect()
        }, this.backoff)
        this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS)
      },
    })
    this.channel = channel
  }

  private receive(data: Uint8Array): void {
    const { type, decoder } = readMessage(data)
    switch (type) {
      case MSG_SYNC: {
        const reply = encoding.createEncoder()
        encoding.writeVarUint(reply, MSG_SYNC)
        const kind = syncProtocol.readSyncMessage(decoder, reply, this.doc, this)
        if (encoding.length(reply) > 1) {
          // The answer to the host's step 1 is this window's step 2: everything the host lacks,
          // including what was changed while away.
          this.channel?.send(encoding.toUint8Array(reply))
          this.sent++
          this.away = 0
          this.set({})
        }
        if (kind === syncProtocol.messageYjsSyncStep2 && !this.state.synced) this.set({ synced: true })
        return
      }
      case MSG_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder)
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, this)
        return
      }
      case MSG_SAVED: {
        this.saved = Math.max(this.saved, Math.min(decoding.readVarUint(decoder), this.sent))
        this.set({})
        return
      }
      case MSG_IMPORTED:
        this.set({ imported: true })
        return
      case MSG_REFUSED:
        this.set({ refused: decoding.readVarString(decoder) })
        return
      case MSG_RELAY:
        this.set({ relay: decodeRelay(decoder) })
        return
    }
  }

  private onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== this) this.batch.add(update, origin)
  }

  private send(update: Uint8Array): void {
    if (!this.open || !this.channel) {
      this.away++
      this.set({})
      return
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MSG_SYNC)
    syncProtocol.writeUpdate(encoder, update)
    this.channel.send(encoding.toUint8Array(encoder))
    this.sent++
    this.set({})
  }

  private onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    if (origin === this) {
      for (const c of [...added, ...updated]) this.fromHost.add(c)
      for (const c of removed) this.fromHost.delete(c)
      return
    }
    if (this.open) this.sendAwareness([...added, ...updated, ...removed])
  }

  private sendAwareness(clients: number[]): void {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MSG_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
    this.channel?.send(encoding.toUint8Array(encoder))
  }

  /** Resolves once every change so far is durable in the host's log (or after `ms`: false). */
  whenSaved(ms: number): Promise<boolean> {
    this.batch.flush()
    if (this.state.unsaved === 0 && this.state.synced) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms)
      const check = () => {
        if (this.state.synced && this.state.unsaved === 0) {
          clearTimeout(timer)
          resolve(true)
        } else this.savedWaiters.push(check)
      }
      this.savedWaiters.push(check)
    })
  }

  destroy(): void {
    this.batch.flush()
    this.destroyed = true
    if (this.retry) clearTimeout(this.retry)
    this.doc.off('update', this.onUpdate)
    this.awareness.off('update', this.onAwareness)
    const channel = this.channel
    this.channel = null
    this.open = false
    channel?.close()
  }
}
