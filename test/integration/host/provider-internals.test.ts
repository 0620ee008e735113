import { describe, expect, it } from 'vitest'
import { DocReplica } from '../../../electron/host/replica/doc-replica.ts'
import { ReplicaLog } from '../../../electron/host/replica/log.ts'
import { tempDir } from '../publish/helpers.ts'

describe('y-websocket internals the host relies on', () => {
  it('a replica with a relay adds no process exit listener (y-websocket’s _exitHandler is taken off)', async () => {
    const log = new ReplicaLog(tempDir('signoff-provider-'))
    const before = process.listenerCount('exit')
    const replicas = Array.from(
      { length: 20 },
      (_, i) =>
        new DocReplica(`w1/o${i}`, log, { memberId: 'm1', relay: { url: 'ws://127.0.0.1:9', token: 't' } }),
    )
    expect(process.listenerCount('exit')).toBe(before)
    await Promise.all(replicas.map((r) => r.close()))
    log.close()
  })
})
