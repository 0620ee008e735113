/**
 * Windows as clients of the host: each window syncs each Yjs document it shows with the host's
 * replica of it (shared/host/doc-sync.ts), over whatever channel its shell has (a MessagePort in
 * Electron, the web bridge's WebSocket in a browser). The host answers with y-protocols sync and
 * awareness messages, tells the window which of its changes are durable in the host's log
 * (SAVED), and passes presence between its windows and, through the replica's relay connection,
 * the team.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import type * as Y from 'yjs'
import { isValidId, parseDocName } from '../../../shared/docnames.ts'
import {
  encodeImported,
  encodeRefused,
  encodeRelay,
  encodeSaved,
  MSG_AWARENESS,
  MSG_SYNC,
  readMessage,
} from '../../../shared/host/doc-sync.ts'
import type { DocReplica } from '../replica/doc-replica.ts'
import type { Replicas } from '../replica/replicas.ts'

/** One window's channel for one document, as the shell's transport gives it. */
export interface SyncChannel {
  send(data: Uint8Array): void
  close(): void
}

/** What the transport calls: each message from the window, and once when the channel is gone. */
export interface SyncConnection {
  receive(data: Uint8Array): void
  closed(): void
}

export interface WindowSyncOptions {
  log?: (line: string) => void
  /** A window's copy filled a document the host's log did not have (the migration). */
  onImported?: (docName: string) => void
}

/** How long a window's channel may wait for its workspace to be registered before it is refused. */
const REGISTER_WAIT_MS = 10_000

/** A transaction origin per window channel: its own changes are not echoed back to it. */
class WindowOrigin {
  readonly docName: string
  constructor(docName: string) {
    this.docName = docName
  }
}

export class WindowSync {
  private readonly replicas: Replicas
  private readonly options: WindowSyncOptions
  private readonly open = new Set<SyncConnection>()

  constructor(replicas: Replicas, options: WindowSyncOptions = {}) {
    this.replicas = replicas
    this.options = options
  }

  /** Windows connected right now, over all documents. */
  get connections(): number {
    return this.open.size
  }

  /**
   * Serve `docName` to a window over `channel`, from `memberId`'s replica (two members of one
   * workspace on this device each have their own; see Replicas). A workspace the host does not
   * hold yet for that member (the window registers it as it opens it) is waited for a moment,
   * then refused.
   */
  connect(docName: string, channel: SyncChannel, memberId?: string): SyncConnection {
    const parsed = parseDocName(docName)
    let inner: SyncConnection | null = null
    let gone = false
    const early: Uint8Array[] = []
    const outer: SyncConnection = {
      receive: (data) => {
        if (inner) inner.receive(data)
        else early.push(data)
      },
      closed: () => {
        gone = true
        this.open.delete(outer)
        inner?.closed()
      },
    }
    const refuse = (reason: string) => {
      channel.send(encodeRefused(reason))
      channel.close()
    }
    if (!parsed) {
      refuse(`${JSON.stringify(docName.slice(0, 200))} is not a document name.`)
      return outer
    }
    if (memberId !== undefined && !isValidId(memberId)) {
      refuse(`${JSON.stringify(memberId.slice(0, 200))} is not a member id.`)
      return outer
    }
    this.open.add(outer)
    const start = () => {
      if (gone) return
      const workspace = this.replicas.get(parsed.workspaceId, memberId)
      if (!workspace) {
        refuse(
          `The host does not hold workspace ${parsed.workspaceId}${memberId ? ` for member ${memberId}` : ''}.`,
        )
        return
      }
      let replica: DocReplica
      let unpin = () => {}
      if (parsed.kind === 'output') {
        replica = workspace.output(parsed.outputId).replica
        unpin = workspace.pin(parsed.outputId)
      } else replica = workspace.replica
      // The host lets go of this replica (the membership changed): the window reconnects and
      // syncs with the one that follows.
      const offClose = workspace.onClose(() => {
        inner?.closed()
        channel.close()
      })
      inner = serve(replica, channel, docName, this.options, () => {
        offClose()
        unpin()
      })
      for (const data of early.splice(0)) inner.receive(data)
    }
    if (this.replicas.get(parsed.workspaceId, memberId)) start()
    else {
      const timer = setTimeout(() => {
        off()
        start()
      }, REGISTER_WAIT_MS)
      const off = this.replicas.onOpen((r) => {
        if (r.workspaceId !== parsed.workspaceId || (memberId !== undefined && r.memberId !== memberId))
          return
        clearTimeout(timer)
        off()
        start()
      })
    }
    return outer
  }
}

