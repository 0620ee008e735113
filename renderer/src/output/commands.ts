/**
 * The review commands this screen runs, by name. Each is a shared/domain function the host runs
 * as this window's member with the same rules, signing what it appends (shared/host/perform.ts):
 * this window holds no private key. This file is the one place the screen asks for them.
 */
import type { OutputDoc } from '../../../shared/domain/output.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'
import type { OutputCommand } from '../../../shared/host/perform.ts'
import { type CommandResult, onHost } from '../data/host-commands.ts'

type ReviewCommand = Extract<
  OutputCommand,
  {
    name:
      | 'addComment'
      | 'replyToThread'
      | 'resolveThread'
      | 'reopenThread'
      | 'approveOutput'
      | 'startNewVersion'
      | 'suggestChange'
      | 'acceptSuggestions'
      | 'declineSuggestion'
  }
>

export type ReviewCommandName = ReviewCommand['name']
export type ReviewCommandArgs<N extends ReviewCommandName> = Extract<ReviewCommand, { name: N }>['args']

/** Run one command as this window's member on this output, now, in the host. */
export function runCommand<N extends ReviewCommandName>(
  name: N,
  ws: Workspace,
  out: OutputDoc,
  _memberId: string,
  args: ReviewCommandArgs<N>,
): Promise<CommandResult> {
  return onHost(ws, out, { name, args } as ReviewCommand)
}
