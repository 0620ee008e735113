import type * as Y from 'yjs'
import { localOrigin } from './origins.ts'
import { TEMPLATES } from './templates.ts'
import type { Role } from './types.ts'
import { Workspace } from './workspace.ts'

export interface NewWorkspace {
  id: string
  name: string
  creator: { id: string; name: string }
  templateId: string
  now?: number
}

/** Start a workspace: its creator becomes a member with every role, types come from the template. */
export function createWorkspace(doc: Y.Doc, args: NewWorkspace): Workspace {
  const template = TEMPLATES.find((t) => t.id === args.templateId)
  if (!template) throw new Error(`There is no starter template "${args.templateId}".`)
  const name = args.name.trim().slice(0, 120)
  if (!name) throw new Error('A workspace needs a name.')
  const creatorName = args.creator.name.trim().slice(0, 80)
  if (!creatorName) throw new Error('Your profile needs a name.')
  const ws = new Workspace(doc)
  const now = args.now ?? Date.now()
  const roles: Role[] = ['author', 'reviewer', 'approver', 'admin']
  ws.transact(localOrigin(args.creator.id), () => {
    ws.meta.set('id', args.id)
    ws.meta.set('name', name)
    ws.meta.set('createdAt', now)
    ws.meta.set('template', template.id)
    ws.members.put({ id: args.creator.id, name: creatorName, roles, joinedAt: now })
    for (const type of template.types) ws.types.put(JSON.parse(JSON.stringify(type)))
    ws.recordPolicies(args.creator.id, now)
  })
  return ws
}
