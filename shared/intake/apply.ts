/** Turning a submission into a draft, and what `GET /outputs/:id` says: used by the host and the window. */
import { createOutput, deriveOutput, toSummary } from '../domain/actions.ts'
import { slugId } from '../domain/ids.ts'
import type { OutputDoc } from '../domain/output.ts'
import type { OutputSummary, OutputType } from '../domain/types.ts'
import type { Workspace } from '../domain/workspace.ts'
import type { IntakeItem, IntakeStatus } from '../host/intake.ts'

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

/**
 * What `GET /outputs/:id` tells the submitter. With the output's document, everything comes
 * from its verified trail (a board row is a cache any writer could edit); without it, the row.
 */
export function intakeStatus(ws: Workspace, summary: OutputSummary, out: OutputDoc | null): IntakeStatus {
  const checklist: IntakeStatus['checklist'] = []
  let row = summary
  if (out?.id) {
    const { input, derived } = deriveOutput(ws, out)
    row = toSummary(out, input, derived, summary.updatedAt)
    for (const r of derived.checklist)
      checklist.push({
        title: r.item.title,
        verdict: r.judgement?.verdict ?? null,
        note: r.judgement?.note ?? '',
      })
  }
  return {
    id: row.id,
    state: row.state,
    title: row.title,
    typeId: row.typeId,
    approvals: row.approvals,
    approvalsRequired: row.approvalsRequired,
    reasons: row.reasons,
    checklist,
  }
}
