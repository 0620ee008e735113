import type { ReviewState, RiskTier } from '../../../shared/domain/types.ts'

/** Risk is always colour and word together. */
export const RISK_WORD: Record<RiskTier, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
}

export const STATE_WORD: Record<ReviewState, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  approved_stale: 'Approved, stale',
  published: 'Published',
  rejected: 'Rejected',
  archived: 'Archived',
}
