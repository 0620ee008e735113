import { useMemo } from 'react'
import { wordDiff } from '../../../shared/trace/diff.ts'

/**
 * "Changes since your last review": the version this reviewer last judged against now, as one
 * readable text with removed words struck through (−) and added ones underlined (+), so the
 * difference never rests on colour alone.
 */
export function ChangesSince({
  before,
  now,
  round,
  onClose,
}: {
  before: string | undefined
  now: string
  round: number
  onClose: () => void
}) {
  const diff = useMemo(() => (before === undefined ? null : wordDiff(before, now)), [before, now])
  return (
    <section className="ov-since" aria-label="Changes since your last review">
      <div className="ov-row">
        <h2 className="ov-since-h">Changes since your last review</h2>
        <span className="ov-why">
          {diff
            ? `You judged round ${round}. ${diff.added} word${diff.added === 1 ? '' : 's'} added, ${diff.removed} removed.`
            : `You judged round ${round}; that version’s text is not kept on this device.`}
        </span>
        <span className="ov-views-gap" />
        <button type="button" onClick={onClose}>
          Hide changes
        </button>
      </div>
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
