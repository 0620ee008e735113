/**
 * Approved content is locked. Editing it voids every approval it holds, so the app asks first:
 * "Start a new version", with a confirmation that names the approvals it voids, written to the
 * trail as a signed `new_version` event. The lock is enforced by derivation, not only by the
 * editor: a teammate's offline edit that merges later still lands (no peer's text is ever
 * refused), but without a `new_version` it voids nothing. The approved version keeps its
 * approvals and stays what may be published, and the change is shown as unapproved until someone
 * starts a new version (keeping it) or restores the approved version (discarding it).
 */

import { deriveOutput, perform, record } from './actions.ts'
import type { Check, Derived, DeriveInput, UnapprovedChange } from './derive.ts'
import { AUTO_APPROVER, checkAction } from './derive.ts'
import type { OutputDoc } from './output.ts'
import type { OutputType } from './types.ts'
import type { Workspace } from './workspace.ts'

/** How a refusal to approve unseen content begins: the board opens the output instead. */
export const OPEN_TO_APPROVE = 'Open it to approve:'

/**
 * Why this approval may not be given, or null: a high or critical output is approved only by a
 * member who has its current version open (`viewed`, recorded in the approval).
 */
export function approvalViewRefusal(
  type: OutputType | undefined,
  viewed: string | undefined,
  currentHash: string,
): string | null {
  if (!type || (type.risk !== 'high' && type.risk !== 'critical')) return null
  if (viewed === currentHash) return null
  return viewed
    ? `${OPEN_TO_APPROVE} the content changed since you opened it; read the current version first.`
    : `${OPEN_TO_APPROVE} ${type.name} is a ${type.risk}-risk type, approved only by someone who has read its current version.`
}

export interface ContentLock {
  locked: boolean
  /** Why, as a sentence; empty when not locked. */
  reason: string
  /** Who approved this version: the approvals an edit would void. */
  voids: string[]
  /** It has shipped: editing starts a version that needs approving and publishing again. */
  published: boolean
  /** The approved version, when locked. */
  hash?: string
  /** The content changed away from it without "Start a new version": shown, not counted. */
  changed?: UnapprovedChange & { editorNames: string[] }
}

export function contentLock(derived: Derived, input: DeriveInput): ContentLock {
  const published = derived.state === 'published'
  if (!derived.lockedHash) return { locked: false, reason: '', voids: [], published }
  const voids = derived.approvals.map((a) =>
    a.memberId === AUTO_APPROVER
      ? 'the automatic checks'
      : (input.members.get(a.memberId)?.name ?? a.memberId),
  )
  const change = derived.unapprovedChange
  const changed = change
    ? { ...change, editorNames: change.editors.map((id) => input.members.get(id)?.name ?? id) }
    : undefined
  return {
    locked: true,
    reason: changed
      ? `The content changed after approval without “Start a new version”${changed.editorNames.length ? ` (by ${listNames(changed.editorNames)})` : ''}: the change is not approved, and the approved version ${changed.approvedHash.slice(0, 8)} still counts${published ? ' and is the one published' : ' and is the one that would be published'}.`
      : published
        ? 'This version is approved and published, so it is locked.'
        : 'This version is approved, so it is locked.',
    voids,
    published,
    hash: derived.lockedHash,
    ...(changed ? { changed } : {}),
  }
}

/**
 * "Start a new version": open the locked approved version for editing, as a signed trail event
 * that voids its approvals from the first change on (or at once, for a change already made).
 */
export function startNewVersion(
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: { reason?: string },
  now = Date.now(),
): Check {
  const { input, derived } = deriveOutput(ws, out)
  const lock = contentLock(derived, input)
  if (!lock.locked || !lock.hash) return { ok: true }
  const allowed = checkAction(derived, input, memberId, 'edit')
  if (!allowed.ok) return allowed
  const unsignable = input.integrity?.signable?.(memberId)
  if (unsignable) return { ok: false, reason: unsignable }
  record(
    ws,
    out,
    memberId,
    { kind: 'new_version', contentHash: lock.hash, reason: (args.reason ?? '').trim() },
    { now },
  )
  return { ok: true }
}

/** The confirmation's sentence: what starting a new version does to the approvals. */
export function newVersionWarning(lock: ContentLock): string {
  const who =
    lock.voids.length === 0
      ? 'its approvals'
      : `the approval${lock.voids.length === 1 ? '' : 's'} of ${listNames(lock.voids)}`
  const then = lock.published
    ? ' The published version stays in the shipped log; the new one must be approved and published again.'
    : ''
  return `Editing starts a new version: ${who} will no longer count, and it must be approved again.${then}`
}

/**
 * Before the first edit of a version that holds approvals but is not locked yet (in review, one of
 * two approvals given): who approved it, and that an edit makes their approval stale. Null when an
 * edit would void nothing, or the content is locked (the lock asks first instead).
 */
export function editVoidsWarning(derived: Derived, input: DeriveInput, memberId: string): string | null {
  if (derived.lockedHash || derived.approvals.length === 0) return null
  const mine = derived.approvals.some((a) => a.memberId === memberId)
  const others = derived.approvals
    .filter((a) => a.memberId !== memberId)
    .map((a) =>
      a.memberId === AUTO_APPROVER
        ? 'the automatic checks'
        : (input.members.get(a.memberId)?.name ?? a.memberId),
    )
  const who = listNames(mine ? ['You', ...others] : others)
  const n = derived.approvals.length
  return `${who} approved this version (${n} of ${derived.approvalsRequired}). An edit now makes ${n === 1 ? 'that approval' : 'those approvals'} stale: ${n === 1 ? 'it' : 'they'} must be given again on the new words.`
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/**
 * Approve as a person in the app: the view rule above, then `perform`, recording the version the
 * approver had open. The board and the output view both approve through this command.
 */
export function approveOutput(
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: { note?: string; viewed?: string },
  now = Date.now(),
): Check {
  const { input, derived } = deriveOutput(ws, out)
  // The rules first (who may approve at all), then whether they have read it.
  const allowed = checkAction(derived, input, memberId, 'approve')
  if (!allowed.ok) return allowed
  const unseen = approvalViewRefusal(input.type, args.viewed, input.currentHash)
  if (unseen) return { ok: false, reason: unseen }
  return perform(
    ws,
    out,
    memberId,
    {
      action: 'approve',
      ...(args.note !== undefined ? { note: args.note } : {}),
      ...(args.viewed ? { viewed: args.viewed } : {}),
    },
    now,
  )
}
