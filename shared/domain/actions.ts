/**
 * The operations a person performs on an output. Each one derives the current state, checks the
 * rules (the same `checkAction` the UI uses to enable its buttons), appends one trail event in a
 * transaction with the actor's origin, and refreshes the output's summary row on the board.
 */

import type { PreCheckConfig } from '../prechecks/config.ts'
import { effectiveType } from '../prechecks/policy.ts'
import { type PreCheckResult, preCheckDigest, preCheckFailures, runPreChecks } from '../prechecks/run.ts'
import { isCanonical } from '../sync/digest.ts'
import { autoAssign } from './assign-actions.ts'
import type { Check, Derived, DeriveInput, Enforced, PreCheckVersion } from './derive.ts'
import { autoApprovalRefusal, checkAction, derive } from './derive.ts'
import { newId } from './ids.ts'
import { decisionTime } from './member-roles.ts'
import { localOrigin, type Origin } from './origins.ts'
import type { OutputDoc } from './output.ts'
import { scheduleHold } from './publishing.ts'
import type { TrailEvent, Verdict } from './trail.ts'
import type { OutputSummary, OutputType, ReviewState } from './types.ts'
import type { Workspace } from './workspace.ts'

export * from './assign-actions.ts'
export * from './edit-actions.ts'

export type ReviewAction =
  | { action: 'submit' }
  | { action: 'judge'; itemId: string; verdict: Verdict; note?: string }
  /** `viewed`: the content hash the approver has open (required for high and critical risk). */
  | { action: 'approve'; note?: string; viewed?: string }
  | { action: 'request_changes'; reasons: string[] }
  | { action: 'reject'; reason: string }
  | { action: 'reopen'; reason?: string }
  | { action: 'archive'; reason?: string }

/**
 * Pre-check results by content hash and config. The checks are pure, so remembering the last few
 * only saves time (a board re-derives an unchanged 50 KB output without scanning it again).
 */
const RESULTS_CACHE = new Map<string, PreCheckResult[]>()
const RESULTS_CACHE_SIZE = 64
function preChecksOf(hash: string, content: () => string, config: PreCheckConfig): PreCheckResult[] {
  const key = `${hash}\u0000${JSON.stringify(config)}`
  const hit = RESULTS_CACHE.get(key)
  if (hit) return hit
  const results = runPreChecks(content(), config)
  if (RESULTS_CACHE.size >= RESULTS_CACHE_SIZE) RESULTS_CACHE.delete(RESULTS_CACHE.keys().next().value!)
  RESULTS_CACHE.set(key, results)
  return results
}

/**
 * What one base policy comes to on this output: pre-checks of the current content under its
 * config, the type escalated by what they detect (against the escalation targets' rules as the
 * version recorded them, or the workspace's current types), and the outcome of every earlier
 * version an automatic approval names. Every peer computes the same: the checks are a pure
 * function of content and config.
 */
function enforceOn(
  out: OutputDoc,
  trail: readonly unknown[],
  currentHash: string,
  base: OutputType,
  targets: ReadonlyMap<string, OutputType> | readonly OutputType[],
): Enforced {
  const config = base.prechecks
  if (!config)
    return { type: base, preChecks: [], preCheckFailures: [], escalations: [], versions: new Map() }
  const outcome = (hash: string, content: () => string): PreCheckVersion & { results: PreCheckResult[] } => {
    const results = preChecksOf(hash, content, config)
    return {
      results,
      passed: results.length > 0 && results.every((r) => r.status === 'pass'),
      failures: preCheckFailures(results).length,
      escalated: effectiveType(base, results, targets).escalations.length > 0,
    }
  }
  const now = outcome(currentHash, () => out.text())
  const { type, escalations } = effectiveType(base, now.results, targets)
  const versions = new Map<string, PreCheckVersion>([
    [currentHash, { passed: now.passed, failures: now.failures, escalated: now.escalated }],
  ])
  // Earlier versions that automatic approvals name: checked on their kept bytes.
  for (const raw of trail) {
    const e = raw as { kind?: unknown; contentHash?: unknown }
    if (e?.kind !== 'auto_approved' || typeof e.contentHash !== 'string' || versions.has(e.contentHash))
      continue
    const text = out.version(e.contentHash)
    if (text === undefined) continue
    const { passed, failures, escalated } = outcome(e.contentHash, () => text)
    versions.set(e.contentHash, { passed, failures, escalated })
  }
  return {
    type,
    preChecks: now.results,
    preCheckFailures: preCheckFailures(now.results),
    escalations,
    versions,
  }
}

