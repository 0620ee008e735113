/**
 * The review panel's view model: everything the panel shows, computed from the derived state and
 * the rules, so the component only lays it out and the mapping is tested without a DOM.
 */

import { reviewDecision } from '../../../shared/domain/actions.ts'
import type { Action, Derived, DeriveInput, Judgement } from '../../../shared/domain/derive.ts'
import { AUTO_APPROVER, allowedActions } from '../../../shared/domain/derive.ts'
import { earlierVerdicts, earlierVerdictText } from '../../../shared/domain/rounds-since.ts'
import type { Verdict } from '../../../shared/domain/trail.ts'
import type { Member, ReviewState, RiskTier } from '../../../shared/domain/types.ts'
import { type PreChecksView, preChecksView } from '../../../shared/prechecks/view.ts'
import { stripBidi } from '../ui/bidi.ts'
import { RISK_LABEL, STATE_EXPLANATION, STATE_LABEL } from '../ui/labels.ts'

export const VERDICT_LABEL: Record<Verdict, string> = { pass: 'Pass', fail: 'Fail', na: 'N/A' }

export interface JudgementView {
  verdict: Verdict
  note: string
  /** "Pass by Ada" */
  text: string
}

export interface ItemView {
  id: string
  title: string
  question: string
  guidance: string
  severity: 'send-back' | 'warning'
  severityLabel: string
  judgement?: JudgementView
  /** Set when the latest judgement in this round was given to an earlier version. */
  outdated?: string
  /** Its verdict in the latest earlier round that judged it: "Round 1: failed — <note>". */
  earlier?: string
  /** "Carried over from round 1": the verdict standing was given in that round (the type's rules carry it). */
  carried?: string
  /** Why the round before's verdict did not carry over, when the type's rules carry some. */
  notCarried?: string
}

export interface ActionView {
  action: Action
  label: string
  enabled: boolean
  /** Why not, as a sentence; empty when enabled. */
  reason: string
}

export interface ReviewView {
  state: ReviewState
  stateLabel: string
  stateExplanation: string
  typeName: string
  typeDescription: string
  risk: RiskTier | null
  riskLabel: string
  items: ItemView[]
  progress: string
  canJudge: boolean
  judgeReason: string
  decision: 'approve' | 'request_changes'
  /** Pre-filled reasons for "request changes": each failed send-back item with its note. */
  decisionReasons: string[]
  actions: Record<Exclude<Action, 'edit' | 'judge'>, ActionView>
  approvals: {
    summary: string
    by: string[]
    stale: string[]
    /** This member's own approval: counted on this version, made stale by an edit, or none. */
    mine: 'counted' | 'stale' | 'none'
  }
  /** Reasons of the latest send-back or rejection, for the banner above the editor. */
  reasons: string[]
  problems: string[]
  /** The type's automatic pre-checks on this version; null when it has none. */
  preChecks: PreChecksView | null
}

const ACTION_LABEL: Record<Exclude<Action, 'edit' | 'judge'>, string> = {
  submit: 'Submit for review',
  approve: 'Approve',
  request_changes: 'Request changes',
  reject: 'Reject',
  reopen: 'Reopen',
  archive: 'Archive',
}

export function memberName(members: ReadonlyMap<string, Member>, id: string): string {
  if (id === AUTO_APPROVER) return 'Automatic checks'
  // Names go into sentences ("Pass by …", "… approved an earlier version"): no bidi overrides.
  return stripBidi(members.get(id)?.name ?? `unknown member ${id}`)
}

function judgementView(j: Judgement, members: ReadonlyMap<string, Member>): JudgementView {
  const by = memberName(members, j.by)
  return {
    verdict: j.verdict,
    note: j.note,
    text: `${VERDICT_LABEL[j.verdict]} by ${by}${j.note ? `: ${j.note}` : ''}`,
  }
}

