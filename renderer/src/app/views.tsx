import { type ComponentType, lazy } from 'react'
import type { WorkspaceSession } from '../data/session.ts'
import { SyncSettings } from '../settings/SyncSettings.tsx'

/**
 * The output view and settings are separate features, loaded on first use so the board paints
 * first. A glob (not a plain import) keeps this frame building while a feature is still absent.
 */
interface OutputProps {
  session: WorkspaceSession
  outputId: string
}
interface SettingsProps {
  session: WorkspaceSession
}
const outputModules = import.meta.glob<{ OutputView: ComponentType<OutputProps> }>('../output/OutputView.tsx')
const settingsModules = import.meta.glob<{ Settings: ComponentType<SettingsProps> }>(
  '../settings/Settings.tsx',
)

function Missing({ what }: { what: string }) {
  return (
    <main className="missing">
      <p>{what} is not part of this build.</p>
    </main>
  )
}

const loadOutput = outputModules['../output/OutputView.tsx']
export const LazyOutputView = lazy(async (): Promise<{ default: ComponentType<OutputProps> }> => {
  if (!loadOutput) return { default: () => <Missing what="The output view" /> }
  const m = await loadOutput()
  return { default: m.OutputView }
})

const loadSettings = settingsModules['../settings/Settings.tsx']
export const LazySettings = lazy(async (): Promise<{ default: ComponentType<SettingsProps> }> => {
  if (!loadSettings)
    return {
      default: ({ session }: { session: WorkspaceSession }) => (
        <main className="settings-fallback">
          <h1>Settings</h1>
          <SyncSettings session={session} />
        </main>
      ),
    }
  const m = await loadSettings()
  return { default: m.Settings }
})