function serve(
  replica: DocReplica,
  channel: SyncChannel,
  docName: string,
  options: WindowSyncOptions,
  unpin: () => void,
): SyncConnection {
  const doc = replica.doc
  const awareness = replica.awareness
  const origin = new WindowOrigin(docName)
  /** Clients whose presence this window announced (removed when it goes). */
  const controlled = new Set<number>()
  let received = 0
  let imported = false
  let closed = false

  const send = (data: Uint8Array) => {
    if (!closed) channel.send(data)
  }
  const onUpdate = (update: Uint8Array, from: unknown) => {
    if (from === origin) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MSG_SYNC)
    syncProtocol.writeUpdate(encoder, update)
    send(encoding.toUint8Array(encoder))
  }
  const onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    from: unknown,
  ) => {
    if (from === origin) {
      for (const c of [...added, ...updated]) controlled.add(c)
      for (const c of removed) controlled.delete(c)
      return
    }
    const changed = [...added, ...updated, ...removed]
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MSG_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed))
    send(encoding.toUint8Array(encoder))
  }
  doc.on('update', onUpdate)
  awareness.on('update', onAwareness)
  // The window has no relay connection of its own: it shows where the host's stands.
  const offRelay = replica.onRelayStatus((status) => send(encodeRelay(status)))
  const relay = replica.relayStatus
  if (relay) send(encodeRelay(relay))

  // The host's half of the handshake: what it has, and who is here.
  const step1 = encoding.createEncoder()
  encoding.writeVarUint(step1, MSG_SYNC)
  syncProtocol.writeSyncStep1(step1, doc)
  send(encoding.toUint8Array(step1))
  const present = [...awareness.getStates().keys()]
  if (present.length > 0) {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MSG_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, present))
    send(encoding.toUint8Array(encoder))
  }

  const receiveSync = (decoder: decoding.Decoder) => {
    const reply = encoding.createEncoder()
    encoding.writeVarUint(reply, MSG_SYNC)
    const wasEmpty = doc.store.clients.size === 0
    const kind = syncProtocol.readSyncMessage(decoder, reply, doc as Y.Doc, origin)
    if (encoding.length(reply) > 1) send(encoding.toUint8Array(reply))
    if (kind === syncProtocol.messageYjsSyncStep1) return
    received++
    const count = received
    if (kind === syncProtocol.messageYjsSyncStep2 && wasEmpty && doc.store.clients.size > 0 && !imported) {
      imported = true
      send(encodeImported())
      options.onImported?.(docName)
    }
    // The window's change was queued for the log as it was applied: SAVED once it is on the disk.
    replica.durable().then(
      () => send(encodeSaved(count)),
      (e: unknown) =>
        options.log?.(`The host's log could not keep a window's change to ${docName}: ${String(e)}`),
    )
  }

  return {
    receive(data) {
      if (closed) return
      try {
        const { type, decoder } = readMessage(data)
        if (type === MSG_SYNC) receiveSync(decoder)
        else if (type === MSG_AWARENESS)
          awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), origin)
      } catch (e) {
        options.log?.(`A window sent an unreadable message for ${docName}: ${String(e)}`)
        channel.close()
      }
    },
    closed() {
      if (closed) return
      closed = true
      doc.off('update', onUpdate)
      awareness.off('update', onAwareness)
      offRelay()
      // The window is gone: so is its presence, for the other windows and the team.
      if (controlled.size > 0) awarenessProtocol.removeAwarenessStates(awareness, [...controlled], null)
      unpin()
    },
  }
}
