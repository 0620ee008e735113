import { createContext, useContext } from 'react'
import type { AppModel } from '../data/app-model.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { useUi } from '../ui/store.ts'

export const ModelContext = createContext<AppModel | null>(null)

export function useModel(): AppModel {
  const model = useContext(ModelContext)
  if (!model) throw new Error('useModel outside <ModelContext.Provider>')
  useObserved(model, () => model.getEpoch())
  return model
}

/** The workspace on screen, or null before one is chosen. */
export function useActiveSession(): WorkspaceSession | null {
  const model = useModel()
  const id = useUi((s) => s.activeWorkspaceId)
  return id ? (model.session(id) ?? null) : null
}
