import { useEffect, useMemo, useState } from 'react'
import { type InboxItem, inboxFor } from '../../../shared/domain/inbox.ts'
import type { AppModel } from '../data/app-model.ts'

/** What waits for this person in every workspace on this device, kept up to date, newest first. */
export function useInbox(model: AppModel): { items: (InboxItem & { workspaceName: string })[] } {
  const [tick, setTick] = useState(0)
  const entries = model.entries
  useEffect(() => {
    const offs = entries.map((e) => model.session(e.id)?.subscribe(() => setTick((t) => t + 1)))
    return () => {
      for (const off of offs) off?.()
    }
  }, [model, entries])
  // biome-ignore lint/correctness/useExhaustiveDependencies: the tick is the change signal
  const items = useMemo(
    () =>
      entries
        .flatMap((e) => {
          const session = model.session(e.id)
          if (!session) return []
          return inboxFor(session.workspace, e.memberId).map((i) => ({
            ...i,
            workspaceName: e.name || 'Untitled workspace',
          }))
        })
        .sort((a, b) => b.at - a.at),
    [model, entries, tick],
  )
  return { items }
}
