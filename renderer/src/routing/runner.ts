/**
 * The per-session routing loop: every 30 s (and on every change to the board's rows) it hands
 * overdue reviews to the type's backup and tells this member about reviews assigned to them or
 * overdue, in the app always and on the desktop when permission was granted. One loop per
 * session however many components ask for it.
 */
import { useEffect } from 'react'
import { reassignOverdue } from '../../../shared/domain/actions.ts'
import { overdueBackup } from '../../../shared/routing/assign.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useUi } from '../ui/store.ts'
import { routingNotices, type Seen } from './notify.ts'
import { desktopNotify } from './permission.ts'

const TICK_MS = 30_000

export class RoutingRunner {
  private readonly session: WorkspaceSession
  private timer: ReturnType<typeof setInterval> | undefined
  private seen: Map<string, Seen> | null = null
  private readonly inflight = new Set<string>()
  private unobserve: (() => void) | undefined
  private scheduled = false

  constructor(session: WorkspaceSession) {
    this.session = session
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => void this.tick(), TICK_MS)
    const summaries = this.session.workspace.summaries
    const onChange = () => this.soon()
    summaries.observe(onChange)
    this.unobserve = () => summaries.unobserve(onChange)
    void this.session.ready.then(() => this.soon())
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.unobserve?.()
    this.unobserve = undefined
  }

  /** Coalesce a burst of row changes into one pass. */
  private soon(): void {
    if (this.scheduled || !this.timer) return
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      this.announce(Date.now())
    })
  }

  async tick(now = Date.now()): Promise<void> {
    const ws = this.session.workspace
    const me = this.session.memberId
    if (!ws.members.get(me)) return
    const members = ws.members.all()
    for (const s of ws.allSummaries()) {
      if (this.inflight.has(s.id) || !overdueBackup(s, ws.types.get(s.typeId), members, now)) continue
      this.inflight.add(s.id)
      try {
        const { output } = await this.session.openOutput(s.id)
        reassignOverdue(ws, output, me, now)
      } catch {
        // The output could not be opened here; another member's app will hand it over.
      } finally {
        this.inflight.delete(s.id)
      }
    }
    this.announce(now)
  }

  private announce(now: number): void {
    const ws = this.session.workspace
    const types = new Map(ws.types.all().map((t) => [t.id, t]))
    const { seen, notices } = routingNotices(this.seen, ws.allSummaries(), this.session.memberId, types, now)
    this.seen = seen
    for (const n of notices) {
      useUi.getState().notify('info', `${n.title}: ${n.body}`)
      desktopNotify(n.title, n.body, `signoff-${n.kind}-${n.outputId}`)
    }
  }
}

const running = new Map<WorkspaceSession, { runner: RoutingRunner; users: number }>()

/** Keep the session's routing loop running while at least one caller is mounted. */
export function useRouting(session: WorkspaceSession | null): void {
  useEffect(() => {
    if (!session) return
    let entry = running.get(session)
    if (!entry) {
      entry = { runner: new RoutingRunner(session), users: 0 }
      running.set(session, entry)
      entry.runner.start()
    }
    entry.users++
    return () => {
      const e = running.get(session)
      if (!e) return
      e.users--
      if (e.users === 0) {
        e.runner.stop()
        running.delete(session)
      }
    }
  }, [session])
}
