import type { ReviewView } from './review-model.ts'

/** The output's type and its risk as a pill, as the header and the review panel both show them. */
export function TypeAndRisk({ view }: { view: Pick<ReviewView, 'typeName' | 'risk' | 'riskLabel'> }) {
  return (
    <>
      <span className="ov-type">{view.typeName}</span>{' '}
      <span className={`ov-risk ov-risk-${view.risk ?? 'unknown'}`}>{view.riskLabel}</span>
    </>
  )
}
