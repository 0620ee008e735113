import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** One fdatasync of a 4 KiB overwrite at a time, as a WAL commit does; see `openSyncProbe`. */
export interface SyncProbe {
  /** Overwrites the next 4 KiB page and fdatasyncs it; returns the fdatasync's ms alone. */
  sync(): number
  close(): void
}

const PAGES = 256

/**
 * A 1 MiB file where the relay keeps its data (the temp directory), laid out and synced first so
 * that every probe overwrites blocks already on the disk, as the relay's preallocated WAL does
 * (wal-sync.ts): a sync that grows the file would wait for the filesystem's journal as well.
 */
export function openSyncProbe(): SyncProbe {
  const dir = mkdtempSync(join(tmpdir(), 'signoff-bench-sync-'))
  const fd = openSync(join(dir, 'probe'), 'w')
  const page = Buffer.alloc(4096, 1)
  for (let i = 0; i < PAGES; i++) writeSync(fd, page, 0, page.length, i * page.length)
  fdatasyncSync(fd)
  let n = 0
  return {
    sync() {
      page[0] = n & 0xff
      writeSync(fd, page, 0, page.length, (n++ % PAGES) * page.length)
      const t0 = performance.now()
      fdatasyncSync(fd)
      return performance.now() - t0
    },
    close() {
      closeSync(fd)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
