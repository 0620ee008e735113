/**
 * How a window syncs a Yjs document with the host, the same over a MessagePort (Electron) and over
 * the web bridge's WebSocket (`npm run web`): one channel per document, binary messages in
 * y-websocket's framing (a varuint message type, then its body). Types 0 and 1 are y-protocols'
 * sync and awareness messages; the host adds two of its own:
 *
 * - SAVED (host → window, varuint n): the first n update-bearing sync messages the window sent on
 *   this channel (its step 2 and each update) are durable in the host's log. That is what the
 *   window calls "saved".
 * - IMPORTED (host → window, no body): the window's copy filled a document the host's log did not
 *   have yet (the first sync from an older installation's window storage: the migration).
 * - REFUSED (host → window, string): the host cannot serve this document (a workspace it does not
 *   hold); the channel is closed after it.
 * - RELAY (host → window, JSON of shared/sync/relay-status.ts): where the host's connection to the
 *   team's relay stands for this document, sent at once and at each change, for a workspace with a
 *   relay. The window has no relay connection of its own: its changes and its presence reach the
 *   team through the host.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { RelayState, RelayStatus } from '../sync/relay-status.ts'

export const MSG_SYNC = 0
export const MSG_AWARENESS = 1
export const MSG_SAVED = 100
export const MSG_IMPORTED = 101
export const MSG_REFUSED = 102
export const MSG_RELAY = 103

/** The web bridge's WebSocket path: `/host-sync?doc=<doc name>&member=<member id>&secret=<secret>`. */
export const HOST_SYNC_PATH = '/host-sync'

/** Electron: window → main, "give me a port for this document" ({doc, id}). */
export const SYNC_OPEN_CHANNEL = 'signoff:sync-open'
/** Electron: main → window, the port for a request ({id}, the port in the event's ports). */
export const SYNC_PORT_CHANNEL = 'signoff:sync-port'
/** The preload hands the port to the page with window.postMessage({[SYNC_PORT_KEY]: id}, ports). */
export const SYNC_PORT_KEY = 'signoffSyncPort'

export function encodeSaved(count: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MSG_SAVED)
  encoding.writeVarUint(encoder, count)
  return encoding.toUint8Array(encoder)
}

export function encodeImported(): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MSG_IMPORTED)
  return encoding.toUint8Array(encoder)
}

export function encodeRefused(reason: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MSG_REFUSED)
  encoding.writeVarString(encoder, reason.slice(0, 500))
  return encoding.toUint8Array(encoder)
}

export function encodeRelay(status: RelayStatus): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MSG_RELAY)
  encoding.writeVarString(encoder, JSON.stringify(status))
  return encoding.toUint8Array(encoder)
}

const RELAY_STATES: readonly RelayState[] = ['connecting', 'synced', 'offline']

/** A RELAY message's status; an unreadable one reads as offline, saying so. */
export function decodeRelay(decoder: decoding.Decoder): RelayStatus {
  try {
    const v = JSON.parse(decoding.readVarString(decoder)) as Partial<RelayStatus>
    const state = RELAY_STATES.find((s) => s === v.state)
    if (state)
      return {
        state,
        ...(typeof v.error === 'string' ? { error: v.error.slice(0, 500) } : {}),
        ...(v.chosen === true ? { chosen: true } : {}),
      }
  } catch {
    // Below.
  }
  return { state: 'offline', error: 'The host sent an unreadable relay status.' }
}

/** The message type and a decoder positioned at its body. */
export function readMessage(data: Uint8Array): { type: number; decoder: decoding.Decoder } {
  const decoder = decoding.createDecoder(data)
  return { type: decoding.readVarUint(decoder), decoder }
}
