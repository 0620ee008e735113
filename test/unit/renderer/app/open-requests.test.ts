import { describe, expect, it } from 'vitest'
import { listenForOpenRequests, useOpenRequests } from '../../../../renderer/src/app/open-requests.ts'
import type { HostBridge, OpenRequest } from '../../../../shared/host/api.ts'

describe('open requests from the OS', () => {
  it('an invite link is kept for the join form, once; a file waits for a workspace', () => {
    let deliver: ((request: OpenRequest) => void) | undefined
    const host = {
      onOpen(handler: (request: OpenRequest) => void) {
        deliver = handler
        return () => {}
      },
    }
    listenForOpenRequests(host as unknown as HostBridge)
    deliver?.({ kind: 'join', relay: 'wss://relay.example:4455', token: 'abc.def' })
    expect(useOpenRequests.getState().join).toEqual({ relay: 'wss://relay.example:4455', token: 'abc.def' })
    expect(useOpenRequests.getState().takeJoin()).toEqual({
      relay: 'wss://relay.example:4455',
      token: 'abc.def',
    })
    expect(useOpenRequests.getState().takeJoin()).toBeNull()
    const bytes = new TextEncoder().encode('# Notes\n')
    deliver?.({ kind: 'file', name: 'notes.md', bytes })
    expect(useOpenRequests.getState().file).toEqual({ name: 'notes.md', bytes })
  })

  it('the web shell has no host events to listen to', () => {
    expect(() => listenForOpenRequests(undefined)).not.toThrow()
  })
})