/**
 * Everything derivation needs: the type's current rules as enforced on the current content, the
 * recorded policy versions each round binds to, and how to enforce any of them here.
 */
export function deriveInput(ws: Workspace, out: OutputDoc): DeriveInput {
  const meta = out.readMeta()
  const trail = out.rawTrail()
  const currentHash = out.hash()
  const allTypes = ws.types.all()
  const own = allTypes.find((t) => t.id === meta.typeId)
  const enforce = (base: OutputType, targets: ReadonlyMap<string, OutputType> | undefined) =>
    enforceOn(out, trail, currentHash, base, targets ?? allTypes)
  const current = own ? enforce(own, undefined) : undefined
  return {
    trail,
    type: current?.type,
    typeId: meta.typeId,
    policies: ws.policyBook(),
    ...(own ? { currentPolicy: ws.currentPolicy(own.id)! } : {}),
    enforce,
    members: ws.memberMap(),
    authorId: meta.authorId,
    assignees: meta.assignees,
    currentHash,
    integrity: { scope: out.scope(), keys: ws.keyTrust(), signable: (id) => ws.signingProblem(id) },
    ...(current?.type.prechecks
      ? {
          preChecks: current.preChecks,
          preCheckFailures: current.preCheckFailures,
          escalations: current.escalations,
          preCheckVersions: current.versions,
        }
      : {}),
  }
}

/**
 * Derive an output, and return the input as the current round sees it: its type, pre-checks and
 * escalations are the rules that round is judged by, so every caller checks and shows the same.
 */
export function deriveOutput(ws: Workspace, out: OutputDoc): { input: DeriveInput; derived: Derived } {
  const base = deriveInput(ws, out)
  const derived = derive(base)
  if (!derived.policy?.hash) return { input: base, derived }
  const input: DeriveInput = {
    ...base,
    type: derived.type,
    preChecks: derived.preChecks,
    preCheckFailures: derived.preCheckFailures,
    escalations: derived.escalations,
    preCheckVersions: derived.preCheckVersions,
  }
  return { input, derived }
}

export function toSummary(
  out: OutputDoc,
  input: DeriveInput,
  derived: Derived,
  updatedAt: number,
): OutputSummary {
  const meta = out.readMeta()
  return {
    id: meta.id,
    title: meta.title,
    typeId: meta.typeId,
    state: derived.state,
    authorId: meta.authorId,
    assignees: meta.assignees,
    tags: meta.tags,
    ...(meta.dueDate ? { dueDate: meta.dueDate } : {}),
    createdAt: meta.createdAt,
    updatedAt,
    ...(derived.submittedAt !== undefined ? { submittedAt: derived.submittedAt } : {}),
    ...(derived.assignment ? { reviewer: derived.assignment.assignee } : {}),
    ...(derived.reassigned ? { reassigned: true } : {}),
    contentHash: input.currentHash,
    approvals: derived.approvals.length,
    approvalsRequired: derived.approvalsRequired,
    checklistDone: derived.checklistDone,
    checklistTotal: derived.checklistTotal,
    checklistFailed: derived.checklistFailed,
    reasons: derived.reasons,
    ...publishSummary(derived, input.currentHash),
  }
}

function publishSummary(derived: Derived, currentHash: string): Partial<OutputSummary> {
  const out: Partial<OutputSummary> = {}
  const shipped = derived.publishes.filter((p) => p.status === 'published' && p.contentHash === currentHash)
  if (shipped.length > 0) out.publishedTo = [...new Set(shipped.map((p) => p.destinationId))]
  const everShipped = derived.publishes.filter((p) => p.status === 'published').length
  if (everShipped > 0) out.publishCount = everShipped
  // The latest outcome per destination decides whether a failure still shows on the card.
  const latest = new Map<string, (typeof derived.publishes)[number]>()
  for (const p of derived.publishes) if (p.status !== 'pending') latest.set(p.destinationId, p)
  const failed = [...latest.values()]
    .filter((p) => p.status === 'failed')
    .sort((a, b) => (b.at ?? 0) - (a.at ?? 0))[0]
  if (failed)
    out.publishError = {
      destinationId: failed.destinationId,
      error: failed.error ?? 'failed',
      at: failed.at ?? 0,
    }
  const next = derived.schedules.filter((s) => s.status === 'pending').sort((a, b) => a.runAt - b.runAt)[0]
  if (next) {
    const hold = scheduleHold(next, { ...derived, currentHash })
    out.nextSchedule = { destinationId: next.destinationId, runAt: next.runAt, ...(hold ? { hold } : {}) }
  }
  return out
}

