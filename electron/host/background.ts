/**
 * "Keep running in the background" (Settings → General): whether closing the last window keeps
 * the app, and so the host and its services, running with a tray icon. On by default on macOS,
 * where apps keep running without windows; opt-in elsewhere. Kept in `<data>/background.json`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BackgroundSettings } from '../../shared/host/api.ts'
import { writeFileAtomic } from './fsutil.ts'
import type { Replicas } from './replica/replicas.ts'

export function backgroundStore(dataDir: string | undefined, shell: BackgroundSettings['shell']) {
  const file = dataDir ? join(dataDir, 'background.json') : null
  const platformDefault = process.platform === 'darwin'
  const read = (): boolean => {
    if (!file) return platformDefault
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { keepRunning?: unknown }
      return typeof raw.keepRunning === 'boolean' ? raw.keepRunning : platformDefault
    } catch {
      return platformDefault
    }
  }
  return {
    get: (): BackgroundSettings => ({ keepRunning: read(), platformDefault, shell }),
    async set(keepRunning: boolean): Promise<BackgroundSettings> {
      if (!file) throw new Error('This shell has no data folder to keep the setting in.')
      await writeFileAtomic(file, JSON.stringify({ keepRunning }))
      return { keepRunning, platformDefault, shell }
    },
  }
}

/** What the tray shows: reviews waiting for this device's members, and the next scheduled publish. */
export interface WaitingWork {
  waiting: { workspace: string; title: string }[]
  next?: { workspace: string; title: string; at: number }
}

export function waitingWork(replicas: Replicas | null): WaitingWork {
  const work: WaitingWork = { waiting: [] }
  for (const r of replicas?.everyReplica() ?? []) {
    const ws = r.workspace
    if (!ws.id) continue
    for (const s of ws.allSummaries()) {
      if (s.state === 'in_review' && s.reviewer === r.memberId)
        work.waiting.push({ workspace: ws.name, title: s.title })
      const at = s.nextSchedule?.runAt
      if (at !== undefined && (!work.next || at < work.next.at))
        work.next = { workspace: ws.name, title: s.title, at }
    }
  }
  return work
}
