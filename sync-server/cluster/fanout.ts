import type { Redis } from 'ioredis'
import { QuietDocs } from './quiet.ts'

/**
 * Redis pub/sub as the cluster's notice channel, never its truth: a notice says "document D
 * has rows firstSeq…firstSeq+count-1" (with the rows when small), published only after they
 * are committed in PostgreSQL. A lost notice only delays delivery: receivers fill gaps from
 * PostgreSQL and a periodic heads check repairs what no notice announced. While Redis is down,
 * publishing fails at once (no offline queue) and nothing waits for it.
 */

export interface NoticeRow {
  seq: number
  member: string
  clients: number[]
  data: Uint8Array
}

export interface Notice {
  doc: string
  node: string
  firstSeq: number
  count: number
  /** The rows, or null when they are large: the receiver reads them from PostgreSQL. */
  rows: NoticeRow[] | null
}

/** Rows larger than this together travel by reference (read from PostgreSQL). */
export const INLINE_NOTICE_BYTES = 64 * 1024

export interface FanoutHandlers {
  notice(n: Notice): void
  awareness(doc: string, node: string, update: Uint8Array | null): void
  revoked(id: string): void
}

export interface Fanout {
  /** Resolves once subscribed, or after a short wait when Redis is unreachable (the heads check covers). */
  subscribe(doc: string): Promise<void>
  unsubscribe(doc: string): void
  /** One write for all of a round's notices; resolves once Redis took them (or at once when it could not). */
  notices(ns: Notice[]): Promise<void>
  /** `update` null asks the other nodes to send their members' presence in `doc`. */
  awareness(doc: string, update: Uint8Array | null): void
  revoked(id: string): void
  /** Notices and other messages published, and how long Redis took to answer them (ms), for the benchmark. */
  published: number
  publishMs: number
  /** Notices not published: no other node held their document (quiet.ts). */
  quietNotices: number
  close(): Promise<void>
}

const N = 'so:n:'
const A = 'so:a:'
const REVOKED = 'so:revoked'
const SUBSCRIBE_WAIT_MS = 500

export async function connectFanout(
  url: string,
  node: string,
  handlers: FanoutHandlers,
  logLine: (line: string) => void,
): Promise<Fanout> {
  const { Redis } = await import('ioredis')
  const options = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
    lazyConnect: true,
  }
  const pub: Redis = new Redis(url, options)
  const sub: Redis = new Redis(url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null })
  let downLogged = false
  for (const r of [pub, sub])
    r.on('error', (err: Error) => {
      if (!downLogged) logLine(`redis: ${err.message} (cross-node delivery falls back to the heads check)`)
      downLogged = true
    })
  const wanted = new Set<string>([REVOKED])
  const quiet = new QuietDocs()
  pub.on('ready', () => {
    quiet.reconnected()
    // Hellos this node could not send while it was cut off: the others may have gone quiet.
    for (const c of wanted) if (c.startsWith(A)) void publish(c, helloFrom(node))
  })
  sub.on('ready', () => {
    downLogged = false
    quiet.reconnected()
    const docs = [...wanted].filter((c) => c.startsWith(N)).map((c) => c.slice(N.length))
    if (wanted.size > 0)
      sub.subscribe(...wanted).then(
        () => {
          for (const doc of docs) if (wanted.has(N + doc)) quiet.subscribedTo(doc)
        },
        () => {},
      )
  })
  sub.on('messageBuffer', (channelBuf: Buffer, message: Buffer) => {
    try {
      const channel = channelBuf.toString()
      if (channel === REVOKED) return handlers.revoked(message.toString())
      if (channel.startsWith(N)) return handlers.notice(decodeNotice(channel.slice(N.length), message))
      if (channel.startsWith(A)) {
        const nodeLen = message.readUInt8(0)
        const from = message.subarray(1, 1 + nodeLen).toString()
        const rest = message.subarray(1 + nodeLen)
        if (rest.length === 0 && from !== node) quiet.hello(channel.slice(A.length))
        handlers.awareness(channel.slice(A.length), from, rest.length === 0 ? null : new Uint8Array(rest))
      }
    } catch (err) {
      logLine(`redis: bad message: ${(err as Error).message}`)
    }
  })
  await Promise.all([pub.connect().catch(() => {}), sub.connect().catch(() => {})])

  const f: Fanout = {
    published: 0,
    publishMs: 0,
    quietNotices: 0,
    async subscribe(doc) {
      wanted.add(N + doc)
      wanted.add(A + doc)
      if (sub.status !== 'ready') return
      await Promise.race([
        sub.subscribe(N + doc, A + doc).then(
          () => {
            if (wanted.has(N + doc)) quiet.subscribedTo(doc)
          },
          () => {},
        ),
        new Promise((r) => setTimeout(r, SUBSCRIBE_WAIT_MS)),
      ])
    },
    unsubscribe(doc) {
      wanted.delete(N + doc)
      wanted.delete(A + doc)
      quiet.unsubscribed(doc)
      if (sub.status === 'ready') sub.unsubscribe(N + doc, A + doc).catch(() => {})
    },
    notices(all) {
      const ns = all.filter((n) => !quiet.isQuiet(n.doc))
      f.quietNotices += all.length - ns.length
      if (ns.length === 0 || pub.status !== 'ready') return Promise.resolve()
      const started = performance.now()
      const at = ns.map((n) => quiet.sent(n.doc))
      const batch = pub.pipeline()
      for (const n of ns) batch.publish(N + n.doc, encodeNotice(n))
      return batch.exec().then(
        (answers) => {
          f.published += ns.length
          f.publishMs += performance.now() - started
          answers?.forEach(([err, receivers], i) => {
            if (!err) quiet.answered(ns[i]!.doc, Number(receivers), at[i]!)
          })
        },
        () => {},
      )
    },
    awareness(doc, update) {
      void publish(A + doc, update ? Buffer.concat([helloFrom(node), update]) : helloFrom(node))
    },
    revoked(id) {
      void publish(REVOKED, Buffer.from(id))
    },
    async close() {
      pub.disconnect()
      sub.disconnect()
    },
  }
  function publish(channel: string, message: Buffer): Promise<void> {
    if (pub.status !== 'ready') return Promise.resolve()
    const started = performance.now()
    return pub.publish(channel, message).then(
      () => {
        f.published++
        f.publishMs += performance.now() - started
      },
      () => {},
    )
  }
  return f
}

