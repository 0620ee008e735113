/**
 * Restore an old version as a new forward edit: the content becomes the version's bytes again
 * (only the changed middle is replaced), with the restore origin, and the trail records it as an
 * `edited` event saying which version was restored. History is never rewritten.
 */

import { changedSpan, deriveOutput, record, summarizeEdit } from '../domain/actions.ts'
import { type Check, checkAction } from '../domain/derive.ts'
import { shortHash } from '../domain/hash.ts'
import { contentLock, newVersionWarning, startNewVersion } from '../domain/locks.ts'
import { restoreOrigin } from '../domain/origins.ts'
import type { OutputDoc } from '../domain/output.ts'
import type { Workspace } from '../domain/workspace.ts'
import { RESTORE_PREFIX } from './timeline.ts'

export function restoreVersion(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  hash: string,
  now = Date.now(),
  /** Confirmed "Start a new version": restoring away from a locked approved version voids it. */
  options: { newVersion?: boolean } = {},
): Check {
  const text = out.version(hash)
  if (text === undefined)
    return { ok: false, reason: `The bytes of version ${shortHash(hash)} are not kept in this output.` }
  const { input, derived } = deriveOutput(ws, out)
  const allowed = checkAction(derived, input, actorId, 'edit')
  if (!allowed.ok) return allowed
  const unsignable = ws.signingProblem(actorId)
  if (unsignable) return { ok: false, reason: unsignable }
  const before = out.text()
  // Approved content is locked (locks.ts): going back to the approved bytes needs nothing, going
  // anywhere else is a new version, confirmed with the approvals it voids.
  const lock = contentLock(derived, input)
  if (lock.locked && lock.hash !== hash && before !== text) {
    if (!options.newVersion)
      return {
        ok: false,
        reason: `${lock.reason} Restoring another version starts a new version: ${newVersionWarning(lock)}`,
      }
    const opened = startNewVersion(ws, out, actorId, { reason: `restore version ${shortHash(hash)}` }, now)
    if (!opened.ok) return opened
  }
  if (before === text) return { ok: false, reason: `The content already is version ${shortHash(hash)}.` }
  const { inserted, deleted } = summarizeEdit(before, text)
  const summary = `${RESTORE_PREFIX}${shortHash(hash)} (+${inserted} −${deleted} characters)`
  record(
    ws,
    out,
    actorId,
    { kind: 'edited', contentHash: hash, summary, inserted, deleted },
    {
      now,
      keep: true,
      origin: restoreOrigin(actorId),
      // Replace only the part between the common prefix and suffix.
      before: () => {
        const { start, endBefore: endB, endAfter: endA } = changedSpan(before, text)
        if (endB > start) out.content.delete(start, endB - start)
        if (endA > start) out.content.insert(start, text.slice(start, endA))
      },
    },
  )
  return { ok: true }
}
