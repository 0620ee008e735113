import { useEffect, useMemo, useState } from 'react'
import { type InboxItem, inboxFor } from '../../../shared/domain/inbox.ts'
import type { AppModel } from '../data/app-model.ts'

/** What waits for this person in every workspace on this device, kept up to date, newest first. */
/**
 * What waits for this person across every workspace, newest first. With `enabled` false (the
 * header's count before the first frame is drawn) nothing is computed and the list is empty.
 */
export function useInbox(
  model: AppModel,
  enabled = true,
): { items: (InboxItem & { workspaceName: string })[] } {
  const [tick, setTick] = useState(0)
  const entries = model.entries
  useEffect(() => {
    // Only the workspace documents matter: an edit in an output (each keystroke) is not news here.
    const version = () => entries.map((e) => model.session(e.id)?.workspaceVersion ?? -1).join(',')
    // Empty at first: a change between the render and this subscription is not missed.
    let seen = ''
    const changed = () => {
      const now = version()
      if (now === seen) return
      seen = now
      setTick((t) => t + 1)
    }
    const offs = entries.map((e) => model.session(e.id)?.subscribe(changed))
    return () => {
      for (const off of offs) off?.()
    }
  }, [model, entries])
  // biome-ignore lint/correctness/useExhaustiveDependencies: the tick is the change signal
  const items = useMemo(
    () =>
      (enabled ? entries : [])
        .flatMap((e) => {
          const session = model.session(e.id)
          if (!session) return []
          return inboxFor(session.workspace, e.memberId).map((i) => ({
            ...i,
            workspaceName: e.name || 'Untitled workspace',
          }))
        })
        .sort((a, b) => b.at - a.at),
    [model, entries, tick, enabled],
  )
  return { items }
}
