import type { DiffSegment } from '../../../shared/trace/diff.ts'

/**
 * One side of a comparison. Removed words are struck through and marked "−", added ones
 * underlined and marked "+", so the difference never rests on colour alone.
 */
export function DiffText({
  segments,
  side,
  label,
}: {
  segments: readonly DiffSegment[]
  side: 'before' | 'after'
  label: string
}) {
  let offset = 0
  const keyed = segments.map((s) => {
    const key = `${s.op}-${offset}`
    offset += s.text.length
    return { s, key }
  })
  return (
    <section aria-label={label}>
      <pre className="tr-text">
        {keyed.map(({ s, key: i }) => {
          if (s.op === 'equal') return <span key={i}>{s.text}</span>
          if (s.op === 'removed' && side === 'before')
            return (
              <del key={i} title="removed">
                <span className="tr-mark" aria-hidden="true">
                  −
                </span>
                <span className="visually-hidden">[removed: </span>
                {s.text}
                <span className="visually-hidden">]</span>
              </del>
            )
          if (s.op === 'added' && side === 'after')
            return (
              <ins key={i} title="added">
                <span className="tr-mark" aria-hidden="true">
                  +
                </span>
                <span className="visually-hidden">[added: </span>
                {s.text}
                <span className="visually-hidden">]</span>
              </ins>
            )
          return null
        })}
      </pre>
    </section>
  )
}
