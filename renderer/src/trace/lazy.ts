import { lazy } from 'react'

/** The workspace trace views ("What shipped", "Activity"), loaded on first use. */
export const LazyWorkspaceTrace = lazy(async () => ({
  default: (await import('./WorkspaceTrace.tsx')).WorkspaceTrace,
}))
