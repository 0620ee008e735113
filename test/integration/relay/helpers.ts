import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Limits } from '../../../sync-server/limits.ts'
import { RELAY_V8_FLAGS } from '../../../sync-server/node-flags.ts'
import { type Relay, startRelay } from '../../../sync-server/relay.ts'

export interface TestRelay {
  relay: Relay
  dataDir: string
  writer(workspaceId: string, memberId?: string): string
  reader(workspaceId: string, memberId?: string): string
  stop(): Promise<void>
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'signoff-relay-'))
}

export async function startTestRelay(
  limits: Partial<Limits> = {},
  dataDir = tempDir(),
  log?: (line: string) => void,
): Promise<TestRelay> {
  const relay = await startRelay({ port: 0, dataDir, limits, ...(log ? { log } : {}) })
  return {
    relay,
    dataDir,
    writer: (w, m = 'alice') => relay.createToken({ workspaceId: w, memberId: m, access: 'write' }).token,
    reader: (w, m = 'rita') => relay.createToken({ workspaceId: w, memberId: m, access: 'read' }).token,
    async stop() {
      await relay.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface Client {
  doc: Y.Doc
  provider: WebsocketProvider
  closes: { code: number; reason: string }[]
  destroy(): void
}

/** A stock y-websocket client, exactly as the app uses it. */
export function client(url: string, room: string, token: string | null, doc = new Y.Doc()): Client {
  const closes: { code: number; reason: string }[] = []
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token === null ? {} : { token },
    disableBc: true,
  })
  provider.on('connection-close', (e) => {
    if (e) closes.push({ code: e.code, reason: e.reason })
  })
  return {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

export async function synced(c: Client): Promise<void> {
  await waitFor(() => c.provider.synced, 'client synced')
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now()
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** A y-websocket sync frame carrying `update` (sync step 2, what a client's edit is sent as). */
export function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 2)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A raw socket, for what stock clients never send. Resolves with how the relay closed it. */
export function rawSocket(url: string, room: string, token: string | null) {
  const q = token === null ? '' : `?token=${encodeURIComponent(token)}`
  const ws = new WebSocket(`${url}/${room}${q}`, { perMessageDeflate: false })
  const messages: Uint8Array[] = []
  ws.on('message', (data) => messages.push(new Uint8Array(data as Buffer)))
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  ws.on('error', () => {})
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, messages, closed, open }
}

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely
type LooseJson = any

export async function getJson(
  base: string,
  path: string,
  token?: string,
): Promise<{ status: number; body: LooseJson }> {
  const res = await fetch(`${base.replace(/^ws/, 'http')}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })
  return { status: res.status, body: await res.json() }
}

export const NODE = process.execPath
export const CLI = new URL('../../../sync-server/cli.ts', import.meta.url).pathname
export const NODE_FLAGS = [
  ...RELAY_V8_FLAGS,
  '--experimental-strip-types',
  '--disable-warning=ExperimentalWarning',
]

/**
 * A WebSocket upgrade request written by hand, with `headers` replacing the usual ones. Resolves
 * with the HTTP status the relay answered (0 if it only closed the socket).
 */
export async function rawUpgrade(
  port: number,
  token: string,
  headers: Record<string, string>,
  opts: { method?: string; abort?: boolean } = {},
): Promise<number> {
  const all: Record<string, string> = {
    Host: 'relay',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  }
  const head = Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')
  const request = `${opts.method ?? 'GET'} /W1?token=${token} HTTP/1.1\r\n${head}\r\n`
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(request)
      if (opts.abort) socket.resetAndDestroy()
    })
    let answer = ''
    socket.on('data', (d) => {
      answer += d.toString('latin1')
      // A completed handshake stays open: hang up ourselves, as a client that goes away.
      if (answer.includes('\r\n\r\n')) socket.destroy()
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)))
  })
}
