/**
 * The background half of publishing, one per open workspace: performs due scheduled publishes
 * (at start, every 15 s, and on time for the nearest one) and checks published files for drift.
 * Every online member's app runs it; the claims in the trail make a schedule happen once. For a
 * workspace the host holds, the host does both, window or not; this only shows its drift results.
 */

import { deriveOutput } from '../../../shared/domain/actions.ts'
import { destinationLabel } from '../../../shared/domain/destination-names.ts'
import { dueSchedules } from '../../../shared/domain/publish-actions.ts'
import { writesLocalFiles } from '../../../shared/publish/kinds/index.ts'
import type { WorkspaceSession } from '../data/session.ts'
import type { DocSync } from '../data/sync.ts'
import { getHost } from '../host.ts'
import { publishOutput } from './flow.ts'
import { type DriftFlag, driftStore, localDestinations } from './local.ts'

export const SCHEDULE_TICK_MS = 15_000
export const CLAIM_SYNC_WAIT_MS = 2_000
export const LATE_AFTER_MS = 60_000
export const LATE_NOTE = 'performed late: the app was not running at the scheduled time'
export const DRIFT_EVERY_MS = 3 * 60_000
/** Drift is checked on the most recently updated published outputs only. */
const DRIFT_MAX_OUTPUTS = 200

/** Wait (up to `ms`) until a document has caught up with the relay; at once without a relay. */
function whenSynced(sync: DocSync, ms: number): Promise<void> {
  if (sync.status.state === 'synced' || sync.status.state === 'local') return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    const stop = sync.subscribe(() => {
      if (sync.status.state === 'synced') done()
    })
    function done() {
      clearTimeout(timer)
      stop()
      resolve()
    }
  })
}

export class ScheduleRunner {
  private readonly session: WorkspaceSession
  private tick: ReturnType<typeof setInterval> | undefined
  private exact: ReturnType<typeof setTimeout> | undefined
  private driftTimer: ReturnType<typeof setInterval> | undefined
  private running = false
  private again = false
  private stopped = false
  private readonly inFlight = new Set<string>()
  private unsubscribe: (() => void) | undefined
  private offHostDrift: (() => void) | undefined
  private nextAt = Number.POSITIVE_INFINITY
  onResult?: (text: string, kind: 'info' | 'error') => void

  constructor(session: WorkspaceSession) {
    this.session = session
  }

  start(): void {
    void this.session.ready.then(async () => {
      if (this.stopped) return
      // The host performs this workspace's schedules and checks its drift, window or not: the
      // window takes its drift results as host events and sweeps nothing itself.
      if (await this.session.heldByHost) {
        this.followHostDrift()
        return
      }
      void this.run()
      void this.checkDrift()
      this.tick = setInterval(() => void this.run(), SCHEDULE_TICK_MS)
      this.driftTimer = setInterval(() => void this.checkDrift(), DRIFT_EVERY_MS)
      // A schedule made (here or by a teammate) gets a timer for its own time.
      this.unsubscribe = this.session.subscribe(() => this.arm())
      this.arm()
    })
  }

  /** The host checks drift for a workspace it holds: take its results, then its changes. */
  private followHostDrift(): void {
    const host = getHost()
    if (!host || this.stopped) return
    const workspaceId = this.session.entry.id
    const store = driftStore(workspaceId)
    this.offHostDrift = host.onHostEvent((event) => {
      if (event.name === 'drift' && event.payload.workspaceId === workspaceId)
        store.set(event.payload.outputId, event.payload.flags)
    })
    void host
      .driftFlags(workspaceId)
      .then((all) => {
        for (const [outputId, flags] of Object.entries(all)) store.set(outputId, flags)
      })
      .catch(() => {})
  }

  stop(): void {
    this.offHostDrift?.()
    this.stopped = true
    clearInterval(this.tick)
    clearInterval(this.driftTimer)
    clearTimeout(this.exact)
    this.unsubscribe?.()
  }

  private arm(): void {
    if (this.stopped) return
    let next = Number.POSITIVE_INFINITY
    for (const s of this.session.workspace.allSummaries())
      if (s.nextSchedule && s.nextSchedule.runAt < next) next = s.nextSchedule.runAt
    // Past-due schedules are the 15 s tick's; a timer is only for one still ahead.
    if (next <= Date.now()) next = Number.POSITIVE_INFINITY
    if (next === this.nextAt) return
    this.nextAt = next
    clearTimeout(this.exact)
    if (!Number.isFinite(next)) return
    const wait = Math.max(0, Math.min(next - Date.now(), SCHEDULE_TICK_MS)) + 50
    this.exact = setTimeout(() => {
      this.nextAt = Number.POSITIVE_INFINITY
      void this.run().then(() => this.arm())
    }, wait)
  }

