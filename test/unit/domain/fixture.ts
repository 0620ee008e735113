import * as Y from 'yjs'
import {
  claimPublish,
  createOutput,
  localOrigin,
  OutputDoc,
  type Role,
  recordPublishOutcome,
  type Workspace,
} from '../../../shared/domain/index.ts'
import { enrollAll } from '../../support/keys.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'

export const PEOPLE: Record<string, Role[]> = {
  alice: ['author'],
  rita: ['reviewer'],
  adam: ['approver'],
  amy: ['approver'],
  otto: ['author'],
}

/** A small-team workspace with an author, a reviewer and two approvers, and one output. */
export function setup(typeId = 'pricing-update', content = 'Pro plan: 29 EUR per month from 1 March.') {
  const ws = smallTeamWorkspace(new Y.Doc(), 'ws1', 'Acme', { id: 'admin', name: 'Ada Admin' }, 1000)
  addPeople(ws)
  const out = new OutputDoc(new Y.Doc())
  createOutput(ws, out, { id: 'o1', title: 'March pricing', typeId, content, authorId: 'alice', now: 2000 })
  return { ws, out }
}

export function addPeople(ws: Workspace) {
  ws.transact(localOrigin('admin'), () => {
    for (const [id, roles] of Object.entries(PEOPLE)) {
      ws.members.put({ id, name: id[0]!.toUpperCase() + id.slice(1), roles, joinedAt: 1000 })
    }
  })
  enrollAll(ws)
}

/** Pass every item of the output type's checklist as `who`. */
export function passAll(ws: Workspace, out: OutputDoc, who: string) {
  const type = ws.types.get(out.readMeta().typeId)!
  return type.checklist.map((item) => ({
    action: 'judge' as const,
    itemId: item.id,
    verdict: 'pass' as const,
    who,
  }))
}

export function edit(out: OutputDoc, who: string, text: string) {
  out.transact(localOrigin(who), () => out.content.insert(out.content.length, text))
}

/**
 * `who` claims a publish of the approved output to `destinationId` at `claimedAt`, and it succeeds
 * at `doneAt` with the file at `path`; a refused claim throws its reason.
 */
export function published(
  ws: Workspace,
  out: OutputDoc,
  who: string,
  destinationId: string,
  path: string,
  [claimedAt, doneAt]: [number, number],
): void {
  const claim = claimPublish(ws, out, who, destinationId, { now: claimedAt })
  if (!claim.ok) throw new Error(claim.reason)
  recordPublishOutcome(ws, out, who, claim.claim, { ok: true, receipt: { path } }, doneAt)
}
