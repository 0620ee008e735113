/**
 * How destinations are named wherever something went or was meant to go there, removed ones
 * included (destination-actions.ts keeps their names when an admin removes them).
 */
import type { Workspace } from './workspace.ts'

/**
 * How a destination is named wherever something went or was meant to go there: its name; a
 * removed one's name with "(removed)", so it is not mistaken for a new destination of that name;
 * one this device never knew (removed before this app version kept names) as such.
 */
export function destinationLabel(ws: Workspace, id: string): string {
  const live = ws.destinations.get(id)
  if (live) return live.name
  const removed = ws.removedDestinations.get(id)
  return removed ? `${removed.name} (removed)` : 'a removed destination'
}

/** Every label by id, removed destinations included: for lists of what shipped where. */
export function destinationLabels(ws: Workspace): Map<string, string> {
  const labels = new Map<string, string>()
  for (const d of ws.removedDestinations.all()) labels.set(d.id, `${d.name} (removed)`)
  for (const d of ws.destinations.all()) labels.set(d.id, d.name)
  return labels
}

/** Is there no destination of this id any more (a schedule to it will not run)? */
export const destinationGone = (ws: Workspace, id: string): boolean => !ws.destinations.get(id)
