import { useMemo, useState } from 'react'
import { wordDiff } from '../../../shared/trace/diff.ts'
import { renderedDiff } from '../../../shared/trace/rendered-diff.ts'

/**
 * "Changes since your last review": the version this reviewer last judged against now, rendered
 * as a reader sees it (the preview's sanitizing renderer) with removed words struck through (−)
 * and added ones underlined (+), so the difference never rests on colour alone; or, by a toggle,
 * as the source's words. It also says which verdicts carry over into this round.
 */
export function ChangesSince({
  before,
  now,
  round,
  carry,
  onClose,
}: {
  before: string | undefined
  now: string
  round: number
  /** What the round's rules do with earlier verdicts, as one sentence. */
  carry: string
  onClose: () => void
}) {
  const [view, setView] = useState<'rendered' | 'words'>('rendered')
  const rendered = useMemo(
    () => (before === undefined || view !== 'rendered' ? null : renderedDiff(before, now)),
    [before, now, view],
  )
  const diff = useMemo(
    () => (before === undefined || view !== 'words' ? null : wordDiff(before, now)),
    [before, now, view],
  )
  const counts = rendered ?? diff
  return (
    <section className="ov-since" aria-label="Changes since your last review">
      <div className="ov-row">
        <h2 className="ov-since-h">Changes since your last review</h2>
        <span className="ov-why">
          {counts
            ? `You judged round ${round}. ${counts.added} word${counts.added === 1 ? '' : 's'} added, ${counts.removed} removed.`
            : `You judged round ${round}; that version’s text is not kept on this device.`}
        </span>
        <span className="ov-views-gap" />
        {before !== undefined && (
          <button
            type="button"
            aria-pressed={view === 'words'}
            onClick={() => setView(view === 'words' ? 'rendered' : 'words')}
          >
            Show source words
          </button>
        )}
        <button type="button" onClick={onClose}>
          Hide changes
        </button>
      </div>
      <p className="ov-carry">{carry}</p>
      {rendered && (
        <div
          className="ov-diff ov-diff-rendered"
          // biome-ignore lint/security/noDangerouslySetInnerHtml: markdownToSafeHtml's output; the only tags added are <ins>/<del> without attributes from content (shared/trace/rendered-diff.ts)
          dangerouslySetInnerHTML={{ __html: rendered.html }}
        />
      )}
      {diff && (
        <div className="ov-diff">
          {diff.segments.map((s, i) =>
            s.op === 'equal' ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and rebuilt whole
              <span key={i}>{s.text}</span>
            ) : s.op === 'removed' ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: as above
              <del key={i} title="removed">
                <span aria-hidden="true">−</span>
                <span className="visually-hidden">[removed: </span>
                {s.text}
                <span className="visually-hidden">]</span>
              </del>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: as above
              <ins key={i} title="added">
                <span aria-hidden="true">+</span>
                <span className="visually-hidden">[added: </span>
                {s.text}
                <span className="visually-hidden">]</span>
              </ins>
            ),
          )}
        </div>
      )}
    </section>
  )
}
