/**
 * The "Automatic checks" part of the review panel's view model: the type's pre-checks on this
 * version in words, the escalations that apply, and where automatic approval stands. Pure, so
 * it is tested without a DOM; rendered by renderer/src/output/PreChecks.tsx.
 */

import type { Derived, DeriveInput } from '../domain/derive.ts'
import { AUTO_APPROVER, autoApprovalRefusal } from '../domain/derive.ts'
import type { PreCheckStatus } from './run.ts'

export interface PreCheckItemView {
  id: string
  title: string
  status: PreCheckStatus
  /** Status in words, so it is never colour alone. */
  statusLabel: string
  detail: string
  /** Matched text, de-duplicated, at most eight. */
  snippets: string[]
  /** A failure holds approval. */
  blocks: boolean
}

export interface PreChecksView {
  summary: string
  items: PreCheckItemView[]
  /** One sentence per escalation: what was found and whose policy now applies. */
  escalations: string[]
  /** Where automatic approval stands, for types set to approve automatically. */
  auto: string | null
}

const STATUS_LABEL: Record<PreCheckStatus, string> = { pass: 'Passed', fail: 'Failed', warn: 'Found' }

/** The view of the automatic checks, or null when the type has none. */
export function preChecksView(derived: Derived, input: DeriveInput): PreChecksView | null {
  const results = derived.preChecks
  if (results.length === 0) return null
  const items = results.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    statusLabel: STATUS_LABEL[r.status],
    detail: r.detail,
    snippets: [...new Set((r.matches ?? []).map((m) => m.text))].slice(0, 8),
    blocks: r.status === 'fail',
  }))
  const count = (s: PreCheckStatus) => items.filter((i) => i.status === s).length
  const parts = [`${count('pass')} passed`]
  if (count('fail') > 0) parts.push(`${count('fail')} failed`)
  if (count('warn') > 0) parts.push(`${count('warn')} found something`)
  const summary = `${parts.join(', ')}.${count('fail') > 0 ? ' A failed check holds approval until the content is fixed.' : ''}`
  let auto: string | null = null
  if (input.type?.prechecks?.autoApprove) {
    const counted = derived.approvals.find((a) => a.memberId === AUTO_APPROVER)
    if (counted) {
      const by = counted.auto ? input.members.get(counted.auto.writtenBy)?.name : undefined
      auto = `Approved automatically: every check passed on this version${by ? ` (recorded by ${by}’s app)` : ''}.`
    } else {
      const why = autoApprovalRefusal(input, derived, input.authorId)
      if (why && derived.phase === 'in_review') auto = `Not approved automatically: ${why}`
      else if (derived.phase !== 'in_review')
        auto = 'This type approves automatically when it is submitted and every check passes.'
    }
  }
  return { summary, items, escalations: derived.escalations.map((e) => e.reason), auto }
}
