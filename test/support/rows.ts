import type { OutputSummary } from '../../shared/domain/types.ts'

/**
 * A board row (an output's summary) for tests: a draft with no approvals, checklist, tags or
 * reasons, at time 0, with whatever the test names in `patch`.
 */
export function summaryRow(patch: Partial<OutputSummary> = {}): OutputSummary {
  return {
    id: 'o1',
    title: '',
    typeId: 't',
    state: 'draft',
    authorId: 'a',
    assignees: [],
    tags: [],
    createdAt: 0,
    updatedAt: 0,
    contentHash: '',
    approvals: 0,
    approvalsRequired: 1,
    checklistDone: 0,
    checklistTotal: 0,
    checklistFailed: 0,
    reasons: [],
    ...patch,
  }
}
