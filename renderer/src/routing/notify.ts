/**
 * What to tell this member about routing: a review newly assigned to them, or their assigned
 * review newly overdue. The pure part compares two snapshots of the board's summaries; the first
 * snapshot of a session is the baseline (nothing is announced on load). That snapshot is taken a
 * while after the load, so rows that changed in between are compared with what they were before
 * they changed (`arrived`), or an assignment made in that moment would never be told.
 */
import type { OutputSummary, OutputType } from '../../../shared/domain/types.ts'
import { overdueSince } from '../../../shared/routing/assign.ts'

export interface Seen {
  mine: boolean
  overdue: boolean
}

export interface RoutingNotice {
  kind: 'assigned' | 'overdue'
  outputId: string
  /** The output's title ('' for a grouped notice). */
  outputTitle: string
  title: string
  body: string
}

/** Whether a row is this member's review in progress, and whether it is overdue at `now`. */
export function seenOf(
  s: OutputSummary,
  memberId: string,
  types: { get(id: string): OutputType | undefined },
  now: number,
): Seen {
  const mine = s.state === 'in_review' && s.reviewer === memberId
  return { mine, overdue: mine && overdueSince(s, types.get(s.typeId), now) !== null }
}

/**
 * `previous`: the last snapshot, or null for the first one (the baseline). `arrived`: for the
 * baseline, the rows that changed since the load, each with what it was before (null: it was not
 * there); only those are announced.
 */
export function routingNotices(
  previous: ReadonlyMap<string, Seen> | null,
  summaries: readonly OutputSummary[],
  memberId: string,
  types: ReadonlyMap<string, OutputType>,
  now: number,
  arrived?: ReadonlyMap<string, Seen | null>,
): { seen: Map<string, Seen>; notices: RoutingNotice[] } {
  const seen = new Map<string, Seen>()
  const notices: RoutingNotice[] = []
  for (const s of summaries) {
    const { mine, overdue } = seenOf(s, memberId, types, now)
    seen.set(s.id, { mine, overdue })
    let before: Seen | undefined
    if (previous) before = previous.get(s.id)
    else if (arrived?.has(s.id)) before = arrived.get(s.id) ?? undefined
    else continue
    if (mine && !before?.mine)
      notices.push({
        kind: 'assigned',
        outputId: s.id,
        outputTitle: s.title,
        title: 'Review assigned to you',
        body: s.reassigned
          ? `“${s.title}” ran past its review SLA and was handed to you.`
          : `“${s.title}” is waiting for your review.`,
      })
    else if (overdue && !before?.overdue)
      notices.push({
        kind: 'overdue',
        outputId: s.id,
        outputTitle: s.title,
        title: 'Review overdue',
        body: `Your review of “${s.title}” is past its SLA.`,
      })
  }
  return { seen, notices }
}

/** More notices of one kind than this at once are told as one (a member joining a busy team). */
export const MAX_SEPARATE_NOTICES = 3

/** Notices to show: each on its own, or one per kind when a pass found more than a few. */
export function groupNotices(notices: readonly RoutingNotice[]): RoutingNotice[] {
  const out: RoutingNotice[] = []
  for (const kind of ['assigned', 'overdue'] as const) {
    const some = notices.filter((n) => n.kind === kind)
    if (some.length <= MAX_SEPARATE_NOTICES) {
      out.push(...some)
      continue
    }
    const titles = some.map((n) => `“${n.outputTitle}”`)
    const named = `${titles.slice(0, 2).join(', ')} and ${some.length - 2} more`
    out.push(
      kind === 'assigned'
        ? {
            kind,
            outputId: 'several',
            outputTitle: '',
            title: `${some.length} reviews assigned to you`,
            body: `${named} are waiting for your review.`,
          }
        : {
            kind,
            outputId: 'several',
            outputTitle: '',
            title: `${some.length} reviews overdue`,
            body: `Your reviews of ${named} are past their SLA.`,
          },
    )
  }
  return out
}
