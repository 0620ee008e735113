/**
 * The card's routing line: who is reviewing it this round, and the SLA flag (overdue, handed to
 * the backup).
 */
import type { OutputSummary, OutputType } from '../../../shared/domain/types.ts'
import { overdueSince } from '../../../shared/routing/assign.ts'
import { useActiveSession } from '../app/context.tsx'
import { useObserved } from '../state/observable.ts'

export function CardRouting({
  summary: s,
  type,
  now,
}: {
  summary: OutputSummary
  type: OutputType | undefined
  now: number
}) {
  const session = useActiveSession()
  const reviewer = s.reviewer
  const name = useObserved(
    session,
    () => (reviewer ? (session?.workspace.members.get(reviewer)?.name ?? 'Unknown member') : undefined),
    [reviewer],
  )
  if (s.state !== 'in_review' || !reviewer) return null
  const overdue = overdueSince(s, type, now) !== null
  return (
    <p className={`card-routing${overdue ? ' overdue' : ''}`} data-testid="card-reviewer" title={name}>
      Reviewer: <strong>{name}</strong>
      {s.reassigned ? ' · reassigned after the SLA' : overdue ? ' · overdue' : ''}
    </p>
  )
}