  /** Perform every due schedule this machine can perform. */
  async run(): Promise<void> {
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    try {
      do {
        this.again = false
        await this.runOnce()
      } while (this.again && !this.stopped)
    } finally {
      this.running = false
    }
  }

  private async runOnce(): Promise<void> {
    const session = this.session
    const ws = session.workspace
    if (!ws.members.has(session.memberId) || !getHost()) return
    // The host performs this workspace's schedules itself, window or not.
    if (await session.heldByHost) return
    const local = localDestinations(session.entry.id)
    if (!local.loaded) await local.refresh()
    const now = Date.now()
    const due = ws.allSummaries().filter((s) => s.nextSchedule && s.nextSchedule.runAt <= now)
    await Promise.all(
      due.map(async (summary) => {
        if (this.stopped) return
        const { output, sync } = await session.openOutput(summary.id)
        // The local copy may be behind (a teammate approved or scheduled it): catch up first.
        await whenSynced(sync, 5_000)
        const { derived } = deriveOutput(ws, output)
        for (const schedule of dueSchedules(derived, Date.now())) {
          // Only a machine with that destination set up performs it.
          if (!local.configured(schedule.destinationId)) continue
          if (this.inFlight.has(schedule.scheduleId)) continue
          this.inFlight.add(schedule.scheduleId)
          try {
            const late = Date.now() - schedule.runAt > LATE_AFTER_MS
            const result = await publishOutput(session, summary.id, schedule.destinationId, {
              scheduleId: schedule.scheduleId,
              waitForClaimMs: CLAIM_SYNC_WAIT_MS,
              ...(late ? { note: LATE_NOTE } : {}),
            })
            const name = destinationLabel(ws, schedule.destinationId)
            if (result.ok)
              this.onResult?.(
                `Scheduled publish of “${summary.title}” to ${name} done${late ? ` (${LATE_NOTE})` : ''}.`,
                'info',
              )
            else if (result.recorded)
              this.onResult?.(
                `Scheduled publish of “${summary.title}” to ${name} failed: ${result.reason}`,
                'error',
              )
          } finally {
            this.inFlight.delete(schedule.scheduleId)
          }
        }
      }),
    )
  }

  /** Check published folder and git files against their receipts; keep the result locally. */
  async checkDrift(): Promise<void> {
    const session = this.session
    const ws = session.workspace
    const host = getHost()
    if (!host) return
    // The host checks the files of a workspace it holds, window or not (followHostDrift).
    if (await session.heldByHost) return
    const local = localDestinations(session.entry.id)
    if (!local.loaded) await local.refresh()
    const store = driftStore(session.entry.id)
    const published = ws
      .allSummaries()
      .filter((s) =>
        (s.publishedTo ?? []).some(
          (d) => writesLocalFiles(ws.destinations.get(d)?.kind) && local.configured(d),
        ),
      )
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, DRIFT_MAX_OUTPUTS)
    for (const s of published) {
      if (this.stopped) return
      try {
        const { output } = await session.openOutput(s.id)
        const { derived } = deriveOutput(ws, output)
        // The latest published receipt per destination for the current version.
        const latest = new Map<string, Record<string, unknown>>()
        for (const p of derived.publishes)
          if (p.status === 'published' && p.contentHash === s.contentHash && p.receipt)
            latest.set(p.destinationId, p.receipt)
        const flags: DriftFlag[] = []
        for (const [destinationId, receipt] of latest) {
          if (!local.configured(destinationId)) continue
          const path = receipt.path
          const fileHash = receipt.fileHash
          if (typeof path !== 'string' || typeof fileHash !== 'string') continue
          const r = await host.checkDrift({
            workspaceId: session.entry.id,
            destinationId,
            receipt: {
              path,
              fileHash,
              ...(typeof receipt.sidecarPath === 'string' && typeof receipt.sidecarHash === 'string'
                ? { sidecarPath: receipt.sidecarPath, sidecarHash: receipt.sidecarHash }
                : {}),
            },
          })
          flags.push({ destinationId, status: r.status, path, checkedAt: Date.now() })
        }
        store.set(s.id, flags)
      } catch {
        // A drift check that cannot run says nothing; the next round tries again.
      }
    }
  }
}
