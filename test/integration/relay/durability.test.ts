import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLI, type Client, client, NODE, NODE_FLAGS, sleep, synced, tempDir, waitFor } from './helpers.ts'

/** The relay as a separate process (the CLI), so it can be killed for real. */
async function spawnRelay(
  dataDir: string,
  durability: 'disk' | 'process' = 'disk',
): Promise<{ proc: ChildProcess; url: string; output: () => string }> {
  const proc = spawn(
    NODE,
    [...NODE_FLAGS, CLI, '--port', '0', '--data', dataDir, '--durability', durability],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  proc.stdout!.on('data', (d) => {
    out += d
  })
  proc.stderr!.on('data', (d) => {
    out += d
  })
  await waitFor(() => /listening on (ws:\/\/\S+)/.test(out) || proc.exitCode !== null, 'relay ready line')
  const m = /listening on (ws:\/\/\S+)/.exec(out)
  if (!m) throw new Error(`relay did not start: ${out}`)
  return { proc, url: m[1]!, output: () => out }
}

const token = (dataDir: string, member: string) =>
  execFileSync(
    NODE,
    [...NODE_FLAGS, CLI, 'token', 'create', '--data', dataDir, '--workspace', 'W1', '--member', member],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  ).trim()

const procs: ChildProcess[] = []
const clients: Client[] = []
const dirs: string[] = []
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL')
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function open(url: string, room: string, tok: string): Client {
  const c = client(url, room, tok)
  clients.push(c)
  return c
}

describe.each(['disk', 'process'] as const)('durability %s', (durability) => {
  it('SIGKILL loses no acknowledged update', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const wTok = token(dataDir, 'alice')
    const rTok = token(dataDir, 'bob')
    const first = await spawnRelay(dataDir, durability)
    procs.push(first.proc)
    const writer = open(first.url, 'W1/out-1', wTok)
    const reader = open(first.url, 'W1/out-1', rTok)
    await Promise.all([synced(writer), synced(reader)])

    // Keep writing while the relay is killed: whatever the reader received was acknowledged.
    let n = 0
    const timer = setInterval(() => {
      for (let i = 0; i < 5; i++) writer.doc.getArray<number>('trail').push([n++])
    }, 2)
    await waitFor(() => reader.doc.getArray('trail').length >= 300, 'reader received writes')
    first.proc.kill('SIGKILL')
    clearInterval(timer)
    await new Promise((r) => first.proc.once('exit', r))
    const acknowledged = Y.encodeStateVector(reader.doc)
    const seen = reader.doc.getArray<number>('trail').toArray()
    writer.destroy()
    reader.destroy()
    clients.length = 0

    const second = await spawnRelay(dataDir, durability)
    procs.push(second.proc)
    const late = open(second.url, 'W1/out-1', rTok)
    await synced(late)
    const after = late.doc.getArray<number>('trail').toArray()
    expect(after.slice(0, seen.length)).toEqual(seen)
    // Nothing the reader had is missing: the diff of the reloaded doc against the reader's state
    // vector covers it, and the reader's own view is a prefix.
    const missing = Y.decodeStateVector(acknowledged)
    const have = Y.decodeStateVector(Y.encodeStateVector(late.doc))
    for (const [c, clock] of missing) expect(have.get(c) ?? 0).toBeGreaterThanOrEqual(clock)
    second.proc.kill('SIGKILL')
  })

  it('SIGTERM flushes, says so and exits 0; the data is there on restart', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const wTok = token(dataDir, 'alice')
    const first = await spawnRelay(dataDir, durability)
    procs.push(first.proc)
    const writer = open(first.url, 'W1', wTok)
    await synced(writer)
    writer.doc.getText('content').insert(0, 'kept through a restart')
    await sleep(200)
    first.proc.kill('SIGTERM')
    const code = await new Promise((r) => first.proc.once('exit', r))
    expect(code).toBe(0)
    expect(first.output()).toMatch(/stopped \(SIGTERM\)/)
    writer.destroy()
    clients.length = 0

    const second = await spawnRelay(dataDir, durability)
    procs.push(second.proc)
    const c = open(second.url, 'W1', wTok)
    await waitFor(
      () => c.doc.getText('content').toString() === 'kept through a restart',
      'content after restart',
    )
  })
})

describe('durability flag', () => {
  it('refuses an unknown durability with a clear message', () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    let message = ''
    try {
      execFileSync(NODE, [...NODE_FLAGS, CLI, '--port', '0', '--data', dataDir, '--durability', 'maybe'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    } catch (error) {
      message = String((error as { stderr?: string }).stderr)
    }
    expect(message).toMatch(/--durability must be disk or process/)
  })
})