/** An awareness message's header, [nodeLen][node]; alone, it is a hello (a request for presence). */
function helloFrom(node: string): Buffer {
  const nodeBuf = Buffer.from(node)
  return Buffer.concat([Buffer.from([nodeBuf.length]), nodeBuf])
}

/** [nodeLen][node][firstSeq u32][count u32][inline u8] then per row: [seq u32][memberLen u8][member][nClients u16][clients f64…][len u32][data] */
function encodeNotice(n: Notice): Buffer {
  const parts: Buffer[] = []
  const nodeBuf = Buffer.from(n.node)
  const head = Buffer.alloc(1 + nodeBuf.length + 9)
  head.writeUInt8(nodeBuf.length, 0)
  nodeBuf.copy(head, 1)
  head.writeUInt32BE(n.firstSeq, 1 + nodeBuf.length)
  head.writeUInt32BE(n.count, 5 + nodeBuf.length)
  head.writeUInt8(n.rows ? 1 : 0, 9 + nodeBuf.length)
  parts.push(head)
  for (const r of n.rows ?? []) {
    const member = Buffer.from(r.member)
    const b = Buffer.alloc(4 + 1 + member.length + 2 + 8 * r.clients.length + 4)
    let o = b.writeUInt32BE(r.seq, 0)
    o = b.writeUInt8(member.length, o)
    o += member.copy(b, o)
    o = b.writeUInt16BE(r.clients.length, o)
    for (const c of r.clients) o = b.writeDoubleBE(c, o)
    b.writeUInt32BE(r.data.length, o)
    parts.push(b, Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength))
  }
  return Buffer.concat(parts)
}

function decodeNotice(doc: string, m: Buffer): Notice {
  const nodeLen = m.readUInt8(0)
  const node = m.subarray(1, 1 + nodeLen).toString()
  let o = 1 + nodeLen
  const firstSeq = m.readUInt32BE(o)
  const count = m.readUInt32BE(o + 4)
  const inline = m.readUInt8(o + 8) === 1
  o += 9
  let rows: NoticeRow[] | null = null
  if (inline) {
    rows = []
    for (let i = 0; i < count; i++) {
      const seq = m.readUInt32BE(o)
      const ml = m.readUInt8(o + 4)
      const member = m.subarray(o + 5, o + 5 + ml).toString()
      o += 5 + ml
      const nc = m.readUInt16BE(o)
      o += 2
      const clients: number[] = []
      for (let k = 0; k < nc; k++, o += 8) clients.push(m.readDoubleBE(o))
      const len = m.readUInt32BE(o)
      o += 4
      rows.push({ seq, member, clients, data: new Uint8Array(m.subarray(o, o + len)) })
      o += len
    }
  }
  return { doc, node, firstSeq, count, rows }
}
