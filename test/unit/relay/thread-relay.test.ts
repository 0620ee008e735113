import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { startRelayThread } from '../../../sync-server/thread-relay.ts'
import { testScope } from '../../support/scope.ts'

const scope = testScope()
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

/**
 * Which of a process's isolates did mark-compacts without a memory reducer ever speaking up:
 * --trace-gc and --trace-memory-reducer prefix each line with the isolate's address.
 */
async function isolatesWithoutReducer(mode: 'plain' | 'flags'): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      '--trace-gc',
      '--trace-memory-reducer',
      // The reducer's first check comes 100 ms after a mark-compact, not 8 s.
      '--gc-memory-reducer-start-delay-ms=100',
      here('./reducer-child.ts'),
      mode,
    ],
    { encoding: 'utf8', timeout: 30_000 },
  )
  const isolate = (line: string) => /^\[\d+:(0x[0-9a-f]+)\]/.exec(line)?.[1]
  const lines = stdout.split('\n')
  const compacted = new Set(lines.filter((l) => l.includes('Mark-Compact')).map(isolate))
  const reducing = new Set(lines.filter((l) => l.includes('Memory reducer:')).map(isolate))
  expect(compacted.size, stdout).toBeGreaterThan(0)
  return [...compacted].filter((i) => i !== undefined && !reducing.has(i)) as string[]
}

describe('the relay in a worker thread', () => {
  it('gets an isolate without V8’s memory reducer, which a worker started plainly has', async () => {
    // Plainly: the allocating worker's reducer starts after its first mark-compact.
    expect(await isolatesWithoutReducer('plain')).toEqual([])
    // As the relay's thread starts: that worker's isolate has no reducer, though the flag was
    // turned back as soon as it ran.
    expect(await isolatesWithoutReducer('flags')).toHaveLength(1)
  })

  it('serves y-websocket clients and answers token requests from the host', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-thread-relay-'))
    scope.defer(() => rmSync(dataDir, { recursive: true, force: true }))
    const lines: string[] = []
    const relay = await startRelayThread({ port: 0, dataDir, log: (line) => lines.push(line) })
    scope.defer(() => relay.close())
    expect(relay.url).toBe(`ws://127.0.0.1:${relay.port}`)
    const { id, token } = await relay.createToken({ workspaceId: 'w1', memberId: 'ann', access: 'write' })
    expect((await relay.listTokens('w1')).map((t) => [t.id, t.memberId, t.revoked])).toEqual([
      [id, 'ann', false],
    ])

    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'hello')
    const provider = new WebsocketProvider(relay.url, 'w1', doc, {
      WebSocketPolyfill: WebSocket as never,
      params: { token },
      disableBc: true,
    })
    scope.defer(() => provider.destroy())
    const reader = new Y.Doc()
    const { token: readToken } = await relay.createToken({
      workspaceId: 'w1',
      memberId: 'bo',
      access: 'read',
    })
    const readerProvider = new WebsocketProvider(relay.url, 'w1', reader, {
      WebSocketPolyfill: WebSocket as never,
      params: { token: readToken },
      disableBc: true,
    })
    scope.defer(() => readerProvider.destroy())
    await expect.poll(() => reader.getText('t').toString()).toBe('hello')

    // A revoked token's connection is closed by the relay in its thread.
    expect(await relay.revokeToken(id)).toBe(true)
    expect(await relay.revokeToken('no-such-id')).toBe(false)
    await expect.poll(() => provider.wsconnected).toBe(false)
    // The relay's log lines come up to the host: a refused token, as the operator sees it.
    const bogus = new WebSocket(`${relay.url}/w1?token=bogus`)
    const closed = await new Promise<number>((resolve) => bogus.on('close', (code) => resolve(code)))
    expect(closed).toBe(4401)
    await expect.poll(() => lines.some((l) => l.includes('refused 4401 doc="w1"'))).toBe(true)
  })

  it('rejects with the relay’s own error, its code kept, when it cannot start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-thread-relay-'))
    scope.defer(() => rmSync(dataDir, { recursive: true, force: true }))
    const first = await startRelayThread({ port: 0, dataDir: join(dataDir, 'a') })
    scope.defer(() => first.close())
    const second = startRelayThread({ port: first.port, dataDir: join(dataDir, 'b') })
    await expect(second).rejects.toMatchObject({ code: 'EADDRINUSE' })
  })

  it('reports a thread that ends on its own once, and fails what waited for it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-thread-relay-'))
    scope.defer(() => rmSync(dataDir, { recursive: true, force: true }))
    const relay = await startRelayThread({ port: 0, dataDir, entry: here('./crashing-thread.ts') })
    const exits: Error[] = []
    relay.onExit((error) => exits.push(error))
    // The relay answers, then the error escapes its thread.
    await relay.listTokens('crash').catch(() => {})
    await expect.poll(() => exits.length).toBe(1)
    expect(exits[0]!.message).toContain('boom in the relay')
    await expect(relay.createToken({ workspaceId: 'w1', memberId: 'ann', access: 'write' })).rejects.toThrow(
      'boom in the relay',
    )
    await relay.close() // nothing left to close: no error
    expect(exits).toHaveLength(1)
  })
})
