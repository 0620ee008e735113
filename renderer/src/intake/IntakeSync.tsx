import { useEffect } from 'react'
import type { IntakeStatus } from '../../../shared/host/intake.ts'
import type { AppModel } from '../data/app-model.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { getHost, type HostBridge } from '../host.ts'
import { useObserved } from '../state/observable.ts'
import { applyIntakeItem, intakeStatus } from './apply.ts'

/**
 * The host says when a submission is queued (the intakeQueued host event), so the window drains
 * at once; this slow pass is only a safety net for one said while the event stream was down.
 */
const SAFETY_PASS_MS = 30_000
const REPORT_DEBOUNCE_MS = 800
const MAX_TRACKED = 5000

const trackedKey = (workspaceId: string) => `signoff.intake.${workspaceId}`

/** Ids of outputs that came in through intake on this device (their status goes back to the host). */
function loadTracked(workspaceId: string): string[] {
  try {
    const raw = JSON.parse(localStorage.getItem(trackedKey(workspaceId)) ?? '[]') as unknown
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

function saveTracked(workspaceId: string, ids: string[]) {
  try {
    localStorage.setItem(trackedKey(workspaceId), JSON.stringify(ids.slice(-MAX_TRACKED)))
  } catch {}
}

/**
 * Drains the host's intake spool into one workspace: every couple of seconds it takes the waiting
 * submissions, creates each as a draft authored by this device's member (offline too: the draft
 * syncs when the relay is reachable) and acknowledges it; then it reports where those outputs
 * stand, so scripts and agents can read the review state and feedback from the host.
 */
export class IntakeRunner {
  private readonly session: WorkspaceSession
  private readonly host: HostBridge
  private timer: ReturnType<typeof setTimeout> | null = null
  private reportTimer: ReturnType<typeof setTimeout> | null = null
  private stopped = false
  private tracked: string[]
  private reported = new Map<string, string>()
  private offSummaries: (() => void) | null = null
  private offQueued: (() => void) | null = null
  private draining = false
  private again = false

  constructor(session: WorkspaceSession, host: HostBridge) {
    this.session = session
    this.host = host
    this.tracked = loadTracked(session.entry.id)
  }

  start(): void {
    void Promise.all([this.session.ready, this.session.heldByHost]).then(([, held]) => {
      // The host makes the drafts of a workspace it holds, window or not.
      if (this.stopped || held) return
      const observer = () => this.scheduleReport()
      this.session.workspace.summaries.observe(observer)
      this.offSummaries = () => this.session.workspace.summaries.unobserve(observer)
      this.scheduleReport()
      const workspaceId = this.session.entry.id
      this.offQueued = this.host.onHostEvent((event) => {
        if (event.name === 'intakeQueued' && event.payload.workspaceId === workspaceId) void this.loop()
      })
      void this.loop()
    })
  }

  private async loop() {
    if (this.stopped) return
    if (this.draining) {
      this.again = true
      return
    }
    this.draining = true
    if (this.timer) clearTimeout(this.timer)
    try {
      do {
        this.again = false
        while (!this.stopped && (await this.drainOnce()) > 0) {}
      } while (this.again && !this.stopped)
    } catch {
      // The host is away (a browser tab without the bridge) or busy: try again later.
    } finally {
      this.draining = false
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.loop(), SAFETY_PASS_MS)
  }

  /** One batch: returns how many items were handled. */
  async drainOnce(): Promise<number> {
    const ws = this.session.workspace
    const workspaceId = this.session.entry.id
    // Until the workspace (and this member in it) has arrived, nothing can be created.
    if (!ws.id || !ws.members.has(this.session.memberId)) {
      await this.host.intakePending(workspaceId)
      return 0
    }
    const items = await this.host.intakePending(workspaceId)
    for (const item of items) {
      if (this.stopped) break
      if (ws.summary(item.id)) {
        // Created before the ack got through: acknowledge again.
        await this.host.intakeAck({ workspaceId, id: item.id, ok: true })
        continue
      }
      const open = this.session.openOutputNow(item.id, {})
      const result = applyIntakeItem(ws, open.output, item, this.session.memberId)
      if (result.ok) {
        this.tracked.push(item.id)
        saveTracked(workspaceId, this.tracked)
        await open.sync.flush()
      }
      await this.host.intakeAck({
        workspaceId,
        id: item.id,
        ok: result.ok,
        ...(result.ok ? { typeId: result.typeId } : { reason: result.reason }),
      })
    }
    if (items.length > 0) this.scheduleReport()
    return items.length
  }

  private scheduleReport() {
    if (this.stopped || this.reportTimer) return
    this.reportTimer = setTimeout(() => {
      this.reportTimer = null
      void this.report().catch(() => {})
    }, REPORT_DEBOUNCE_MS)
  }

  /** Send the statuses of intake outputs whose board row changed since the last report. */
  async report(): Promise<void> {
    const ws = this.session.workspace
    const statuses: IntakeStatus[] = []
    const sent = new Map<string, string>()
    for (const id of this.tracked) {
      const summary = ws.summary(id)
      if (!summary) continue
      const key = JSON.stringify({ ...summary, updatedAt: 0 })
      if (this.reported.get(id) === key) continue
      // The state reported comes from the output's trail, never from the row alone.
      const out = (await this.session.openOutput(id)).output
      statuses.push(intakeStatus(ws, summary, out))
      sent.set(id, key)
    }
    if (statuses.length === 0) return
    await this.host.intakeReportStatus({ workspaceId: this.session.entry.id, statuses })
    for (const [id, key] of sent) this.reported.set(id, key)
  }

  stop(): void {
    this.offQueued?.()
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    if (this.reportTimer) clearTimeout(this.reportTimer)
    this.offSummaries?.()
  }
}

/** Runs intake for every workspace on this device while the app is open. Renders nothing. */
export function IntakeSync({ model }: { model: AppModel }) {
  // A session is replaced when its relay changes: key the runners on that too.
  const key = useObserved(model, () =>
    model.entries.map((e) => `${e.id}|${e.relayUrl ?? ''}|${e.token ?? ''}`).join(','),
  )
  useEffect(() => {
    const host = getHost()
    if (!host || typeof host.intakePending !== 'function' || !key) return
    const runners = key
      .split(',')
      .map((k) => model.session(k.split('|')[0] ?? ''))
      .filter((s): s is WorkspaceSession => !!s)
      .map((s) => new IntakeRunner(s, host))
    for (const r of runners) r.start()
    return () => {
      for (const r of runners) r.stop()
    }
  }, [model, key])
  return null
}
