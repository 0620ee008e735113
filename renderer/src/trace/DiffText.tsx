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
                <Marked mark="−" said="removed" text={s.text} />
              </del>
            )
          if (s.op === 'added' && side === 'after')
            return (
              <ins key={i} title="added">
                <Marked mark="+" said="added" text={s.text} />
              </ins>
            )
          return null
        })}
      </pre>
    </section>
  )
}

/** A changed run: a visible mark, and words a screen reader says around the text. */
function Marked({ mark, said, text }: { mark: string; said: string; text: string }) {
  return (
    <>
      <span className="tr-mark" aria-hidden="true">
        {mark}
      </span>
      <span className="visually-hidden">[{said}: </span>
      {text}
      <span className="visually-hidden">]</span>
    </>
  )
}