/** An event as a command writes it: everything but what `record` fills in. */
export type EventBody = TrailEvent extends infer E
  ? E extends TrailEvent
    ? Omit<E, 'id' | 'v' | 'actor' | 'at' | 'prev' | 'sig'>
    : never
  : never

/**
 * Append one trail event as the member: a fresh id, their signature and the chain link, in one
 * transaction with their origin (after `before`, for the content or meta change it records, and
 * keeping the bytes of the version it names when `keep`), then refresh the board row.
 */
export function record(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  /** The event, or a function that makes it once `before` has run (to name the new content). */
  body: EventBody | (() => EventBody),
  options: { now?: number; keep?: boolean; origin?: Origin; before?: () => void } = {},
): TrailEvent {
  const now = options.now ?? Date.now()
  let written: TrailEvent | undefined
  out.transact(options.origin ?? localOrigin(actorId), () => {
    options.before?.()
    if (options.keep) out.keepVersion()
    const fields = typeof body === 'function' ? body() : body
    const event = { id: newId('e'), v: 1, actor: actorId, at: now, ...fields } as TrailEvent
    written = out.append(event, ws.signerFor(actorId))
  })
  refreshSummary(ws, out, actorId, now)
  return written!
}

/** The fields of a row derivation decides (everything but when it was written and its marker). */
const rowKey = (s: OutputSummary) => JSON.stringify({ ...s, updatedAt: 0, corrected: undefined })

/** Re-derive and write the board's row for this output (no write when nothing changed). */
export function refreshSummary(ws: Workspace, out: OutputDoc, actorId: string, now = Date.now()): Derived {
  const { input, derived } = deriveOutput(ws, out)
  const previous = ws.summary(out.id)
  const next = toSummary(out, input, derived, previous?.updatedAt ?? now)
  if (!previous || rowKey(previous) !== rowKey(next))
    ws.transact(localOrigin(actorId), () => ws.putSummary({ ...next, updatedAt: now }))
  return derived
}

/**
 * Check an output's board row against its verified trail, as any member's app does when the
 * output is open or has synced: a row is a cache anyone who can write may edit, never a source.
 * A row that disagrees is rewritten from the trail; when it claimed another state it is marked
 * as corrected, with the state it claimed. Returns that state, or null when the row held.
 */
export function verifySummary(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  now = Date.now(),
): { claimed: ReviewState | null; derived: Derived } | null {
  // A document whose content has not arrived yet says nothing about the row.
  if (!out.id || !ws.members.get(actorId)) return null
  const { input, derived } = deriveOutput(ws, out)
  const previous = ws.summary(out.id)
  if (!previous) return { claimed: null, derived }
  const next = toSummary(out, input, derived, previous.updatedAt)
  if (rowKey(previous) === rowKey(next)) return { claimed: null, derived }
  const claimed = previous.state !== next.state ? previous.state : null
  ws.transact(localOrigin(actorId), () =>
    ws.putSummary({ ...next, updatedAt: now, ...(claimed ? { corrected: { at: now, claimed } } : {}) }),
  )
  return { claimed, derived }
}

/**
 * Approve automatically when the conditions hold, as a trail event any member's app may write.
 * Called after a submission and after an edit is recorded; writes nothing otherwise.
 */
export function maybeAutoApprove(ws: Workspace, out: OutputDoc, actorId: string, now = Date.now()): boolean {
  if (!ws.members.get(actorId) || ws.signingProblem(actorId)) return false
  const { input, derived } = deriveOutput(ws, out)
  if (autoApprovalRefusal(input, derived, actorId) !== null) return false
  const checks = preCheckDigest(input.preChecks ?? [])
  record(
    ws,
    out,
    actorId,
    { kind: 'auto_approved', contentHash: input.currentHash, checks },
    { now, keep: true },
  )
  return true
}

