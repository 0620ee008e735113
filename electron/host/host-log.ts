import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Past this size the log starts over, keeping the one before as host.log.1. */
export const HOST_LOG_MAX_BYTES = 1024 * 1024

/**
 * Where the host says what went wrong out of sight of any window (an unreadable state file set
 * aside, a relay it could not reach, intake it could not move on): `<dataDir>/logs/host.log`, one
 * timestamped line each, and the process's stderr. Writing the log never throws: a full disk must
 * not turn a note into a crash.
 */
export function hostLog(
  dataDir: string,
  echo: (line: string) => void = console.error,
): (line: string) => void {
  const dir = join(dataDir, 'logs')
  const file = join(dir, 'host.log')
  let made = false
  return (line: string) => {
    const stamped = `${new Date().toISOString()} ${line}`
    echo(stamped)
    try {
      if (!made) mkdirSync(dir, { recursive: true, mode: 0o700 })
      made = true
      try {
        if (statSync(file).size > HOST_LOG_MAX_BYTES) renameSync(file, `${file}.1`)
      } catch {}
      appendFileSync(file, `${stamped}\n`, { mode: 0o600 })
    } catch {}
  }
}
