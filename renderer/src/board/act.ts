/**
 * Acting on an output from the board: the same rules (`checkAction`) and the same operation
 * (`perform`) the output view uses; a refusal carries the sentence from shared/.
 */
import type { ReviewAction } from '../../../shared/domain/actions.ts'
import { deriveOutput } from '../../../shared/domain/actions.ts'
import type { Action, Check } from '../../../shared/domain/derive.ts'
import { allowedActions } from '../../../shared/domain/derive.ts'
import { onHost } from '../data/host-commands.ts'
import type { WorkspaceSession } from '../data/session.ts'

export async function checksFor(session: WorkspaceSession, outputId: string): Promise<Record<Action, Check>> {
  const open = await session.openOutput(outputId)
  const { input, derived } = deriveOutput(session.workspace, open.output)
  return allowedActions(derived, input, session.memberId)
}

export function toReviewAction(action: Action, reason = ''): ReviewAction | null {
  switch (action) {
    case 'submit':
    case 'approve':
    case 'reopen':
    case 'archive':
      return { action }
    case 'request_changes':
      return { action, reasons: reason.split('\n') }
    case 'reject':
      return { action, reason }
    case 'edit':
    case 'judge':
      return null
  }
}

export async function act(
  session: WorkspaceSession,
  outputId: string,
  action: Action,
  reason = '',
): Promise<Check> {
  const review = toReviewAction(action, reason)
  if (!review) return { ok: false, reason: 'Open the output to edit it or judge its checklist.' }
  try {
    const open = await session.openOutput(outputId)
    // Approving from the board: nobody has the output open, so high-risk types refuse (locks.ts).
    if (review.action === 'approve')
      return await onHost(session.workspace, open.output, { name: 'approveOutput', args: {} })
    return await onHost(session.workspace, open.output, { name: 'perform', args: review })
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) }
  }
}