/** The actions that name a version of the content, which must be the version everyone sees. */
const JUDGES_CONTENT = new Set<ReviewAction['action']>([
  'submit',
  'judge',
  'approve',
  'request_changes',
  'reject',
])

/**
 * A copy whose items sit in another order than the canonical copy every other member and a
 * joining member derive (a crafted edit, see shared/sync/digest.ts) shows words others do not
 * see: nobody judges them until the copy is replaced by the team's.
 */
export const NOT_CANONICAL =
  "This copy of the output holds an edit placed differently from the team's copy, so you may not be seeing the words others see. Reload the output from the team's copy before judging it."

/** Perform one review action; returns the rules' verdict and writes nothing when it refuses. */
export function perform(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  act: ReviewAction,
  clock = Date.now(),
): Check {
  const now = decisionTime(ws.members.get(actorId), clock)
  const { input, derived } = deriveOutput(ws, out)
  const action = act.action === 'judge' ? 'judge' : act.action
  const check = checkAction(derived, input, actorId, action)
  if (!check.ok) return check
  if (JUDGES_CONTENT.has(act.action) && !isCanonical(out.doc)) return { ok: false, reason: NOT_CANONICAL }
  const hash = input.currentHash
  let event: EventBody
  switch (act.action) {
    case 'submit': {
      // The round binds to the type's rules as they stand now, recorded so every peer can read them.
      let policy: string | undefined
      ws.transact(localOrigin(actorId), () => {
        policy = ws.recordPolicy(out.readMeta().typeId, actorId, now)
      })
      event = { kind: 'submitted', contentHash: hash, ...(policy ? { policy } : {}) }
      break
    }
    case 'judge': {
      const item = input.type?.checklist.find((i) => i.id === act.itemId)
      if (!item) return { ok: false, reason: `This type's checklist has no item "${act.itemId}".` }
      const note = (act.note ?? '').trim()
      if (act.verdict === 'fail' && !note)
        return { ok: false, reason: `Say why "${item.title}" fails, so the author can fix it.` }
      event = { kind: 'judged', contentHash: hash, itemId: item.id, verdict: act.verdict, note }
      break
    }
    case 'approve': {
      // The version the approver had open, when the app knows it (locks.ts `approveOutput`).
      const viewed = act.viewed ? { viewed: act.viewed } : {}
      event = { kind: 'approved', contentHash: hash, note: (act.note ?? '').trim(), ...viewed }
      break
    }
    case 'request_changes': {
      const reasons = act.reasons.map((r) => r.trim()).filter(Boolean)
      if (reasons.length === 0) return { ok: false, reason: 'Say what needs to change.' }
      event = { kind: 'changes_requested', contentHash: hash, reasons }
      break
    }
    case 'reject': {
      const reason = act.reason.trim()
      if (!reason) return { ok: false, reason: 'Say why it is rejected.' }
      event = { kind: 'rejected', contentHash: hash, reason }
      break
    }
    case 'reopen':
      event = { kind: 'reopened', reason: (act.reason ?? '').trim() }
      break
    case 'archive':
      event = { kind: 'archived', reason: (act.reason ?? '').trim() }
      break
  }
  // Every event that judges content names a version whose bytes stay readable by that hash.
  record(ws, out, actorId, event, { now, keep: 'contentHash' in event })
  if (event.kind === 'submitted') {
    autoAssign(ws, out, actorId, now)
    maybeAutoApprove(ws, out, actorId, now)
  }
  return { ok: true }
}

/**
 * The reviewer's decision as the checklist stands: any failed send-back item or failed automatic
 * check turns it into "request changes", with each failure and its note as a reason.
 */
export function reviewDecision(derived: Derived): {
  decision: 'approve' | 'request_changes'
  reasons: string[]
} {
  const reasons = derived.checklist
    .filter((r) => r.item.severity === 'send-back' && r.judgement?.verdict === 'fail')
    .map((r) => `${r.item.title}: ${r.judgement?.note || 'failed'}`)
  // A failed automatic check holds approval just the same; its finding is the reason.
  for (const r of derived.preChecks) if (r.status === 'fail') reasons.push(`${r.title}: ${r.detail}`)
  return reasons.length > 0 ? { decision: 'request_changes', reasons } : { decision: 'approve', reasons: [] }
}
