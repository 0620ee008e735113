import type { RiskTier } from '../../../shared/domain/types.ts'
import { RISK_WORD } from '../ui/labels.ts'

/** The one risk pill: colour and word together, never colour alone (styles in app.css `.risk`). */
export function RiskPill({ risk, label }: { risk: RiskTier | undefined; label?: string }) {
  if (!risk) return <span className="risk risk-unknown">{label ?? 'Unknown type'}</span>
  return (
    <span className={`risk risk-${risk}`}>
      <span className="risk-dot" aria-hidden="true" />
      {label ?? RISK_WORD[risk]}
    </span>
  )
}
