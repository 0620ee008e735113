import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export const LOCK_FILE = 'relay.lock'

export interface DataDirLock {
  release(): void
}

/** Thrown when another live process holds the data directory. */
export class DataDirBusy extends Error {
  readonly pid: number
  constructor(dataDir: string, pid: number, what: string) {
    super(
      `A relay (process ${pid}) is running on ${dataDir}: stop it before ${what}. ` +
        `If no relay runs there, remove ${join(dataDir, LOCK_FILE)}.`,
    )
    this.pid = pid
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * One process at a time owns a relay's data directory: a second relay on the same log would
 * assign the same sequence numbers from its own copy of each document, and `doc repair` under a
 * running relay would have its checkpoint overwritten when the relay unloads the document. The
 * lock is a file naming the owner's pid; one left by a process that died (SIGKILL, power loss)
 * is taken over. The same process may take it again (tests start and stop relays in one process).
 */
export function lockDataDir(dataDir: string, what: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number
    try {
      fd = openSync(path, 'wx')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      let pid = Number.NaN
      try {
        pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
      } catch {
        // Unreadable or half-written: treated as stale.
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw new DataDirBusy(dataDir, pid, what)
      rmSync(path, { force: true })
      continue
    }
    try {
      writeSync(fd, `${process.pid}\n`)
    } finally {
      closeSync(fd)
    }
    let released = false
    return {
      release() {
        if (released) return
        released = true
        try {
          if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) rmSync(path, { force: true })
        } catch {
          // Already gone.
        }
      },
    }
  }
  throw new Error(`cannot lock ${dataDir}: ${path} keeps reappearing`)
}
