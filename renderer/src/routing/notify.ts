/**
 * What to tell this member about routing: a review newly assigned to them, or their assigned
 * review newly overdue. The pure part compares two snapshots of the board's summaries; the first
 * snapshot of a session is the baseline (nothing is announced on load).
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
  title: string
  body: string
}

export function routingNotices(
  previous: ReadonlyMap<string, Seen> | null,
  summaries: readonly OutputSummary[],
  memberId: string,
  types: ReadonlyMap<string, OutputType>,
  now: number,
): { seen: Map<string, Seen>; notices: RoutingNotice[] } {
  const seen = new Map<string, Seen>()
  const notices: RoutingNotice[] = []
  for (const s of summaries) {
    const mine = s.state === 'in_review' && s.reviewer === memberId
    const overdue = mine && overdueSince(s, types.get(s.typeId), now) !== null
    seen.set(s.id, { mine, overdue })
    if (!previous) continue
    const before = previous.get(s.id)
    if (mine && !before?.mine)
      notices.push({
        kind: 'assigned',
        outputId: s.id,
        title: 'Review assigned to you',
        body: s.reassigned
          ? `“${s.title}” ran past its review SLA and was handed to you.`
          : `“${s.title}” is waiting for your review.`,
      })
    else if (overdue && !before?.overdue)
      notices.push({
        kind: 'overdue',
        outputId: s.id,
        title: 'Review overdue',
        body: `Your review of “${s.title}” is past its SLA.`,
      })
  }
  return { seen, notices }
}
