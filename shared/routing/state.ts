/**
 * The workspace's small routing memory: per output type, the member the rotation last picked.
 * Kept in its own map of the workspace document; concurrent writes resolve last-writer-wins,
 * which at worst repeats one member in the rotation.
 */
import type { Workspace } from '../domain/workspace.ts'

export const ROUTING_MAP = 'routing'

export function lastAssignedFor(ws: Workspace, typeId: string): string | undefined {
  const raw = ws.doc.getMap(ROUTING_MAP).get(typeId)
  if (typeof raw !== 'object' || raw === null) return undefined
  const last = (raw as { lastAssigned?: unknown }).lastAssigned
  return typeof last === 'string' && last ? last : undefined
}

/** Remember the rotation's last pick. Call inside a workspace transaction. */
export function recordLastAssigned(ws: Workspace, typeId: string, memberId: string): void {
  ws.doc.getMap(ROUTING_MAP).set(typeId, { lastAssigned: memberId })
}
