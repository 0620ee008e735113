/**
 * The review commands this screen runs, by name. Each is a pure function in shared/domain taking
 * (workspace, output, member, args, now) and returning `perform`'s result shape, so the host can
 * route the same names when it takes over running and signing commands: this file is the one
 * place the renderer would change.
 */
import { addComment, reopenThread, replyToThread, resolveThread } from '../../../shared/domain/comments.ts'
import { approveOutput } from '../../../shared/domain/locks.ts'
import type { OutputDoc } from '../../../shared/domain/output.ts'
import { acceptSuggestions, declineSuggestion, suggestChange } from '../../../shared/domain/suggestions.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'

export const reviewCommands = {
  addComment,
  replyToThread,
  resolveThread,
  reopenThread,
  approveOutput,
  suggestChange,
  acceptSuggestions,
  declineSuggestion,
}

export type ReviewCommandName = keyof typeof reviewCommands
export type ReviewCommandArgs<N extends ReviewCommandName> = Parameters<(typeof reviewCommands)[N]>[3]
export type ReviewCommandResult<N extends ReviewCommandName> = ReturnType<(typeof reviewCommands)[N]>

/** Run one command as this member on this output, now. */
export function runCommand<N extends ReviewCommandName>(
  name: N,
  ws: Workspace,
  out: OutputDoc,
  memberId: string,
  args: ReviewCommandArgs<N>,
): ReviewCommandResult<N> {
  const command = reviewCommands[name] as (
    ws: Workspace,
    out: OutputDoc,
    memberId: string,
    args: ReviewCommandArgs<N>,
    now: number,
  ) => ReviewCommandResult<N>
  return command(ws, out, memberId, args, Date.now())
}
