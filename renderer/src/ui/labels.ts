import type { ReviewState, RiskTier } from '../../../shared/domain/types.ts'

/** Risk is shown as colour and word together, never colour alone. */
export const RISK_WORD: Record<RiskTier, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
}

export const RISK_LABEL = Object.fromEntries(
  Object.entries(RISK_WORD).map(([tier, word]) => [tier, `${word} risk`]),
) as Record<RiskTier, string>

export const STATE_LABEL: Record<ReviewState, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  approved_stale: 'Approved, stale',
  published: 'Published',
  rejected: 'Rejected',
  archived: 'Archived',
}

export const STATE_EXPLANATION: Record<ReviewState, string> = {
  draft: 'Not submitted for review yet.',
  in_review: 'Waiting for the checklist and approvals.',
  changes_requested: 'A reviewer sent it back; see the reasons.',
  approved: 'Approved for this exact content.',
  approved_stale:
    'The content changed since it was approved, so the approval no longer counts. This version needs approving again.',
  published: 'This approved version was published.',
  rejected: 'Rejected; reopen it to work on it again.',
  archived: 'Archived: read-only until reopened.',
}
