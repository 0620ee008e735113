/**
 * Approved content is locked. Editing it would quietly void every approval it holds (an edit makes
 * them stale), so the app asks first: "Start a new version", with a confirmation that names the
 * approvals it voids. The lock is a rule of the UI's editor, not of the document: a teammate's
 * offline edit that merges later still lands, and derivation then marks the approvals stale as
 * before, so no peer's text is ever refused.
 */

import { deriveOutput, perform } from './actions.ts'
import type { Check, Derived, DeriveInput } from './derive.ts'
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
}

export function contentLock(derived: Derived, input: DeriveInput): ContentLock {
  const published = derived.state === 'published'
  if (derived.state !== 'approved' && !published) return { locked: false, reason: '', voids: [], published }
  const voids = derived.approvals.map((a) =>
    a.memberId === AUTO_APPROVER
      ? 'the automatic checks'
      : (input.members.get(a.memberId)?.name ?? a.memberId),
  )
  return {
    locked: true,
    reason: published
      ? 'This version is approved and published, so it is locked.'
      : 'This version is approved, so it is locked.',
    voids,
    published,
  }
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
