import type * as Y from 'yjs'
import { createWorkspace, type Workspace } from '../../shared/domain/index.ts'

/** A workspace from the small-team template, as most tests start: one admin, the template's types. */
export function smallTeamWorkspace(
  doc: Y.Doc,
  id: string,
  name: string,
  creator: { id: string; name: string },
  now?: number,
): Workspace {
  return createWorkspace(doc, {
    id,
    name,
    creator,
    templateId: 'small-team',
    ...(now !== undefined ? { now } : {}),
  })
}
