/**
 * The signed commands a window may ask the host to perform, by name: each is the shared/domain
 * function the UI used to call itself, with the same rules, run on the host's copy where the
 * member's key is held. A refusal is the command's own sentence.
 */

import type { ReviewAction } from '../../../shared/domain/actions.ts'
import { perform } from '../../../shared/domain/actions.ts'
import { assignReviewer, autoAssign, reassignOverdue } from '../../../shared/domain/assign-actions.ts'
import { addComment, reopenThread, replyToThread, resolveThread } from '../../../shared/domain/comments.ts'
import { confirmDevice, enrollDevice } from '../../../shared/domain/devices.ts'
import { createOutput, recordEdit } from '../../../shared/domain/edit-actions.ts'
import { approveOutput, startNewVersion } from '../../../shared/domain/locks.ts'
import type { OutputDoc } from '../../../shared/domain/output.ts'
import { startNewRound } from '../../../shared/domain/policy-actions.ts'
import {
  cancelSchedule,
  claimPublish,
  recordPublishOutcome,
  schedulePublish,
} from '../../../shared/domain/publish-actions.ts'
import { acceptSuggestions, declineSuggestion, suggestChange } from '../../../shared/domain/suggestions.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'
import type { OutputCommand, WorkspaceCommand } from '../../../shared/host/perform.ts'
import { restoreVersion } from '../../../shared/trace/restore.ts'
import type { HeldDeviceKey } from '../device-keys.ts'

export type CommandOutcome = { ok: true; value?: unknown } | { ok: false; reason: string }

/** Drop keys whose value is undefined (zod's optional fields), for exactOptionalPropertyTypes. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

const checked = (r: { ok: true } | { ok: false; reason: string }): CommandOutcome => r
const withId = (r: { ok: true; id: string } | { ok: false; reason: string }): CommandOutcome =>
  r.ok ? { ok: true, value: r.id } : r

/** Run one output command as the member, now. Throws only on a document it cannot read. */
export function runOutputCommand(
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  command: OutputCommand,
  outputId: string,
  now: number,
): CommandOutcome {
  switch (command.name) {
    case 'perform':
      return checked(perform(ws, out, memberId, defined(command.args) as ReviewAction, now))
    case 'approveOutput':
      return checked(approveOutput(ws, out, memberId, defined(command.args), now))
    case 'addComment':
      return withId(addComment(ws, out, memberId, defined(command.args), now))
    case 'replyToThread':
      return withId(replyToThread(ws, out, memberId, command.args, now))
    case 'resolveThread':
      return checked(resolveThread(ws, out, memberId, command.args, now))
    case 'reopenThread':
      return checked(reopenThread(ws, out, memberId, command.args, now))
    case 'suggestChange':
      return withId(suggestChange(ws, out, memberId, defined(command.args), now))
    case 'acceptSuggestions':
      return checked(acceptSuggestions(ws, out, memberId, command.args, now))
    case 'declineSuggestion':
      return checked(declineSuggestion(ws, out, memberId, command.args, now))
    case 'assignReviewer':
      return checked(assignReviewer(ws, out, memberId, command.args.assignee, now))
    case 'autoAssign':
      return { ok: true, value: autoAssign(ws, out, memberId, now) }
    case 'reassignOverdue':
      return { ok: true, value: reassignOverdue(ws, out, memberId, now) }
    case 'recordEdit':
      return { ok: true, value: recordEdit(ws, out, memberId, command.args.previousText, now) }
    case 'createOutput': {
      if (out.id) return { ok: false, reason: 'That output already exists.' }
      const { source, ...rest } = command.args
      try {
        const id = createOutput(
          ws,
          out,
          defined({ ...rest, id: outputId, authorId: memberId, now, ...(source ? { source } : {}) }),
        )
        return { ok: true, value: id }
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) }
      }
    }
    case 'restoreVersion':
      return checked(
        restoreVersion(ws, out, memberId, command.args.hash, now, {
          newVersion: command.args.newVersion === true,
        }),
      )
    case 'startNewVersion':
      return checked(startNewVersion(ws, out, memberId, defined(command.args), now))
    case 'startNewRound':
      return checked(startNewRound(ws, out, memberId, command.args.reason, now))
    case 'schedulePublish': {
      const r = schedulePublish(ws, out, memberId, command.args.destinationId, command.args.runAt, now)
      return r.ok ? { ok: true, value: r.scheduleId } : r
    }
    case 'cancelSchedule':
      return checked(cancelSchedule(ws, out, memberId, command.args.scheduleId, command.args.reason))
    case 'claimPublish': {
      const { destinationId, scheduleId } = command.args
      const r = claimPublish(ws, out, memberId, destinationId, { ...(scheduleId ? { scheduleId } : {}), now })
      return r.ok ? { ok: true, value: r.claim } : r
    }
    case 'recordPublishOutcome':
      recordPublishOutcome(
        ws,
        out,
        memberId,
        { attemptId: command.args.attemptId },
        defined(command.args.outcome) as Parameters<typeof recordPublishOutcome>[4],
        now,
      )
      return { ok: true }
  }
}

/** Run one workspace command as the member, with this device's key for them. */
export function runWorkspaceCommand(
  ws: Workspace,
  memberId: string,
  command: WorkspaceCommand,
  key: HeldDeviceKey,
  now: number,
): CommandOutcome {
  switch (command.name) {
    case 'enrollDevice':
      return {
        ok: true,
        value: enrollDevice(
          ws,
          memberId,
          { publicKey: key.publicKey, secretKey: key.secretKey },
          key.device,
          now,
        ),
      }
    case 'confirmDevice':
      return checked(confirmDevice(ws, memberId, command.args.key, now))
  }
}
