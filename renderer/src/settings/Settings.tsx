import { GeneralSettings } from '../app/GeneralSettings.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { useUi } from '../ui/store.ts'
import { DestinationsSettings } from './DestinationsSettings.tsx'
import { IntakeSettings } from './IntakeSettings.tsx'
import { MembersTab } from './MembersTab.tsx'
import { OutputTypesTab } from './OutputTypesTab.tsx'
import { SyncSettings } from './SyncSettings.tsx'
import './settings.css'
import { type TabDef, Tabs } from './Tabs.tsx'
import { WorkspaceName } from './WorkspaceName.tsx'

/** Workspace settings: output types and their review policy, members and roles, sync. */
export function Settings({ session }: { session: WorkspaceSession }) {
  const view = useUi((s) => s.view)
  const show = useUi((s) => s.show)
  const tabs: TabDef[] = [
    { id: 'types', label: 'Output types', render: () => <OutputTypesTab session={session} /> },
    { id: 'members', label: 'Members', render: () => <MembersTab session={session} /> },
    { id: 'destinations', label: 'Destinations', render: () => <DestinationsSettings session={session} /> },
    { id: 'intake', label: 'Intake', render: () => <IntakeSettings session={session} /> },
    {
      id: 'general',
      label: 'General',
      render: () => (
        <div className="general-settings">
          <WorkspaceName session={session} />
          <GeneralSettings />
        </div>
      ),
    },
    { id: 'sync', label: 'Sync & hosting', render: () => <SyncSettings session={session} /> },
  ]
  const selected = view.name === 'settings' && view.tab ? view.tab : 'types'
  return (
    <main className="st">
      <div className="st-top">
        <button type="button" onClick={() => show({ name: 'board' })}>
          ← Back to board
        </button>
        <h1>Settings</h1>
      </div>
      <Tabs
        label="Settings"
        tabs={tabs}
        selected={selected}
        onSelect={(tab) => show({ name: 'settings', tab })}
      />
    </main>
  )
}
