import { Worker } from 'node:worker_threads'

/**
 * WAL checkpoints on their own thread. A checkpoint copies the WAL into the database file and
 * syncs it; on the relay's thread that stalls every broadcast waiting behind it for as long as
 * the disk takes. A PASSIVE checkpoint from a second connection runs alongside the writer (WAL
 * allows it), so the relay's thread only posts "now" and moves on.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { DatabaseSync } = require('node:sqlite')
const db = new DatabaseSync(workerData.file)
db.exec('PRAGMA busy_timeout = 5000')
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
parentPort.on('message', () => {
  try {
    const r = checkpoint.get()
    parentPort.postMessage({ ok: true, log: Number(r.log), checkpointed: Number(r.checkpointed) })
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err && err.message || err) })
  }
})
`

/** Frames in the WAL and how many of them are now in the database file. */
export interface CheckpointResult {
  log: number
  checkpointed: number
}

export interface Checkpointer {
  /** Ask for a checkpoint unless one is still running. */
  request(): void
  close(): Promise<void>
}

export function startCheckpointer(
  file: string,
  onError: (message: string) => void,
  onDone: (result: CheckpointResult) => void = () => {},
): Checkpointer {
  const worker = new Worker(SOURCE, { eval: true, workerData: { file } })
  worker.unref()
  let busy = false
  worker.on('message', (m: { ok: boolean; error?: string } & Partial<CheckpointResult>) => {
    busy = false
    if (!m.ok) onError(`WAL checkpoint failed: ${m.error ?? 'unknown error'}`)
    else onDone({ log: m.log ?? 0, checkpointed: m.checkpointed ?? 0 })
  })
  worker.on('error', (err) => onError(`WAL checkpointer stopped: ${err.message}`))
  return {
    request() {
      if (busy) return
      busy = true
      worker.postMessage(null)
    },
    async close() {
      await worker.terminate()
    },
  }
}
