import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { decodeRelay, encodeRelay, MSG_RELAY, readMessage } from '../../../shared/host/doc-sync.ts'
import { closeMessage, isFatalClose, unreachableMessage } from '../../../shared/sync/relay-status.ts'

const relayBody = (text: string) => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG_RELAY)
  encoding.writeVarString(e, text)
  return encoding.toUint8Array(e)
}
const decode = (data: Uint8Array) => {
  const { type, decoder } = readMessage(data)
  expect(type).toBe(MSG_RELAY)
  return decodeRelay(decoder)
}

describe('the host’s relay status for a window', () => {
  it('round-trips each status', () => {
    for (const status of [
      { state: 'connecting' as const },
      { state: 'synced' as const },
      { state: 'offline' as const, chosen: true },
      { state: 'offline' as const, error: unreachableMessage('ws://127.0.0.1:1') },
    ])
      expect(decode(encodeRelay(status))).toEqual(status)
  })

  it('reads a damaged or hostile status as offline, saying so, and keeps only what it knows', () => {
    const unreadable = { state: 'offline', error: 'The host sent an unreadable relay status.' }
    expect(decode(relayBody('not json'))).toEqual(unreadable)
    expect(decode(relayBody('{"state":"hacked"}'))).toEqual(unreadable)
    expect(decode(relayBody('null'))).toEqual(unreadable)
    expect(decode(relayBody('[]'))).toEqual(unreadable)
    // Truncated: the string's length says more bytes than there are.
    expect(decodeRelay(decoding.createDecoder(new Uint8Array([50, 1, 2])))).toEqual(unreadable)
    const odd = decode(
      relayBody(JSON.stringify({ state: 'synced', error: 'x'.repeat(5000), chosen: 'yes', extra: 1 })),
    )
    expect(odd).toEqual({ state: 'synced', error: 'x'.repeat(500) })
  })

  it('words the relay’s closes as the app shows them', () => {
    expect(isFatalClose(4401)).toBe(true)
    expect(isFatalClose(4403)).toBe(true)
    expect(isFatalClose(4400)).toBe(false)
    expect(closeMessage(4401, 'token revoked')).toBe(
      'The relay refused the token (token revoked). Ask whoever runs the relay for a new one.',
    )
    expect(closeMessage(4401, '')).toBe(
      'The relay refused the token. Ask whoever runs the relay for a new one.',
    )
    expect(closeMessage(4413, '')).toBe('The relay closed the connection: 4413')
    expect(closeMessage(1006, '')).toBeUndefined()
  })
})
