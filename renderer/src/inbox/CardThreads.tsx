import './inbox.css'
import { threadIndexRow } from '../../../shared/domain/comments.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'

/** The open comment threads on a board card, from the workspace's thread index. */
export function CardThreads({ session, outputId }: { session: WorkspaceSession; outputId: string }) {
  const open = useObserved(session, () => threadIndexRow(session.workspace, outputId).open, [outputId])
  if (open === 0) return null
  return (
    <p className="card-threads">
      💬 {open} open comment{open === 1 ? '' : 's'}
    </p>
  )
}
