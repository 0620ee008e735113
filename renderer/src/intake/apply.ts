import { createOutput, deriveOutput } from '../../../shared/domain/actions.ts'
import { slugId } from '../../../shared/domain/ids.ts'
import type { OutputDoc } from '../../../shared/domain/output.ts'
import type { OutputSummary, OutputType } from '../../../shared/domain/types.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'
import type { IntakeItem, IntakeStatus } from '../../../shared/host/intake.ts'

/** The output type an intake item names: by id, then by name; the first type when it names none. */
export function resolveType(ws: Workspace, type: string | undefined): OutputType | null {
  const types = ws.types.all()
  if (!type) return [...types].sort((a, b) => a.name.localeCompare(b.name))[0] ?? null
  const byId = ws.types.get(type)
  if (byId) return byId
  const wanted = type.trim().toLowerCase()
  return (
    types.find((t) => t.name.trim().toLowerCase() === wanted) ??
    types.find((t) => slugId(t.name) === slugId(type)) ??
    null
  )
}

export type ApplyResult = { ok: true; typeId: string } | { ok: false; reason: string }

/** Turn one spooled submission into a draft output, with the id the host gave it. */
export function applyIntakeItem(
  ws: Workspace,
  out: OutputDoc,
  item: IntakeItem,
  authorId: string,
): ApplyResult {
  const type = resolveType(ws, item.type)
  if (!type) {
    const known = ws.types
      .all()
      .map((t) => t.id)
      .join(', ')
    return {
      ok: false,
      reason: item.type
        ? `There is no output type "${item.type}" in this workspace (types: ${known || 'none'}).`
        : 'This workspace has no output types yet.',
    }
  }
  try {
    createOutput(ws, out, {
      id: item.id,
      title: item.title,
      typeId: type.id,
      content: item.content,
      source: item.source,
      authorId,
      tags: item.tags,
      ...(item.due ? { dueDate: item.due } : {}),
      now: item.receivedAt,
    })
    return { ok: true, typeId: type.id }
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) }
  }
}

/** What `GET /outputs/:id` tells the submitter, from the board row and (when judged) the checklist. */
export function intakeStatus(ws: Workspace, summary: OutputSummary, out: OutputDoc | null): IntakeStatus {
  const checklist: IntakeStatus['checklist'] = []
  if (out) {
    const { derived } = deriveOutput(ws, out)
    for (const row of derived.checklist)
      checklist.push({
        title: row.item.title,
        verdict: row.judgement?.verdict ?? null,
        note: row.judgement?.note ?? '',
      })
  }
  return {
    id: summary.id,
    state: summary.state,
    title: summary.title,
    typeId: summary.typeId,
    approvals: summary.approvals,
    approvalsRequired: summary.approvalsRequired,
    reasons: summary.reasons,
    checklist,
  }
}
