/**
 * A child process of relay.bench.ts that stands in for the durable relay in a latency run: on
 * 'sync' it overwrites 4 KiB of a file where the relay keeps its data and fdatasyncs it, as a WAL
 * commit does, and answers {ms} (the fdatasync alone). In the relay's place in the same rotation
 * of servers, it measures what one fdatasync takes on this machine under the run's own load and
 * at its pace: the disk's half of issue 13's latency target.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const PAGES = 256
const dir = mkdtempSync(join(tmpdir(), 'signoff-bench-probe-'))
const fd = openSync(join(dir, 'probe'), 'w')
const page = Buffer.alloc(4096, 1)
// Laid out and synced first, so every probe overwrites blocks already on the disk (wal-sync.ts).
for (let i = 0; i < PAGES; i++) writeSync(fd, page, 0, page.length, i * page.length)
fdatasyncSync(fd)
let n = 0

process.on('message', (msg: string) => {
  if (msg === 'sync') {
    page[0] = n & 0xff
    writeSync(fd, page, 0, page.length, (n++ % PAGES) * page.length)
    const t0 = performance.now()
    fdatasyncSync(fd)
    process.send!({ ms: performance.now() - t0 })
  }
  if (msg === 'stop') {
    closeSync(fd)
    rmSync(dir, { recursive: true, force: true })
    process.exit(0)
  }
})
process.send!({ ready: true })
