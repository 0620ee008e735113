/** Creating, renaming and editing an output: the operations that change its content or title. */
import { deriveOutput, maybeAutoApprove, record, refreshSummary } from './actions.ts'
import type { Check } from './derive.ts'
import { checkAction } from './derive.ts'
import { newId } from './ids.ts'
import { localOrigin } from './origins.ts'
import type { OutputDoc } from './output.ts'
import { type OutputSource, TITLE_MAX } from './types.ts'
import type { Workspace } from './workspace.ts'

export interface NewOutput {
  id?: string
  title: string
  typeId: string
  content: string
  source?: OutputSource
  authorId: string
  assignees?: string[]
  tags?: string[]
  dueDate?: string
  now?: number
}

/** Fill a fresh output document and add its row to the board. */
export function createOutput(ws: Workspace, out: OutputDoc, args: NewOutput): string {
  const title = args.title.trim().slice(0, TITLE_MAX)
  if (!title) throw new Error('An output needs a title.')
  if (!ws.types.get(args.typeId))
    throw new Error(`There is no output type "${args.typeId}" in this workspace.`)
  if (!ws.members.get(args.authorId)) throw new Error('Only members of the workspace can create outputs.')
  const id = args.id ?? newId('o')
  const now = args.now ?? Date.now()
  record(
    ws,
    out,
    args.authorId,
    () => ({ kind: 'created', title, typeId: args.typeId, contentHash: out.hash() }),
    { now, keep: true, before: () => fill(out, ws, id, title, now, args) },
  )
  return id
}

/** The new output's meta and content, written in the same transaction as its `created` event. */
function fill(out: OutputDoc, ws: Workspace, id: string, title: string, now: number, args: NewOutput): void {
  out.meta.set('id', id)
  out.meta.set('workspaceId', ws.id)
  out.meta.set('title', title)
  out.meta.set('typeId', args.typeId)
  out.meta.set('source', args.source ?? {})
  out.meta.set('authorId', args.authorId)
  out.meta.set('assignees', args.assignees ?? [])
  out.meta.set('tags', args.tags ?? [])
  if (args.dueDate) out.meta.set('dueDate', args.dueDate)
  out.meta.set('createdAt', now)
  out.content.insert(0, args.content)
}

/** Rename an output, as a member who may edit it now; its board row follows. */
export function renameOutput(ws: Workspace, out: OutputDoc, actorId: string, title: string): Check {
  const trimmed = title.trim().slice(0, TITLE_MAX)
  if (!trimmed) return { ok: false, reason: 'An output needs a title.' }
  const { input, derived } = deriveOutput(ws, out)
  const allowed = checkAction(derived, input, actorId, 'edit')
  if (!allowed.ok) return allowed
  if (trimmed === out.readMeta().title) return { ok: true }
  out.transact(localOrigin(actorId), () => out.meta.set('title', trimmed))
  refreshSummary(ws, out, actorId)
  return { ok: true }
}

/** Where two texts differ: the span between their common prefix and common suffix. */
export function changedSpan(
  before: string,
  after: string,
): { start: number; endBefore: number; endAfter: number } {
  let start = 0
  const max = Math.min(before.length, after.length)
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++
  let endBefore = before.length
  let endAfter = after.length
  while (
    endBefore > start &&
    endAfter > start &&
    before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)
  ) {
    endBefore--
    endAfter--
  }
  return { start, endBefore, endAfter }
}

/** Character counts of one change, by common prefix and suffix: cheap and good enough for a trail. */
export function summarizeEdit(
  before: string,
  after: string,
): { inserted: number; deleted: number; summary: string } {
  const { start, endBefore, endAfter } = changedSpan(before, after)
  const inserted = endAfter - start
  const deleted = endBefore - start
  return { inserted, deleted, summary: `+${inserted} −${deleted} characters` }
}

/** Edits of outputs up to this many characters keep their bytes for History. */
export const KEEP_EDITED_VERSION_MAX = 16_000

/**
 * Note in the trail that the content changed since the last event that named a version. The app
 * calls this when an editing burst settles and before every review action, not per keystroke.
 */
export function recordEdit(
  ws: Workspace,
  out: OutputDoc,
  actorId: string,
  previousText: string,
  now = Date.now(),
): boolean {
  const hash = out.hash()
  if (out.lastRecordedHash() === hash) return false
  // Write only a note derivation will count: not from a non-member, not on an archived output.
  const { input, derived } = deriveOutput(ws, out)
  if (!checkAction(derived, input, actorId, 'edit').ok) return false
  // A note this device cannot sign would not count, and would leave the event before it
  // unconfirmed (integrity.ts): the content itself still syncs.
  if (input.integrity?.signable?.(actorId)) return false
  const { inserted, deleted, summary } = summarizeEdit(previousText, out.text())
  // Keep the bytes of each recorded edit so History can open and compare it; very large outputs
  // keep only the versions decisions name (the relay's log still has every state).
  record(
    ws,
    out,
    actorId,
    { kind: 'edited', contentHash: hash, summary, inserted, deleted },
    { now, keep: out.content.length <= KEEP_EDITED_VERSION_MAX },
  )
  maybeAutoApprove(ws, out, actorId, now)
  return true
}
