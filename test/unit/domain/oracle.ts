/**
 * An independent statement of the approval policy, for property tests. It replays a trail with a
 * deliberately plain model of the lifecycle (no code shared with `derive`) and says why an output
 * may NOT be approved, or null when the policy is met. It is a necessary condition: whenever
 * `derive` says "approved", this must return null.
 */
import type { Member, OutputType, Role } from '../../../shared/domain/index.ts'

export interface PolicyInput {
  trail: readonly unknown[]
  type: OutputType | undefined
  members: ReadonlyMap<string, Member>
  authorId: string
  assignees?: readonly string[]
  currentHash: string
  /** Failed automatic pre-checks on the current content: any one holds approval. */
  preCheckFailures?: readonly string[]
  /** Pre-check outcome per version, for automatic approvals. */
  preCheckVersions?: ReadonlyMap<string, { passed: boolean; failures: number; escalated: boolean }>
}

const REVIEWING: readonly Role[] = ['reviewer', 'approver', 'admin']

interface Ev {
  id?: unknown
  v?: unknown
  kind?: unknown
  actor?: unknown
  contentHash?: unknown
  itemId?: unknown
  verdict?: unknown
}

export function policyViolation(input: PolicyInput, approvedHash = input.currentHash): string | null {
  const type = input.type
  if (!type) return 'the output has no type'
  const assignees = input.assignees ?? []
  let phase: 'draft' | 'in_review' | 'changes_requested' | 'rejected' | 'archived' = 'draft'
  let approvals: { by: string; hash: string }[] = []
  let judgements: { itemId: string; verdict: string; hash: string }[] = []
  /** Versions approved automatically in this round (a low-risk type set to, every check passing). */
  let autoApproved: string[] = []
  /** Approved versions opened by "Start a new version" in this round: their approvals no longer hold off a change. */
  let opened: string[] = []
  const ids = new Set<string>()

  for (const raw of input.trail) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue
    const e = raw as Ev
    if (typeof e.id !== 'string' || ids.has(e.id) || e.v !== 1 || typeof e.actor !== 'string') continue
    ids.add(e.id)
    const member = input.members.get(e.actor)
    if (!member) continue
    const has = (roles: readonly Role[]) => member.roles.some((r) => roles.includes(r))
    const isAuthor = e.actor === input.authorId
    const isAdmin = member.roles.includes('admin')
    const authorBarred = isAuthor && !type.allowSelfApproval
    switch (e.kind) {
      case 'submitted':
        if (
          (isAuthor || isAdmin || assignees.includes(e.actor)) &&
          (phase === 'draft' || phase === 'changes_requested')
        ) {
          phase = 'in_review'
          approvals = []
          judgements = []
          autoApproved = []
          opened = []
        }
        break
      case 'new_version': {
        // It opens a version whose latest approval by some person names it.
        const latest = new Map<string, string>()
        for (const a of approvals) latest.set(a.by, a.hash)
        if (phase === 'in_review' && [...latest.values()].includes(e.contentHash as string))
          opened.push(e.contentHash as string)
        break
      }
      case 'judged':
        if (
          phase === 'in_review' &&
          has(REVIEWING) &&
          !authorBarred &&
          type.checklist.some((i) => i.id === e.itemId) &&
          typeof e.contentHash === 'string' &&
          typeof e.verdict === 'string'
        )
          judgements.push({ itemId: e.itemId as string, verdict: e.verdict, hash: e.contentHash })
        break
      case 'approved':
        if (
          phase === 'in_review' &&
          has(type.approverRoles) &&
          !authorBarred &&
          typeof e.contentHash === 'string'
        )
          approvals.push({ by: e.actor, hash: e.contentHash })
        break
      case 'auto_approved': {
        const v = typeof e.contentHash === 'string' ? input.preCheckVersions?.get(e.contentHash) : undefined
        if (
          phase === 'in_review' &&
          type.risk === 'low' &&
          type.prechecks?.autoApprove === true &&
          v?.passed === true &&
          !v.escalated
        )
          autoApproved.push(e.contentHash as string)
        break
      }
      case 'changes_requested':
        if (phase === 'in_review' && has(REVIEWING) && !authorBarred) {
          phase = 'changes_requested'
          approvals = []
          autoApproved = []
        }
        break
      case 'rejected':
        if (
          (phase === 'in_review' || phase === 'changes_requested') &&
          (isAdmin || has(type.approverRoles)) &&
          !(authorBarred && !isAdmin)
        ) {
          phase = 'rejected'
          approvals = []
          autoApproved = []
        }
        break
      case 'reopened':
        if (phase !== 'draft' && (isAuthor || isAdmin || has(REVIEWING))) {
          phase = 'draft'
          approvals = []
          judgements = []
          autoApproved = []
        }
        break
      case 'archived':
        if (phase !== 'archived' && (isAuthor || isAdmin)) {
          phase = 'archived'
          approvals = []
          autoApproved = []
        }
        break
    }
  }

  if (phase !== 'in_review') return `the output is ${phase}, not in review`
  // A version other than the current content stays approved only while locked: a person approved
  // it and nobody started a new version from it.
  if (approvedHash !== input.currentHash && opened.includes(approvedHash))
    return `version ${approvedHash} was opened for a new version, so its approvals no longer hold`
  const approvers = new Set<string>()
  for (const a of approvals) {
    if (a.hash !== approvedHash) continue
    const m = input.members.get(a.by)
    if (!m?.roles.some((r) => type.approverRoles.includes(r))) continue
    if (a.by === input.authorId && !type.allowSelfApproval) continue
    approvers.add(a.by)
  }
  // An automatic approval of the current version counts as one approval of its own.
  const auto = autoApproved.includes(approvedHash)
  if (approvedHash !== input.currentHash && approvers.size === 0)
    return `the content changed from ${approvedHash}, which no person approved`
  const count = approvers.size + (auto ? 1 : 0)
  if (count < type.approvalsRequired)
    return `${count} of ${type.approvalsRequired} approvals on the current content`
  for (const item of type.checklist) {
    if (item.severity !== 'send-back') continue
    let latest: string | undefined
    for (const j of judgements) if (j.itemId === item.id && j.hash === approvedHash) latest = j.verdict
    // An automatic approval stands in for unjudged items, never for one a person failed.
    if (latest === 'fail' || (latest === undefined && !auto))
      return `checklist item ${item.id} is ${latest ?? 'unjudged'}`
  }
  if (approvedHash !== input.currentHash) {
    if ((input.preCheckVersions?.get(approvedHash)?.failures ?? 0) > 0)
      return `automatic checks fail on version ${approvedHash}`
  } else if ((input.preCheckFailures ?? []).length > 0)
    return `automatic checks fail: ${(input.preCheckFailures ?? []).join(', ')}`
  return null
}
