/**
 * The per-session routing runner: on every change to the board's rows, and at the moment the next
 * review becomes overdue (a timer armed for it, no polling), it tells this member about reviews
 * assigned to them or overdue, in the app always and on the desktop when permission was granted,
 * and, for a workspace the host does not hold, hands overdue reviews to the type's backup. One
 * runner per session however many components ask for it.
 */
import { useEffect } from 'react'
import type * as Y from 'yjs'
import { overdueBackup } from '../../../shared/routing/assign.ts'
import { onHost } from '../data/host-commands.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useUi } from '../ui/store.ts'
import { groupNotices, routingNotices, type Seen, seenOf } from './notify.ts'
import { desktopNotify } from './permission.ts'

const HOUR = 3_600_000
/** setTimeout's longest delay; a later moment is re-armed from there. */
const MAX_DELAY_MS = 2 ** 31 - 1

export class RoutingRunner {
  private readonly session: WorkspaceSession
  private running = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private seen: Map<string, Seen> | null = null
  /** The local copy is loaded: rows changing from now on are news, before the baseline too. */
  private loaded = false
  /** Rows that changed between the load and the baseline, with what each was before (null: new). */
  private arrived = new Map<string, Seen | null>()
  private readonly inflight = new Set<string>()
  private unobserve: (() => void) | undefined
  private scheduled = false

  constructor(session: WorkspaceSession) {
    this.session = session
  }

  start(): void {
    if (this.running) return
    this.running = true
    const summaries = this.session.workspace.summaries
    const types = this.session.workspace.types.map
    const onChange = (event: Y.YMapEvent<unknown>) => {
      if (this.loaded && !this.seen) this.noteArrivals(event)
      this.soon()
    }
    // Routing switched on for a type: assign what already waits in review. Types arriving with
    // the stored workspace are left to the first pass after the load: running a pass then would
    // read every row ahead of the board's first render.
    const onTypes = () => {
      if (this.loaded) void this.tick().finally(() => this.arm())
    }
    summaries.observe(onChange)
    types.observeDeep(onTypes)
    this.unobserve = () => {
      summaries.unobserve(onChange)
      types.unobserveDeep(onTypes)
    }
    void this.session.ready.then(() => {
      this.loaded = true
      afterLoad(() => {
        if (this.running) void this.tick().finally(() => this.arm())
      })
    })
  }

  /** Keep what each changed row was before its first change since the load. */
  private noteArrivals(event: Y.YMapEvent<unknown>): void {
    const ws = this.session.workspace
    const now = Date.now()
    for (const key of event.keysChanged) {
      if (this.arrived.has(key)) continue
      const change = event.changes.keys.get(key)
      const before = change && change.action !== 'add' ? ws.rowSummary(key, change.oldValue) : undefined
      this.arrived.set(key, before ? seenOf(before, this.session.memberId, ws.types, now) : null)
    }
  }

  /** Wake at the moment the next review in progress becomes overdue (none: stay asleep). */
  private arm(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (!this.running) return
    const ws = this.session.workspace
    const now = Date.now()
    let next = Number.POSITIVE_INFINITY
    // Each type read once, not once per row in review (thousands on a large board).
    const slas = new Map(ws.types.all().map((t) => [t.id, t.reviewSlaHours ?? 0]))
    for (const s of ws.allSummaries()) {
      if (s.state !== 'in_review' || s.submittedAt === undefined) continue
      const sla = slas.get(s.typeId) ?? 0
      if (!(sla > 0)) continue
      const due = s.submittedAt + sla * HOUR + 1
      if (due > now && due < next) next = due
    }
    if (next === Number.POSITIVE_INFINITY) return
    this.timer = setTimeout(
      () => void this.tick().finally(() => this.arm()),
      Math.min(next - now, MAX_DELAY_MS),
    )
  }

  stop(): void {
    this.running = false
    clearTimeout(this.timer)
    this.timer = undefined
    this.unobserve?.()
    this.unobserve = undefined
  }

  /**
   * Coalesce a burst of row changes into one pass. The first pass only takes the baseline
   * (nothing is announced on load): it waits until the board has painted.
   */
  private soon(): void {
    if (this.scheduled || !this.running) return
    this.scheduled = true
    const pass = () => {
      this.scheduled = false
      if (!this.running) return
      this.announce(Date.now())
      this.arm()
    }
    if (this.seen) queueMicrotask(pass)
    else afterLoad(pass)
  }

  async tick(now = Date.now()): Promise<void> {
    const ws = this.session.workspace
    const me = this.session.memberId
    if (!ws.members.get(me)) return
    // The host hands over and assigns for a workspace it holds, window or not; the window only tells.
    if (await this.session.heldByHost) return this.announce(now)
    const members = ws.members.all()
    for (const s of ws.allSummaries()) {
      if (this.inflight.has(s.id) || !overdueBackup(s, ws.types.get(s.typeId), members, now)) continue
      await this.command(s.id, 'reassignOverdue')
    }
    await this.assignWaiting()
    this.announce(now)
  }

  /**
   * Outputs in review with nobody assigned whose type routes reviews (routing was switched on
   * after they were submitted): the author's app assigns them, as it would have on submission
   * (an admin's when the author is no longer a member). The first assignment in trail order
   * counts on every peer, so two apps doing this at once agree.
   */
  private async assignWaiting(): Promise<void> {
    const ws = this.session.workspace
    const me = this.session.memberId
    const isAdmin = ws.members.get(me)?.roles.includes('admin') ?? false
    for (const s of ws.allSummaries()) {
      if (s.state !== 'in_review' || s.reviewer || this.inflight.has(s.id)) continue
      const routing = ws.types.get(s.typeId)?.routing
      if (!routing || routing.strategy === 'none') continue
      if (s.authorId !== me && !(isAdmin && !ws.members.get(s.authorId))) continue
      await this.command(s.id, 'autoAssign')
    }
  }

  /** Open the output and have the host perform `name` on it, once at a time per output. */
  private async command(outputId: string, name: 'reassignOverdue' | 'autoAssign'): Promise<void> {
    this.inflight.add(outputId)
    try {
      const { output } = await this.session.openOutput(outputId)
      await onHost(this.session.workspace, output, { name, args: {} })
    } catch {
      // The output could not be opened here now: the next pass, or another member's app, does it.
    } finally {
      this.inflight.delete(outputId)
    }
  }

  private announce(now: number): void {
    const ws = this.session.workspace
    const types = new Map(ws.types.all().map((t) => [t.id, t]))
    const { seen, notices } = routingNotices(
      this.seen,
      ws.allSummaries(),
      this.session.memberId,
      types,
      now,
      this.arrived,
    )
    this.seen = seen
    this.arrived.clear()
    for (const n of groupNotices(notices)) {
      useUi.getState().notify('info', `${n.title}: ${n.body}`)
      desktopNotify(n.title, n.body, `signoff-${n.kind}-${n.outputId}`)
    }
  }
}

/**
 * The first pass reads all 10,000 rows of a large workspace (~50 ms) only to take a baseline.
 * Run it once the board is up: a second after the workspace loaded, when the browser is idle (an
 * idle moment right after the load can come before the board's first render, which it then
 * delayed).
 */
const SETTLE_MS = 1000

function afterLoad(fn: () => void): void {
  setTimeout(() => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 1000 })
    else fn()
  }, SETTLE_MS)
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