export function reviewView(derived: Derived, input: DeriveInput, memberId: string): ReviewView {
  const members = input.members
  const allowed = allowedActions(derived, input, memberId)
  const earlier = earlierVerdicts(derived)
  const items: ItemView[] = derived.checklist.map((row) => {
    const view: ItemView = {
      id: row.item.id,
      title: row.item.title,
      question: row.item.question,
      guidance: row.item.guidance,
      severity: row.item.severity,
      severityLabel: row.item.severity === 'send-back' ? 'Failing sends it back' : 'Warning only',
    }
    const before = earlier.get(row.item.id)
    if (before)
      view.earlier = earlierVerdictText(
        before,
        before.by === memberId ? null : memberName(members, before.by),
      )
    if (row.judgement) {
      view.judgement = judgementView(row.judgement, members)
      if (row.judgement.carried) view.carried = `Carried over from round ${row.judgement.carried.round}`
    } else if (row.notCarried) view.notCarried = `Not carried over: ${row.notCarried}.`
    if (!row.judgement && row.outdated)
      view.outdated = `Outdated: ${VERDICT_LABEL[row.outdated.verdict]} by ${memberName(members, row.outdated.by)} judged an earlier version.`
    return view
  })
  const { decision, reasons: decisionReasons } = reviewDecision(derived)
  const actions = {} as ReviewView['actions']
  for (const action of Object.keys(ACTION_LABEL) as (keyof typeof ACTION_LABEL)[]) {
    const check = allowed[action]
    actions[action] = {
      action,
      label: ACTION_LABEL[action],
      enabled: check.ok,
      reason: check.ok ? '' : check.reason,
    }
  }
  const by = derived.approvals.map((a) => memberName(members, a.memberId))
  const stale = derived.staleApprovals.map(
    (a) => `${memberName(members, a.memberId)} approved an earlier version (stale, not counted)`,
  )
  const type = input.type
  return {
    state: derived.state,
    stateLabel: STATE_LABEL[derived.state],
    stateExplanation: derived.unapprovedChange
      ? `Approved for version ${derived.unapprovedChange.approvedHash.slice(0, 8)}; the content now holds a change nobody approved.`
      : STATE_EXPLANATION[derived.state],
    typeName: type?.name ?? 'Unknown type',
    typeDescription:
      type?.description ?? 'This output’s type is not in the workspace, so it has no checklist.',
    risk: type?.risk ?? null,
    riskLabel: type ? RISK_LABEL[type.risk] : 'Unknown risk',
    items,
    progress: `${derived.checklistDone} of ${derived.checklistTotal} judged${derived.checklistFailed > 0 ? `, ${derived.checklistFailed} failed` : ''}`,
    canJudge: allowed.judge.ok,
    judgeReason: allowed.judge.ok ? '' : allowed.judge.reason,
    decision,
    decisionReasons,
    actions,
    approvals: {
      summary: `${derived.approvals.length} of ${derived.approvalsRequired} approval${derived.approvalsRequired === 1 ? '' : 's'}`,
      by,
      stale,
      mine: derived.approvals.some((a) => a.memberId === memberId)
        ? 'counted'
        : derived.staleApprovals.some((a) => a.memberId === memberId)
          ? 'stale'
          : 'none',
    },
    reasons: derived.reasons,
    problems: derived.problems.map((p) => `Not counted: ${p.reason}`),
    preChecks: preChecksView(derived, input),
  }
}

/**
 * What to say after this member approved, read from the view as it is now (not as it was when
 * the button was pressed): "Approved." only while the output is approved; with approvals still
 * missing, how many; once an edit made the approval stale, that it no longer counts.
 */
export function approvalOutcome(view: ReviewView): string {
  if (view.state === 'approved') return 'Approved.'
  if (view.state === 'approved_stale')
    return 'Your approval no longer counts: the content changed after it. It needs approving again.'
  if (view.approvals.mine === 'stale')
    return `Your approval no longer counts: the content changed after it. ${view.approvals.summary} on this version.`
  if (view.state === 'in_review') return `Your approval is recorded: ${view.approvals.summary} so far.`
  return `Your approval is recorded. It is now ${view.stateLabel.toLowerCase()}.`
}
