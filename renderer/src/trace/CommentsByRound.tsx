import type { CommentRound } from '../../../shared/trace/comment-trail.ts'
import { stripBidi } from '../ui/bidi.ts'
import { when } from './download.ts'

/** The signed comment records, per review round: who said what about which version. */
export function CommentsByRound({ rounds }: { rounds: readonly CommentRound[] }) {
  return (
    <section aria-label="Comments by round" className="tr-rounds">
      <h3>Comments and suggestions</h3>
      {rounds.length === 0 && <p className="tr-when">No comments on this output yet.</p>}
      {rounds.map((r) => (
        <section key={r.round} aria-label={r.round === 0 ? 'Before review' : `Round ${r.round}`}>
          <h4>{r.round === 0 ? 'Before review' : `Round ${r.round}`}</h4>
          <ol className="tr-timeline">
            {r.lines.map((l) => (
              <li key={`${l.index}-${l.id}`} className={l.counted ? 'tr-entry' : 'tr-entry tr-problem'}>
                <time dateTime={l.when > 0 ? new Date(l.when).toISOString() : undefined}>{when(l.when)}</time>
                <span>
                  <span className="tr-kind">{l.kind}</span>
                  {l.unverified && <strong className="tr-unverified">Unverified</strong>}
                  {stripBidi(l.text)}
                </span>
                <span />
              </li>
            ))}
          </ol>
        </section>
      ))}
    </section>
  )
}
