import { useEffect } from 'react'
import type { AppModel } from '../data/app-model.ts'
import { useUi } from '../ui/store.ts'
import { ModelContext, useActiveSession, useModel } from './context.tsx'

/**
 * The app's frame: first run until there is a profile and a workspace, then the active
 * workspace's board, an output, or settings. Screens live in their own folders.
 */
export function Root({ model }: { model: AppModel }) {
  return (
    <ModelContext.Provider value={model}>
      <Frame />
    </ModelContext.Provider>
  )
}

function Frame() {
  const model = useModel()
  const active = useUi((s) => s.activeWorkspaceId)
  const setActive = useUi((s) => s.setActiveWorkspace)
  useEffect(() => {
    if (!active || !model.entries.some((e) => e.id === active)) setActive(model.entries[0]?.id ?? null)
  }, [active, model.entries, setActive])
  const session = useActiveSession()
  if (!model.profile || !session) return <p>Loading…</p>
  return <p>{session.entry.name}</p>
}
